package dev.tensorinit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed pool that runs a range in chunks on every thread, each thread taking every threads-th chunk
 * (the same cheap, queue-free split as CpuBackend, so the limit and the backend share a work pattern).
 */
public final class ChunkPool implements AutoCloseable {

    /** Work on elements [from, from + count). */
    @FunctionalInterface
    public interface ChunkTask {
        void run(long from, long count);
    }

    private final int threads;
    private final ExecutorService pool;

    public ChunkPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-worker");
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() { return threads; }

    /** Runs task over [0, total) in chunks of {@code chunk} elements and waits; the first failure is rethrown. */
    public void run(long total, long chunk, ChunkTask task) {
        if (total < 0 || chunk < 1) throw new IllegalArgumentException("bad range: total " + total + ", chunk " + chunk);
        long chunks = (total + chunk - 1) / chunk;
        List<Future<?>> fs = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            final long first = t;
            fs.add(pool.submit(() -> {
                for (long c = first; c < chunks; c += threads) {
                    long from = c * chunk;
                    task.run(from, Math.min(chunk, total - from));
                }
            }));
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("benchmark worker failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    @Override public void close() { pool.shutdownNow(); }
}

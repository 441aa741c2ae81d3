package dev.tensorinit.bench;

import dev.tensorinit.Dispatcher;
import dev.tensorinit.FillRequest;
import dev.tensorinit.NativeMemory;
import dev.tensorinit.Settings;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.kernel.Reference;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.DeviceBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One prepared fill, repeated by a benchmark: a backend (found through core's SPI, never by class)
 * with its own buffer, or core's scalar reference on one thread. {@link #open} announces the repeated fills and
 * fills until the time settles, so the buffer is touched (host pages mapped, device memory committed) and the
 * backend warm before anything is timed.
 */
public sealed interface Filler extends AutoCloseable {

    /** Pseudo-backend name for core's {@link Reference#fillRun}, single thread. */
    String REFERENCE = "reference";

    void run();

    @Override void close();

    static Filler open(String backend, FillRequest request) {
        Filler f = backend.equals(REFERENCE) ? new ReferenceFiller(request) : BackendFiller.open(backend, request);
        try {
            settle(f::run, SETTLE_NANOS);
        } catch (RuntimeException | Error e) {
            f.close();
            throw e;
        }
        return f;
    }

    /** Elements announced for a benchmark's repeated fills (see {@link #announceRepeats}). */
    long ANNOUNCED_ELEMENTS = 1L << 36;
    /** At most this long in {@link #settle} (a backend whose first runs keep getting faster). */
    long SETTLE_NANOS = 5_000_000_000L;

    /**
     * Tells the backend that {@code request} will be filled over and over (2^36 elements' worth, in at most 4096
     * announcements), so that it warms its fastest kernel now. Unannounced, the CPU backend fills a lone 2^24 tensor
     * with its scalar kernel and compiles its vector kernel only once the elements filled pass a threshold, mid-run:
     * the short profile of 2026-12-01 then timed that switch (on 2 cores the fills wait for the compile) as its first
     * measured iteration: 2^24 fills at 0.02-0.07 Gfloat/s, then 1.0-1.8, reported as 0.76-1.17 on average.
     */
    static void announceRepeats(Backend backend, FillRequest request) {
        long times = Math.min(4096, Math.max(64, ANNOUNCED_ELEMENTS / request.count()));
        for (long i = 0; i < times; i++) backend.prepare(request);
    }

    /**
     * Runs {@code fill} until three runs in a row are no more than 10% faster than the best before them, or
     * {@code maxNanos} have passed: a backend's warm-up (JIT compiles, first touch, device set-up) then happens here,
     * before JMH times anything, whatever the profile's warm-up iterations are. Runs it at least once.
     */
    static void settle(Runnable fill, long maxNanos) {
        settle(fill, maxNanos, System::nanoTime);
    }

    /** As {@link #settle(Runnable, long)}, on the given clock (for tests). */
    static void settle(Runnable fill, long maxNanos, java.util.function.LongSupplier clock) {
        long deadline = clock.getAsLong() + maxNanos, best = Long.MAX_VALUE;
        int calm = 0;
        do {
            long t0 = clock.getAsLong();
            fill.run();
            long t = clock.getAsLong() - t0;
            if (t < best - best / 10) {
                best = t;
                calm = 0;
            } else {
                calm++;
                best = Math.min(best, t);
            }
        } while (calm < 3 && clock.getAsLong() - deadline < 0);
    }

    /**
     * Opens a backend through core's SPI. {@code spec} is a provider name, optionally with a CUDA engine: "cuda:curand"
     * creates the cuda backend with the curand engine (typed options over the settings', no system property).
     */
    static Backend openBackend(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) return Dispatcher.standard().choose(spec).provider().create();
        String name = spec.substring(0, colon);
        if (!name.equals("cuda")) throw new IllegalArgumentException("only cuda has engines: '" + spec + "'");
        return Dispatcher.standard().choose(name).provider()
                .create(Settings.backendOptionsFor(name).withCudaEngine(spec.substring(colon + 1)));
    }

    /** A backend filling its own buffer (host memory for cpu, device memory for GPUs). */
    final class BackendFiller implements Filler {
        private final Backend backend;
        private final DeviceBuffer buffer;
        private final FillRequest request;

        private BackendFiller(Backend backend, DeviceBuffer buffer, FillRequest request) {
            this.backend = backend;
            this.buffer = buffer;
            this.request = request;
        }

        static BackendFiller open(String spec, FillRequest request) {
            Backend b = openBackend(spec);
            try {
                announceRepeats(b, request);
                return new BackendFiller(b, b.allocate(request.dtype(), request.count()), request);
            } catch (RuntimeException | Error e) {
                b.close();
                throw e;
            }
        }

        public Backend backend() { return backend; }

        public DeviceBuffer buffer() { return buffer; }

        @Override public void run() { backend.fill(request, buffer); }

        @Override public void close() {
            try {
                buffer.close();
            } finally {
                backend.close();
            }
        }
    }

    /** Core's scalar reference on the calling thread: the baseline every kernel must beat. */
    final class ReferenceFiller implements Filler {
        private final Arena arena = Arena.ofShared();
        private final KernelArgs args;
        private final long count;
        private final MemorySegment segment;

        ReferenceFiller(FillRequest request) {
            this.args = request.kernelArgs();
            this.count = request.count();
            try {
                this.segment = NativeMemory.allocateUninitialized(arena, request.byteSize(), 64);
            } catch (RuntimeException | Error e) {
                arena.close();
                throw e;
            }
        }

        public MemorySegment segment() { return segment; }

        @Override public void run() { Reference.fillRun(args, 0, count, segment, 0); }

        @Override public void close() { arena.close(); }
    }
}

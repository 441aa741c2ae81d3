package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.CompiledFill;
import dev.tensorinit.NativeMemory;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendOptions;
import dev.tensorinit.spi.CallGate;
import dev.tensorinit.spi.DeviceBuffer;
import dev.tensorinit.spi.SegmentHold;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Set;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * Fills host memory on {@code threads} worker threads. Work is cut into many medium chunks (values
 * depend only on the global index, so the cut never changes them): one giant call per thread was
 * deoptimized when the segment's arena kind changed, and medium chunks balance load.
 */
public final class CpuBackend implements Backend {
    /** Elements per work chunk: large enough to amortize a task, small enough to balance 2-64 threads. */
    static final long CHUNK = 1L << 18;
    /**
     * The smallest chunk a fill is split into to use more than one thread: a fill of a few CHUNKs or less (a checkpoint's
     * small tensors) is cut into one chunk per thread, down to this (a task costs a few microseconds; 2^14 normals take
     * about 30 here).
     */
    static final long MIN_CHUNK = 1L << 14;
    /** Bytes per piece of copyToHost: 10-30 ms of copying here (a whole 1 GiB copy ran 350-470 ms past an interrupt). */
    static final long COPY_PIECE_BYTES = 64L << 20;

    /**
     * The longest fills wait for the vector kernel's compile (see fill): 0.5-1.5 s on 2 busy cores. Counted from the
     * warm-up's start, for all fills of that kind and dtype together: past it they go on scalar, run by run, as they do
     * where cores are to spare.
     */
    static final long MAX_WAIT_NANOS = 3_000_000_000L;

    private final int threads;
    private final RunKernel kernel;
    /** The processors this JVM may use (a container's or taskset's limit counts). */
    private final IntSupplier cores;
    private final ExecutorService pool;
    private final CallGate gate = new CallGate("cpu");
    /** Buffers this backend allocated: closing the backend frees those still open. */
    private final Set<HostBuffer> buffers = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** Never started; only asked whether a segment is confined to another thread. */
    private final Thread notOwner = Thread.ofPlatform().unstarted(() -> { });

    public CpuBackend(int threads) {
        this(threads, Kernels.best());
    }

    CpuBackend(int threads, RunKernel kernel) {
        this(threads, kernel, Thread.ofPlatform().name("tensorinit-cpu").daemon(true).factory());
    }

    /** With another thread factory, for tests (one that fails as thread creation does when the process is out of threads). */
    CpuBackend(int threads, RunKernel kernel, java.util.concurrent.ThreadFactory workers) {
        this(threads, kernel, workers, Runtime.getRuntime()::availableProcessors);
    }

    /** With another count of processors, for tests. */
    CpuBackend(int threads, RunKernel kernel, java.util.concurrent.ThreadFactory workers, IntSupplier cores) {
        this.cores = Objects.requireNonNull(cores, "cores");
        if (threads < 1 || threads > BackendOptions.MAX_THREADS) {
            throw new IllegalArgumentException("threads must be between 1 and " + BackendOptions.MAX_THREADS + ", got " + threads);
        }
        this.threads = threads;
        this.kernel = Objects.requireNonNull(kernel);
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, Objects.requireNonNull(workers, "workers"));
    }

    public int threads() { return threads; }

    @Override public String name() { return "cpu"; }

    @Override public String description() {
        return "cpu: " + threads + " thread(s), " + kernel.description();
    }

    @Override public void fill(FillRequest request, MemorySegment dst) {
        Objects.requireNonNull(request, "request");
        try (CallGate.Call call = gate.enter()) {
            SegmentHold.accessing(dst, () -> fill(call, request, dst));
        }
    }

    private void fill(CallGate.Call call, FillRequest request, MemorySegment dst) {
        request.checkDestination(dst);
        CompiledFill fill = request.compile();
        KernelArgs args = fill.args();
        long size = fill.dtype().bytes();
        long count = fill.count();
        long chunk = Math.min(CHUNK, Math.max(MIN_CHUNK, Math.ceilDiv(count, (long) threads)));
        long chunks = Math.ceilDiv(count, chunk);
        RunKernel chosen = this.kernel.forFill(args, count, threads);
        // While the vector kernel is being compiled, the warm-up thread and the JIT's compiler each need a core. With
        // none to spare beside them (2 cores), a worker filling scalar meanwhile made little (a cold 2^28 normal fill:
        // 4 of 64 pieces in the 0.9 s before the vector kernel was warm) and had its own kernel compiled ahead of the
        // vector one: so the fill waits instead. 2^28 normal to disk on 2 cores, 8 alternating runs each, with the warm-up
        // no longer timing the scalar kernel too: median wall 2.38 -> 2.12 s, the vector kernel warm 1.49 -> 1.11 s
        // after the JVM started (WarmingKernel). With a core or more to spare, that many workers fill scalar (on 2 cores
        // every core filling starved the compiler: 2.5-2.8 s for a cold 2^26 normal fill).
        // A fill of one chunk or less never waits: its scalar run costs a core 1-3 ms, and a 16-element fill right after a
        // big one was announced (prepare) waited 2 s for a compile it did not need.
        int spare = chosen.compiling() ? cores.getAsInt() - 2 : threads;
        if (spare < 1 && count > CHUNK) chosen = chosen.awaitCompiled(args, MAX_WAIT_NANOS, call::checkpoint);
        RunKernel kernel = chosen;
        int workers = kernel.compiling() ? Math.max(1, Math.min(threads, spare)) : threads;
        if (pool == null || chunks == 1) {
            CompiledFill.Runs write = (g, n, d) -> kernel.fillRun(args, g, n, dst, d * size);
            for (long c = 0; c < chunks; c++) {
                call.checkpoint();
                fill.forEachRun(c * chunk, Math.min(count, (c + 1) * chunk), write);
            }
            return;
        }
        MemorySegment target = workerView(dst);
        CompiledFill.Runs toTarget = (g, n, d) -> kernel.fillRun(args, g, n, target, d * size);
        // Each worker takes every threads-th chunk of the destination: a fixed, cheap assignment
        // with no shared queue and no per-chunk objects, whatever the region's shape. Workers look
        // at `stop` between chunks, so an interrupt or close ends a fill of any size within a chunk.
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        List<Future<?>> fs = new ArrayList<>(workers);
        try {
            for (int t = 0; t < workers; t++) {
                long first = t;
                fs.add(pool.submit(() -> {
                    for (long c = first; c < chunks && !stop.get() && !gate.closing(); c += workers) {
                        fill.forEachRun(c * chunk, Math.min(count, (c + 1) * chunk), toTarget);
                        done.incrementAndGet();
                    }
                }));
            }
        } catch (RuntimeException | Error e) {
            // A worker could not be started (OutOfMemoryError "unable to create native thread" when the process is out
            // of threads): the workers already started still write dst, so stop them and wait before throwing.
            stop.set(true);
            try {
                awaitAll(fs, stop);
            } catch (RuntimeException | Error suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        awaitAll(fs, stop);
        if (done.get() < chunks) call.checkpoint(); // stopped early: say why
    }

    /**
     * Waits for every worker, even when this thread is interrupted meanwhile: returning while a
     * worker still writes would let the caller free the destination under it (a JVM crash when the
     * caller closes a confined arena). An interrupt tells the workers to stop early and is kept set.
     */
    private static void awaitAll(List<Future<?>> fs, AtomicBoolean stop) {
        boolean interrupted = false;
        Throwable failure = null;
        for (Future<?> f : fs) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (ExecutionException e) {
                    stop.set(true);   // one failed worker: the others stop too
                    if (failure == null) failure = e.getCause(); else failure.addSuppressed(e.getCause());
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    stop.set(true);
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error er) throw er;
        if (failure != null) throw new IllegalStateException("a fill worker failed", failure);
    }

    /**
     * A segment the workers may write. A confined segment (Arena.ofConfined) may only be touched
     * by its owner thread, so the workers get an unscoped view of the same memory instead. That is
     * safe: only the owner can close a confined arena, and the owner is blocked in fill until the
     * workers are done.
     */
    @SuppressWarnings("restricted")
    private MemorySegment workerView(MemorySegment dst) {
        if (!dst.isNative() || dst.isAccessibleBy(notOwner)) return dst;
        return MemorySegment.ofAddress(dst.address()).reinterpret(dst.byteSize());
    }

    /**
     * Uninitialized memory (the parallel fill is the first touch of every page), 2 MiB-aligned
     * and advised for transparent huge pages when it is large: 512 times fewer page faults.
     */
    @Override public MemorySegment allocateAndFill(Arena arena, FillRequest request) {
        Objects.requireNonNull(arena, "arena");
        Objects.requireNonNull(request, "request");
        try (CallGate.Call call = gate.enter()) {
            request.compile();   // a request that cannot run allocates nothing (the arena may live long)
            long bytes = request.byteSize();
            boolean large = bytes >= 4 * HugePages.SIZE;
            MemorySegment seg = NativeMemory.allocateUninitialized(arena, bytes, large ? HugePages.SIZE : 64);
            if (large) HugePages.advise(seg);
            SegmentHold.accessing(seg, () -> fill(call, request, seg));
            return seg;
        }
    }

    /**
     * Lets the kernel decide early whether compiling the vector kernel pays for the fills to come (a
     * streaming writer announces the whole tensor before filling its pieces); values never depend on it.
     */
    @Override public void prepare(FillRequest request) {
        Objects.requireNonNull(request, "request");
        try (CallGate.Call call = gate.enter()) {
            kernel.expect(request.kernelArgs(), request.count(), threads);
        }
    }

    /** 2 MiB-aligned and advised for transparent huge pages when large (see allocateAndFill); contents undefined. */
    @Override public MemorySegment allocateHost(Arena arena, long bytes) {
        Objects.requireNonNull(arena, "arena");
        try (CallGate.Call call = gate.enter()) {   // a closed backend refuses, as for every call
            boolean large = bytes >= 4 * HugePages.SIZE;
            MemorySegment seg = NativeMemory.allocateUninitialized(arena, bytes, large ? HugePages.SIZE : 64);
            if (large) HugePages.advise(seg);
            return seg;
        }
    }

    @Override public DeviceBuffer allocate(DType dtype, long elements) {
        Objects.requireNonNull(dtype, "dtype");
        if (elements < 1) throw new IllegalArgumentException("elements must be >= 1, got " + elements);
        if (elements > Long.MAX_VALUE / dtype.bytes()) {
            throw new IllegalArgumentException(elements + " " + dtype.id() + " elements are more than 2^63-1 bytes");
        }
        try (CallGate.Call call = gate.enter()) {
            HostBuffer b = new HostBuffer(dtype, elements, this::forget);
            synchronized (buffers) {
                buffers.add(b);
            }
            return b;
        }
    }

    @Override public void fill(FillRequest request, DeviceBuffer dst) {
        Objects.requireNonNull(request, "request");
        HostBuffer h = host(dst);
        if (h.dtype() != request.dtype()) {
            throw new IllegalArgumentException("buffer holds " + h.dtype().id() + " but the fill is " + request.dtype().id());
        }
        if (request.count() > h.elements()) {
            throw new IllegalArgumentException("buffer holds " + h.elements() + " elements but the fill writes " + request.count());
        }
        try (CallGate.Call call = gate.enter()) {
            h.use(call, seg -> fill(call, request, seg));   // the buffer cannot be closed under the fill
        }
    }

    @Override public void copyToHost(DeviceBuffer src, long srcIndex, MemorySegment dst) {
        HostBuffer h = host(src);
        DeviceBuffer.checkCopy(h, srcIndex, dst);
        long bytes = dst.byteSize();
        long size = h.dtype().bytes();
        try (CallGate.Call call = gate.enter()) {
            SegmentHold.accessing(dst, () -> h.use(call, seg -> {
                // In pieces, so that an interrupt or a close stops a copy of any size within one piece.
                for (long o = 0; o < bytes; o += COPY_PIECE_BYTES) {
                    call.checkpoint();
                    MemorySegment.copy(seg, srcIndex * size + o, dst, o, Math.min(COPY_PIECE_BYTES, bytes - o));
                }
            }));
        }
    }

    private void forget(HostBuffer b) {
        synchronized (buffers) {
            buffers.remove(b);
        }
    }

    private HostBuffer host(DeviceBuffer b) {
        Objects.requireNonNull(b, "buffer");
        if (!(b instanceof HostBuffer h)) throw new IllegalArgumentException("buffer belongs to backend " + b.backend() + ", not cpu");
        return h;
    }

    /** Waits for running calls (they stop within a chunk), then stops the workers and frees this backend's buffers. */
    @Override public void close() {
        gate.close(() -> {
            if (pool != null) pool.shutdown();
            List<HostBuffer> open;
            synchronized (buffers) {
                open = new ArrayList<>(buffers);
                buffers.clear();
            }
            for (HostBuffer b : open) b.close();
        });
    }
}

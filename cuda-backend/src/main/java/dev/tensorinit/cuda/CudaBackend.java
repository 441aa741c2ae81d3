package dev.tensorinit.cuda;

import dev.tensorinit.CompiledFill;
import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.CallGate;
import dev.tensorinit.spi.JvmSignals;
import dev.tensorinit.spi.BackendUnavailableException;
import dev.tensorinit.spi.DeviceBuffer;
import dev.tensorinit.spi.SegmentHold;
import dev.tensorinit.spi.DeviceInfo;
import dev.tensorinit.spi.DeviceOutOfMemoryException;
import dev.tensorinit.spi.Probe;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;

/**
 * The CUDA backend on one device's primary context (shared with the CUDA runtime, which cuRAND uses).
 * Every public method makes that context current on the calling thread first, so any thread may call;
 * work is queued on {@code stream} (null: the legacy default stream) and finished before a method returns.
 * Closing frees the kernel module, the cuRAND generator and every buffer this backend allocated (wrapped
 * user pointers are left alone) and releases the context; closing twice is harmless.
 */
public final class CudaBackend implements Backend {
    /**
     * Largest single host copy: asByteBuffer is limited to int sizes, and between pieces a copy notices an interrupt or
     * a close (on cpu and OpenCL a single 1 GiB copy ran 350-470 ms past an interrupt).
     */
    static final long MAX_COPY_BYTES = 64L << 20;
    /** Pinned staging for heap destinations. */
    static final long PINNED_BYTES = 64L << 20;
    /** Default device staging for host fills. */
    static final long DEFAULT_HOST_CHUNK_BYTES = 256L << 20;

    private final CudaEngine engine;
    private final CUstream stream;
    private final DeviceInfo device;
    private final CUdevice cuDevice = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CudaKernels kernels;
    private final CurandEngine curand;
    private final long hostChunkBytes;
    private final Set<CudaBuffer> buffers = Collections.newSetFromMap(new IdentityHashMap<>());
    private final CallGate gate = new CallGate("CUDA");
    /** Pinned host blocks handed out by allocateHost. */
    private final PinnedHost pinnedHost;
    /** Device-to-host copies of the overlapped host fill; non-blocking, so it overlaps the legacy default stream too. */
    private final CUstream copyStream = new CUstream();

    /** Device {@code ordinal}, the given engine, work on {@code stream} (null: default stream). */
    public static CudaBackend open(int ordinal, CudaEngine engine, CUstream stream) {
        return new CudaBackend(ordinal, engine, stream, LaunchConfig.DEFAULT, DEFAULT_HOST_CHUNK_BYTES);
    }

    CudaBackend(int ordinal, CudaEngine engine, CUstream stream, LaunchConfig launch, long hostChunkBytes) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(launch, "launch");
        if (hostChunkBytes < 64) throw new IllegalArgumentException("hostChunkBytes must be >= 64, got " + hostChunkBytes);
        var probe = CudaProbe.forEngine(engine);
        if (probe instanceof Probe.Unavailable u) {
            throw new BackendUnavailableException("CUDA backend unavailable: " + u.reason(), u.cause());
        }
        int count = ((Probe.Available) probe).devices().size();
        if (ordinal < 0 || ordinal >= count) {
            throw new IllegalArgumentException("CUDA device " + ordinal + " does not exist (" + count + " device(s))");
        }
        this.engine = engine;
        this.stream = stream;
        this.hostChunkBytes = hostChunkBytes;
        this.device = ((Probe.Available) probe).devices().get(ordinal);
        JCudaDriver.cuDeviceGet(cuDevice, ordinal);
        CudaKernels k = null;
        CurandEngine c = null;
        boolean retained = false, streamMade = false;
        try {
            JCudaDriver.cuDevicePrimaryCtxRetain(context, cuDevice);
            retained = true;
            JCudaDriver.cuCtxSetCurrent(context);
            k = new CudaKernels(launch, CudaProbe.attribute(cuDevice, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT));
            if (engine == CudaEngine.CURAND) c = new CurandEngine(this, k, stream);
            JCudaDriver.cuStreamCreate(copyStream, CUstream_flags.CU_STREAM_NON_BLOCKING);
            streamMade = true;
        } catch (RuntimeException | Error e) {
            // Undo what was made, in reverse, keeping the first failure: nothing may hold the context after a failed open.
            List<Throwable> ignored = new ArrayList<>();
            if (streamMade) run(ignored, () -> JCudaDriver.cuStreamDestroy(copyStream));
            if (c != null) run(ignored, c::close);
            if (k != null) run(ignored, k::close);
            if (retained) run(ignored, () -> JCudaDriver.cuDevicePrimaryCtxRelease(cuDevice));
            ignored.forEach(e::addSuppressed);
            throw e;
        } finally {
            // A failed open too: the context and module set-up may have installed the driver's signal handlers, and auto
            // then goes on in this JVM with another backend (OpenCL repairs in a finally as well).
            JvmSignals.original().repair("CUDA context creation");
        }
        this.kernels = k;
        this.curand = c;
        this.pinnedHost = new PinnedHost(cuDevice);
    }

    @Override public String name() { return "cuda"; }

    @Override public String description() {
        return "cuda: " + device + ", engine " + engine.id() + ", kernels " + kernels.launchConfig().variant().id() + " from " + kernels.loadedImage();
    }

    public CudaEngine engine() { return engine; }
    public DeviceInfo device() { return device; }
    /** Which kernel image the driver accepted (fatbin, PTX, or the ISA-lowered PTX). */
    public String kernelImage() { return kernels.loadedImage(); }

    /** Enters a call (refused once closed) and makes this backend's context current on the calling thread (JCuda's context is per thread). */
    private CallGate.Call enter() {
        CallGate.Call call = gate.enter();
        try {
            JCudaDriver.cuCtxSetCurrent(context);
            return call;
        } catch (RuntimeException | Error e) {
            call.close();
            throw e;
        }
    }

    /**
     * Makes this backend's context (the device's primary context) current on the calling thread, for
     * callers that mix their own JCuda driver calls with this backend.
     */
    public void makeContextCurrent() {
        try (CallGate.Call call = enter()) {
            // the context stays current on this thread after the call
        }
    }

    void sync() {
        JCudaDriver.cuStreamSynchronize(stream);
    }

    // ---- memory -------------------------------------------------------------------------------------

    /** cuMemAlloc, or DeviceOutOfMemoryException with the requested and the free bytes. */
    CUdeviceptr deviceAlloc(long bytes) {
        CUdeviceptr p = new CUdeviceptr();
        try {
            JCudaDriver.cuMemAlloc(p, bytes);
            return p;
        } catch (CudaException e) {
            if (outOfMemory(e)) {
                long[] free = new long[1], total = new long[1];
                JCudaDriver.cuMemGetInfo(free, total);
                throw new DeviceOutOfMemoryException("cuMemAlloc of " + bytes + " bytes failed on " + device.name()
                        + ": " + free[0] + " bytes free of " + total[0], bytes, e);
            }
            throw e;
        }
    }

    /** Whether the driver refused for lack of memory (CUDA_ERROR_OUT_OF_MEMORY; JCuda puts the error's name in the message). */
    static boolean outOfMemory(CudaException e) {
        return String.valueOf(e.getMessage()).contains("OUT_OF_MEMORY");
    }

    DeviceScratch scratch(long bytes) {
        return new DeviceScratch(deviceAlloc(bytes), bytes);
    }

    /** Free and total device memory in bytes, as cuMemGetInfo reports them. */
    public long[] memoryInfo() {
        try (CallGate.Call call = enter()) {
            return freeAndTotal();
        }
    }

    private static long[] freeAndTotal() {
        long[] free = new long[1], total = new long[1];
        JCudaDriver.cuMemGetInfo(free, total);
        return new long[] {free[0], total[0]};
    }

    @Override public CudaBuffer allocate(DType dtype, long elements) {
        Objects.requireNonNull(dtype, "dtype");
        if (elements < 1) throw new IllegalArgumentException("elements must be >= 1, got " + elements);
        if (elements > Long.MAX_VALUE / dtype.bytes()) {
            throw new IllegalArgumentException(elements + " " + dtype.id() + " elements are more than 2^63-1 bytes");
        }
        long bytes = elements * dtype.bytes();
        try (CallGate.Call call = enter()) {
            synchronized (buffers) {
                CudaBuffer b = new CudaBuffer(this, deviceAlloc(bytes), dtype, elements, true);
                buffers.add(b);
                return b;
            }
        }
    }

    /**
     * Wraps a device pointer the caller owns (it must belong to this device's primary context, or be
     * usable from it) as a buffer of {@code elements} × dtype; closing the buffer does not free it.
     * A pointer the driver does not know, one that is not a multiple of the element size, or one whose
     * mapped memory (as the driver reports it, adjacent mappings joined) ends before the last element, is an
     * IllegalArgumentException:
     * a fill there would corrupt other memory or leave the context unusable (see WrappedPointer).
     */
    public CudaBuffer wrap(CUdeviceptr pointer, DType dtype, long elements) {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(dtype, "dtype");
        if (elements < 1) throw new IllegalArgumentException("elements must be >= 1, got " + elements);
        if (elements > Long.MAX_VALUE / dtype.bytes()) {
            throw new IllegalArgumentException(elements + " " + dtype.id() + " elements are more than 2^63-1 bytes");
        }
        try (CallGate.Call call = enter()) {   // (the context current: the pointer is looked up in it)
            WrappedPointer.query(pointer, elements * dtype.bytes()).check(dtype, elements);
            return new CudaBuffer(this, pointer, dtype, elements, false);
        }
    }

    /** Called by CudaBuffer.close, under the buffer's lock: frees owned memory (unless the backend's close does). */
    void release(CudaBuffer b) {
        if (!b.owned()) return;
        // Inside the gate, so the backend's close waits for this free before it releases the context; refused once
        // the close has begun, when b is still in its list and the close frees it.
        CallGate.Call call;
        try {
            call = gate.enter();
        } catch (IllegalStateException closing) {
            return;
        }
        try (call) {
            synchronized (buffers) {
                if (!buffers.remove(b)) return;
            }
            JCudaDriver.cuCtxSetCurrent(context);
            JCudaDriver.cuMemFree(b.rawPointerForRelease());
        }
    }

    private CudaBuffer own(DeviceBuffer b) {
        Objects.requireNonNull(b, "buffer");
        if (!(b instanceof CudaBuffer c) || c.owner() != this) {
            throw new IllegalArgumentException("buffer " + b + " does not belong to this CUDA backend");
        }
        if (!c.isOpen()) throw new IllegalStateException("buffer is closed");
        return c;
    }

    // ---- fills --------------------------------------------------------------------------------------

    @Override public void fill(FillRequest request, DeviceBuffer dst) {
        Objects.requireNonNull(request, "request");
        CudaBuffer b = own(dst);
        if (b.dtype() != request.dtype()) {
            throw new IllegalArgumentException("buffer holds " + b.dtype().id() + " but the request is " + request.dtype().id());
        }
        if (b.elements() < request.count()) {
            throw new IllegalArgumentException("buffer holds " + b.elements() + " elements but the fill writes " + request.count());
        }
        try (CallGate.Call call = enter()) {
            b.use(call, () -> {   // the buffer cannot be freed under the kernel
                fillDevice(b.pointer(), request.compile(), 0, request.count());
                sync();
            });
        }
    }

    /**
     * Destination elements [dstFirst, dstFirst + n) of the fill into out[0 .. n): one launch per run, one
     * tile launch per block of whole rows (cuRAND fills contiguous sequences only: one call per row).
     */
    private void fillDevice(CUdeviceptr out, CompiledFill fill, long dstFirst, long n) {
        KernelArgs a = fill.args();
        long size = a.dtype().bytes();
        boolean byCurand = curand != null && CurandEngine.serves(a.kind());
        fill.spans(dstFirst, dstFirst + n, new CompiledFill.Spans() {
            @Override public void run(long first, long count, long dst) {
                fillRange(out.withByteOffset((dst - dstFirst) * size), a, first, count);
            }

            @Override public void rows(long first, long stride, long width, long rows, long dst) {
                if (byCurand) {
                    CompiledFill.Spans.super.rows(first, stride, width, rows, dst);
                    return;
                }
                long row0 = first / stride, col0 = first % stride;   // a tile's rows: stride is the tensor's column count
                kernels.fillTile(out.withByteOffset((dst - dstFirst) * size), a, stride, row0, rows, col0, width, stream);
            }
        });
    }

    private void fillRange(CUdeviceptr out, KernelArgs a, long first, long count) {
        if (curand != null && CurandEngine.serves(a.kind())) curand.fillRun(out, a, first, count);
        else kernels.fillRun(out, a, first, count, stream);
    }

    @Override public void fill(FillRequest request, MemorySegment dst) {
        Objects.requireNonNull(request, "request");
        try (CallGate.Call call = enter()) {
            fillHost(call, request, dst);
        }
    }

    /**
     * As the interface's, but a closed backend or a request that cannot run throws before anything is allocated in
     * the caller's arena (which may live long).
     */
    @Override public MemorySegment allocateAndFill(Arena arena, FillRequest request) {
        Objects.requireNonNull(arena, "arena");
        Objects.requireNonNull(request, "request");
        try (CallGate.Call call = enter()) {
            request.compile();
            MemorySegment seg = dev.tensorinit.NativeMemory.allocateUninitialized(arena, request.byteSize(), 64);
            fillHost(call, request, seg);
            return seg;
        }
    }

    private void fillHost(CallGate.Call call, FillRequest request, MemorySegment dst) {
        request.checkDestination(dst);
        CompiledFill fill = request.compile();
        long size = fill.dtype().bytes(), total = fill.count();
        long[] mem = freeAndTotal();
        // Stage through a device chunk: the whole tensor when it fits the budget, else chunked fills.
        long budget = Math.max(64, Math.min(hostChunkBytes, mem[0] / 2));
        // The whole tensor when it fits (one chunk, starting at element 0); else whole Philox blocks per chunk, which keep
        // each chunk's vector stores aligned. (Rounding a fitting 5-element fill down to 4 had cut it in two chunks.)
        long fits = budget / size;
        long chunk = total <= fits ? total : Math.max(4, fits & ~3L);
        if (pinnedHost.contains(dst) && total > chunk) {
            // Held: the copy engine writes dst behind the FFM API's back, and a close meanwhile would free it.
            SegmentHold.during(dst, () -> fillPinned(call, fill, dst, chunk));
            return;
        }
        try (DeviceScratch stage = stageAlloc(chunk, size);
             HostStaging pinned = dst.isNative() ? null : new HostStaging(Math.min(PINNED_BYTES, stage.bytes()))) {
            long per = stage.bytes() / size;
            try {
                for (long off = 0; off < total; off += per) {
                    call.checkpoint();   // the previous chunk's kernel and copy have finished
                    long n = Math.min(per, total - off);
                    fillDevice(stage.pointer(), fill, off, n);
                    sync();
                    copyOut(call, stage.pointer(), n * size, dst, off * size, pinned);
                }
            } catch (RuntimeException | Error e) {
                // A launch that failed after an earlier one of the chunk was queued: that one may still write the stage,
                // so the stream finishes before the stage is freed (fillPinned does the same in its finally).
                List<Throwable> ignored = new ArrayList<>();
                run(ignored, this::sync);
                ignored.forEach(e::addSuppressed);
                throw e;
            }
        }
    }

    /**
     * Into pinned host memory: two device chunks in turn, so that while chunk i is copied to the host on
     * the copy stream, chunk i+1's kernel runs on the compute stream. Events order the reuse of a chunk
     * after its copy. Nothing is left running when this returns or throws.
     */
    private void fillPinned(CallGate.Call call, CompiledFill fill, MemorySegment dst, long chunk) {
        long size = fill.dtype().bytes(), total = fill.count();
        DeviceScratch[] stage = new DeviceScratch[2];
        CUevent[] filled = {new CUevent(), new CUevent()}, copied = {new CUevent(), new CUevent()};
        Throwable failure = null;
        try {
            stage[0] = stageAlloc(chunk, size);
            stage[1] = stageAlloc(stage[0].bytes() / size, size);
            for (int i = 0; i < 2; i++) {
                JCudaDriver.cuEventCreate(filled[i], CUevent_flags.CU_EVENT_DISABLE_TIMING);
                JCudaDriver.cuEventCreate(copied[i], CUevent_flags.CU_EVENT_DISABLE_TIMING);
            }
            long per = Math.min(stage[0].bytes(), stage[1].bytes()) / size;
            int i = 0;
            for (long off = 0; off < total; off += per, i++) {
                int slot = i & 1;
                if (call.stopRequested()) {
                    JCudaDriver.cuStreamSynchronize(copyStream);
                    call.checkpoint();
                }
                long n = Math.min(per, total - off);
                if (i >= 2) JCudaDriver.cuStreamWaitEvent(stream, copied[slot], 0);   // the chunk's last copy is done
                fillDevice(stage[slot].pointer(), fill, off, n);
                JCudaDriver.cuEventRecord(filled[slot], stream);
                JCudaDriver.cuStreamWaitEvent(copyStream, filled[slot], 0);
                Pointer host = Pointer.to(dst.asSlice(off * size, n * size).asByteBuffer());
                JCudaDriver.cuMemcpyDtoHAsync(host, stage[slot].pointer(), n * size, copyStream);
                JCudaDriver.cuEventRecord(copied[slot], copyStream);
            }
            JCudaDriver.cuStreamSynchronize(copyStream);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            // On any failure too: no kernel or copy may still touch the chunks or the destination. Each wait on its
            // own: a failed wait for the kernels must not skip the wait for the copies into the caller's memory.
            List<Throwable> errors = new ArrayList<>();
            run(errors, () -> JCudaDriver.cuStreamSynchronize(copyStream));
            run(errors, this::sync);
            for (int i = 0; i < 2; i++) {
                if (stage[i] != null) run(errors, stage[i]::close);
                destroyQuietly(filled[i]);
                destroyQuietly(copied[i]);
            }
            if (failure != null) {
                errors.forEach(failure::addSuppressed);
            } else if (!errors.isEmpty()) {
                RuntimeException first = (RuntimeException) errors.getFirst();
                errors.stream().skip(1).forEach(first::addSuppressed);
                throw first;
            }
        }
    }

    private static void destroyQuietly(CUevent e) {
        try {
            JCudaDriver.cuEventDestroy(e);
        } catch (RuntimeException ignored) {
            // never created
        }
    }

    /** Nothing to prepare ahead (the kernels are loaded), but what a fill would refuse is refused here already. */
    @Override public void prepare(FillRequest request) {
        Objects.requireNonNull(request, "request");
        try (CallGate.Call call = gate.enter()) {
            KernelArgs a = request.kernelArgs();   // the same validation as every backend's prepare
            if (curand != null && CurandEngine.serves(a.kind())) CurandEngine.checkReach(a);   // and the curand engine's reach
        }
    }

    /**
     * Pinned host memory (cuMemHostAlloc, portable; above 2^31 - 1 bytes C memory registered with cuMemHostRegister),
     * freed when the arena closes, even after this backend has closed: a fill into it overlaps kernels with
     * device-to-host copies.
     */
    @Override public MemorySegment allocateHost(Arena arena, long bytes) {
        Objects.requireNonNull(arena, "arena");
        if (bytes < 1) throw new IllegalArgumentException("bytes must be >= 1, got " + bytes);
        try (CallGate.Call call = enter()) {
            return pinnedHost.allocate(arena, bytes);
        }
    }

    /** A staging buffer of up to {@code elements}; halves on out-of-memory down to 1 MiB. */
    private DeviceScratch stageAlloc(long elements, long size) {
        long e = elements;
        while (true) {
            try {
                return scratch(e * size);
            } catch (DeviceOutOfMemoryException oom) {
                if (e * size <= (1L << 20)) throw oom;
                e = Math.max(4, (e / 2) & ~3L);
            }
        }
    }

    @Override public void copyToHost(DeviceBuffer src, long srcIndex, MemorySegment dst) {
        CudaBuffer b = own(src);
        DeviceBuffer.checkCopy(b, srcIndex, dst);
        long bytes = dst.byteSize(), size = b.dtype().bytes();
        try (CallGate.Call call = enter();
             HostStaging pinned = dst.isNative() ? null : new HostStaging(Math.min(PINNED_BYTES, bytes))) {
            b.use(call, () -> {
                sync();
                copyOut(call, b.pointer().withByteOffset(srcIndex * size), bytes, dst, 0, pinned);
            });
        }
    }

    /**
     * Device bytes [0, bytes) of src to dst at dstOffset, in pieces, looking for an interrupt or a close before each (the
     * copies are synchronous: nothing is in flight then); heap destinations go through pinned staging.
     */
    private void copyOut(CallGate.Call call, CUdeviceptr src, long bytes, MemorySegment dst, long dstOffset, HostStaging pinned) {
        long piece = pinned == null ? MAX_COPY_BYTES : pinned.bytes();
        for (long o = 0; o < bytes; o += piece) {
            call.checkpoint();
            long n = Math.min(piece, bytes - o);
            if (pinned == null) {
                MemorySegment part = dst.asSlice(dstOffset + o, n);
                long from = o;
                SegmentHold.during(part, () -> JCudaDriver.cuMemcpyDtoH(Pointer.to(part.asByteBuffer()), src.withByteOffset(from), n));
            } else {
                JCudaDriver.cuMemcpyDtoH(pinned.pointer(), src.withByteOffset(o), n);
                MemorySegment.copy(pinned.segment(n), 0, dst, dstOffset + o, n);
            }
        }
    }

    // ---- lifecycle ----------------------------------------------------------------------------------

    /** Waits for calls in progress (host fills stop at their next chunk), then frees buffers, kernels and the context. */
    @Override public void close() {
        gate.close(this::release);
    }

    private void release() {
        List<CudaBuffer> open;
        synchronized (buffers) {
            open = new ArrayList<>(buffers);
            buffers.clear();
        }
        JCudaDriver.cuCtxSetCurrent(context);
        List<Throwable> errors = new ArrayList<>();
        run(errors, this::sync);
        for (CudaBuffer b : open) {
            // markClosed takes the buffer's lock: a user's copy from it finishes first. Free it even when the user's own
            // close marked it first: that close's release was refused by the gate (or found it gone from the list),
            // so nothing else frees what is still in this list.
            b.markClosed();
            run(errors, () -> JCudaDriver.cuMemFree(b.rawPointerForRelease()));
        }
        if (curand != null) run(errors, curand::close);
        run(errors, kernels::close);
        run(errors, () -> JCudaDriver.cuStreamDestroy(copyStream));
        run(errors, () -> JCudaDriver.cuDevicePrimaryCtxRelease(cuDevice));
        if (!errors.isEmpty()) {
            IllegalStateException e = new IllegalStateException("closing the CUDA backend hit " + errors.size() + " error(s)", errors.get(0));
            errors.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }

    private static void run(List<Throwable> errors, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            errors.add(e); // keep freeing the rest
        }
    }
}

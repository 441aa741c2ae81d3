package dev.tensorinit.opencl;

import dev.tensorinit.spi.JvmSignals;
import dev.tensorinit.CompiledFill;
import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.CallGate;
import dev.tensorinit.spi.DeviceBuffer;
import dev.tensorinit.spi.SegmentHold;
import dev.tensorinit.spi.DeviceOutOfMemoryException;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_event;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Fills tensors on one OpenCL device with kernels built from the shared header. Host segments are
 * filled in place through CL_MEM_USE_HOST_PTR (native, element-aligned segments) or staged through a
 * device buffer (heap or unaligned segments); device buffers larger than the device's largest single
 * allocation are split into several cl_mem. Thread-safe: kernel arguments are set under a per-program
 * lock and each buffer is used by one fill or copy at a time.
 */
public final class OpenClBackend implements Backend {
    private static final System.Logger LOG = System.getLogger(OpenClBackend.class.getName());
    /** Host bytes per CL_MEM_USE_HOST_PTR buffer at most: a ByteBuffer view must stay below 2 GiB. */
    static final long HOST_CHUNK_BYTES = 1L << 30;
    /** Staging buffer size for heap or unaligned destinations and for copies to heap segments. */
    static final long STAGE_BYTES = 16L << 20;
    /**
     * Bytes per read of copyToHost into native memory; between reads a copy notices an interrupt or a close (a single
     * 1 GiB read ran 350-470 ms past an interrupt).
     */
    static final long COPY_PIECE_BYTES = 64L << 20;
    /**
     * Work-items per work-group along dimension 0. Fixed rather than left to the driver: PoCL compiles a
     * work-group function per local size, and a driver-chosen size that follows the global size made
     * every differently sized launch pay a fresh compile (seconds per test before this).
     */
    static final long DEFAULT_LOCAL_SIZE = 64;
    /**
     * Elements per piece of a fill: between pieces a fill notices an interrupt or a close. About 70 ms
     * of normals on a 2-core CPU device, microseconds on a GPU, where one piece stays in flight
     * while the next is enqueued so the device never idles.
     */
    static final long PIECE_ELEMENTS = 1L << 24;

    private final ClDevice device;
    private final long maxAllocBytes;
    private final long localSize;
    private final int blocksPerItem;
    private final long maxItems;
    private final cl_context context;
    private final cl_command_queue queue;
    /**
     * Programs built for other contexts (wrapped user buffers, another backend's buffers), most recently used last: at
     * most {@value #FOREIGN_PROGRAMS}. Unbounded, each foreign context this backend ever filled kept a program (about 2
     * MiB here) and, through it, the context itself alive until the backend closed: a long-lived backend filling the
     * buffers of short-lived contexts grew by 2-3 MiB per context. An evicted program is released once no fill uses it.
     */
    private final LinkedHashMap<List<Long>, ClProgram> foreign = new LinkedHashMap<>(16, 0.75f, true);
    static final int FOREIGN_PROGRAMS = 4;
    /** Fills using each foreign program now, and the evicted ones still in use (released by the last of them). */
    private final Map<ClProgram, Integer> inUse = new IdentityHashMap<>();
    private final Set<ClProgram> evicted = Collections.newSetFromMap(new IdentityHashMap<>());
    private final ClProgram own;
    private final CallGate gate = new CallGate("opencl");
    /** Buffers this backend allocated and that are still open: closing the backend releases them. */
    private final Set<OpenClBuffer> buffers = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Opens a context and queue on the device and builds the kernels; tuning changes how work is cut, never a value. */
    OpenClBackend(ClDevice device, Tuning tuning) {
        JvmSignals.original();
        this.device = Objects.requireNonNull(device, "device");
        this.maxAllocBytes = tuning.maxAllocBytes() > 0 ? Math.min(tuning.maxAllocBytes(), device.maxAllocBytes()) : device.maxAllocBytes();
        this.localSize = tuning.localSize() > 0 ? tuning.localSize() : Math.max(1, Math.min(DEFAULT_LOCAL_SIZE, device.maxWorkGroupSize()));
        this.blocksPerItem = tuning.blocksPerItem() > 0 ? tuning.blocksPerItem() : KernelSource.blocksPerItem(device);
        this.maxItems = tuning.maxItemsPerLaunch() > 0 ? tuning.maxItemsPerLaunch() : FillLauncher.MAX_ITEMS;
        if (!device.correctlyRoundedDivideSqrt()) {
            LOG.log(System.Logger.Level.WARNING, "OpenCL device " + device.label() + " does not offer correctly rounded"
                    + " f32 divide/sqrt: f32, bf16 and f16 normal and truncated-normal values may differ from the reference");
        }
        int[] err = new int[1];
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, device.platform());
        cl_context ctx = CL.clCreateContext(props, 1, new cl_device_id[] {device.device()}, null, null, err);
        Cl.check(err[0], "clCreateContext(" + device.label() + ")");
        cl_command_queue q = null;
        try {
            @SuppressWarnings("deprecation")
            cl_command_queue created = CL.clCreateCommandQueue(ctx, device.device(), 0, err);
            Cl.check(err[0], "clCreateCommandQueue");
            q = created;
            this.context = ctx;
            this.queue = q;
            this.own = ClProgram.build(ctx, device, blocksPerItem);
        } catch (RuntimeException | Error e) {
            if (q != null) CL.clReleaseCommandQueue(q);
            CL.clReleaseContext(ctx);
            throw e;
        } finally {
            JvmSignals.original().repair("context creation");
        }
    }

    /**
     * Wraps a user's cl_mem holding {@code elements} elements of {@code dtype}, used with the user's
     * context and queue. Closing the wrapper releases nothing of the user's; the user keeps the
     * context, queue and buffer alive while the wrapper is in use. A backend that fills it builds its kernels for the
     * user's context once and keeps them (and so the context) for its last {@value #FOREIGN_PROGRAMS} such contexts.
     */
    public static OpenClBuffer wrap(cl_context context, cl_command_queue queue, cl_mem buffer, DType dtype, long elements) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(dtype, "dtype");
        if (elements < 1) throw new IllegalArgumentException("elements must be >= 1, got " + elements);
        if (elements > Long.MAX_VALUE / dtype.bytes()) {   // as allocate says it, not an ArithmeticException
            throw new IllegalArgumentException(elements + " " + dtype.id() + " elements are more than 2^63-1 bytes");
        }
        long bytes = elements * dtype.bytes();
        // A buffer or queue of another context: PoCL ran the kernel anyway, other drivers fail at launch or worse.
        cl_context memContext = new cl_context(), queueContext = new cl_context();
        Cl.check(CL.clGetMemObjectInfo(buffer, CL.CL_MEM_CONTEXT, Sizeof.cl_context, Pointer.to(memContext), null),
                "clGetMemObjectInfo(CL_MEM_CONTEXT)");
        Cl.check(CL.clGetCommandQueueInfo(queue, CL.CL_QUEUE_CONTEXT, Sizeof.cl_context, Pointer.to(queueContext), null),
                "clGetCommandQueueInfo(CL_QUEUE_CONTEXT)");
        if (memContext.getNativePointer() != context.getNativePointer()) {
            throw new IllegalArgumentException("the cl_mem belongs to another context than the one given");
        }
        if (queueContext.getNativePointer() != context.getNativePointer()) {
            throw new IllegalArgumentException("the command queue belongs to another context than the one given");
        }
        long[] size = new long[1];
        Cl.check(CL.clGetMemObjectInfo(buffer, CL.CL_MEM_SIZE, Sizeof.size_t, Pointer.to(size), null), "clGetMemObjectInfo(CL_MEM_SIZE)");
        if (size[0] < bytes) {
            throw new IllegalArgumentException("cl_mem holds " + size[0] + " bytes but " + elements + " " + dtype.id()
                    + " elements need " + bytes);
        }
        cl_device_id dev = new cl_device_id();
        Cl.check(CL.clGetCommandQueueInfo(queue, CL.CL_QUEUE_DEVICE, Sizeof.cl_device_id, Pointer.to(dev), null),
                "clGetCommandQueueInfo(CL_QUEUE_DEVICE)");
        cl_platform_id platform = new cl_platform_id();
        Cl.check(CL.clGetDeviceInfo(dev, CL.CL_DEVICE_PLATFORM, Sizeof.cl_platform_id, Pointer.to(platform), null),
                "clGetDeviceInfo(CL_DEVICE_PLATFORM)");
        ClDevice d = ClDevice.query(platform, dev, -1, -1);
        ClProgram.requireSupported(d, dtype);
        return new OpenClBuffer(context, queue, d, dtype, elements, List.of(buffer), elements, false, b -> { });
    }

    @Override public String name() { return "opencl"; }

    @Override public String description() {
        return "opencl: " + device.label() + " (" + device.kind() + "), kernels built in "
                + String.format(Locale.ROOT, "%.0f ms", own.buildNanos() / 1e6) + " with '" + KernelSource.options(device, blocksPerItem) + "'"
                + (device.correctlyRoundedDivideSqrt() ? "" : "; WARNING: no correctly rounded f32 divide/sqrt, normals may differ from the reference");
    }

    /** The device in use. */
    ClDevice device() { return device; }

    cl_context context() { return context; }

    /** Nanoseconds the build of this backend's program took (from source, through the driver's own cache if any). */
    long buildNanos() { return own.buildNanos(); }

    /**
     * The program for (context, device), to be given back with {@link #release(ClProgram)}: this backend's own, or one of
     * the last {@value #FOREIGN_PROGRAMS} other contexts' (built on first use; see {@link #foreign}).
     */
    synchronized ClProgram acquire(cl_context ctx, ClDevice dev) {
        if (ctx.getNativePointer() == context.getNativePointer() && dev.device().getNativePointer() == device.device().getNativePointer()) {
            return own;
        }
        List<Long> key = List.of(ctx.getNativePointer(), dev.device().getNativePointer());
        ClProgram p = foreign.get(key);
        if (p == null) {
            p = ClProgram.build(ctx, dev, blocksPerItem);
            foreign.put(key, p);
            if (foreign.size() > FOREIGN_PROGRAMS) {
                var eldest = foreign.entrySet().iterator();
                ClProgram old = eldest.next().getValue();
                eldest.remove();
                if (inUse.containsKey(old)) evicted.add(old); else old.close();
            }
        }
        inUse.merge(p, 1, Integer::sum);
        return p;
    }

    /** Gives back a program from {@link #acquire}: an evicted one is released by its last user. */
    synchronized void release(ClProgram p) {
        if (p == own) return;
        if (inUse.merge(p, -1, Integer::sum) > 0) return;
        inUse.remove(p);
        if (evicted.remove(p)) p.close();
    }

    /** Programs built for other contexts and still held (cached or in use), for tests. */
    synchronized int foreignPrograms() {
        return foreign.size() + evicted.size();
    }

    @Override public void fill(FillRequest request, MemorySegment dst) {
        Objects.requireNonNull(request, "request");
        try (CallGate.Call call = gate.enter()) {
            SegmentHold.accessing(dst, () -> fillHost(call, request, dst));
        } finally {
            JvmSignals.original().repair("a fill");
        }
    }

    private void fillHost(CallGate.Call call, FillRequest request, MemorySegment dst) {
        request.checkDestination(dst);
        CompiledFill geo = request.compile();
        KernelArgs args = geo.args();
        ClProgram.requireSupported(device, args.dtype());
        long n = geo.count();
        int size = args.dtype().bytes();
        FillLauncher launcher = new FillLauncher(own, queue, args, localSize, maxItems);
        if (dst.isNative() && dst.address() % size == 0) {
            long chunk = chunkElements(Math.min(maxAllocBytes, HOST_CHUNK_BYTES), size);
            for (long cs = 0; cs < n; cs += chunk) {
                long len = Math.min(chunk, n - cs);
                fillInPlace(call, launcher, geo, cs, len, dst.asSlice(cs * size, len * size));
            }
        } else {
            fillStaged(call, launcher, geo, n, size, dst);
        }
    }

    /**
     * The kernel writes straight into the host segment; map/unmap makes the result visible on any device. The
     * segment's arena is held open meanwhile: the device writes it behind the FFM API's back.
     */
    private void fillInPlace(CallGate.Call call, FillLauncher launcher, CompiledFill geo, long cs, long len, MemorySegment part) {
        SegmentHold.during(part, () -> {
            long bytes = part.byteSize();
            cl_mem m = createBuffer(context, CL.CL_MEM_READ_WRITE | CL.CL_MEM_USE_HOST_PTR, bytes, Pointer.to(part.asByteBuffer()));
            try {
                inPieces(call, queue, len, (off, k) -> launcher.fill(m, off, geo, cs + off, k));
                int[] err = new int[1];
                ByteBuffer mapped = CL.clEnqueueMapBuffer(queue, m, CL.CL_TRUE, CL.CL_MAP_READ, 0, bytes, 0, null, null, err);
                Cl.check(err[0], "clEnqueueMapBuffer", bytes);
                Cl.check(CL.clEnqueueUnmapMemObject(queue, m, mapped, 0, null, null), "clEnqueueUnmapMemObject");
                Cl.check(CL.clFinish(queue), "clFinish");
            } finally {
                CL.clFinish(queue); // the segment must not be written after we return, even on failure
                CL.clReleaseMemObject(m);
            }
        });
    }

    /** Heap or unaligned destinations: fill a device buffer, read it back, copy it over. */
    private void fillStaged(CallGate.Call call, FillLauncher launcher, CompiledFill geo, long n, int size, MemorySegment dst) {
        long chunk = chunkElements(Math.min(maxAllocBytes, STAGE_BYTES), size);
        long stage = Math.min(chunk, n) * size;
        cl_mem scratch = createBuffer(context, CL.CL_MEM_READ_WRITE, stage, null);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment tmp = arena.allocate(stage, 64);
            ByteBuffer tmpView = tmp.asByteBuffer();
            for (long cs = 0; cs < n; cs += chunk) {
                call.checkpoint();
                long len = Math.min(chunk, n - cs);
                launcher.fill(scratch, 0, geo, cs, len);
                Cl.check(CL.clEnqueueReadBuffer(queue, scratch, CL.CL_TRUE, 0, len * size, Pointer.to(tmpView), 0, null, null),
                        "clEnqueueReadBuffer");
                MemorySegment.copy(tmp, 0, dst, cs * size, len * size);
            }
        } finally {
            CL.clFinish(queue);
            CL.clReleaseMemObject(scratch);
        }
    }

    /** Enqueues [0, len) in pieces of PIECE_ELEMENTS. */
    @FunctionalInterface
    interface PieceLauncher {
        void launch(long offset, long count);
    }

    /**
     * Enqueues {@code len} elements piece by piece, with at most two pieces queued: before enqueueing
     * a third, it waits for the first, and looks for an interrupt or a close. On a stop it drains the
     * queue and throws; a device command never outlives the call.
     */
    static void inPieces(CallGate.Call call, cl_command_queue q, long len, PieceLauncher launcher) {
        cl_event previous = null;
        try {
            for (long off = 0; off < len; off += PIECE_ELEMENTS) {
                if (call.stopRequested()) {
                    Cl.check(CL.clFinish(q), "clFinish");
                    call.checkpoint();
                }
                launcher.launch(off, Math.min(PIECE_ELEMENTS, len - off));
                cl_event marker = new cl_event();
                Cl.check(CL.clEnqueueMarkerWithWaitList(q, 0, null, marker), "clEnqueueMarkerWithWaitList");
                // The new marker is the one finally waits for and releases, even when this wait fails (it leaked).
                cl_event older = previous;
                previous = marker;
                if (older != null) {
                    try {
                        Cl.check(CL.clWaitForEvents(1, new cl_event[] {older}), "clWaitForEvents");
                    } finally {
                        CL.clReleaseEvent(older);
                    }
                }
            }
        } finally {
            if (previous != null) {
                CL.clWaitForEvents(1, new cl_event[] {previous});
                CL.clReleaseEvent(previous);
            }
        }
    }

    /**
     * As the interface's, but a closed backend, a request that cannot run or an f64 fill on a device without
     * cl_khr_fp64 throws before anything is allocated in the caller's arena (which may live long).
     */
    @Override public MemorySegment allocateAndFill(Arena arena, FillRequest request) {
        Objects.requireNonNull(arena, "arena");
        Objects.requireNonNull(request, "request");
        try (CallGate.Call call = gate.enter()) {
            ClProgram.requireSupported(device, request.compile().dtype());
            MemorySegment seg = dev.tensorinit.NativeMemory.allocateUninitialized(arena, request.byteSize(), 64);
            SegmentHold.accessing(seg, () -> fillHost(call, request, seg));
            return seg;
        } finally {
            JvmSignals.original().repair("a fill");
        }
    }

    /** As every backend's: host memory from the C library; a closed backend refuses, as for every call. */
    @Override public MemorySegment allocateHost(Arena arena, long bytes) {
        try (CallGate.Call call = gate.enter()) {
            return Backend.super.allocateHost(arena, bytes);
        }
    }

    /** Nothing to prepare ahead (kernels are built per program key on first use); a closed backend refuses. */
    @Override public void prepare(FillRequest request) {
        Objects.requireNonNull(request, "request");
        try (CallGate.Call call = gate.enter()) {
            request.kernelArgs();   // the same validation as every backend's prepare
        }
    }

    @Override public DeviceBuffer allocate(DType dtype, long elements) {
        Objects.requireNonNull(dtype, "dtype");
        if (elements < 1) throw new IllegalArgumentException("elements must be >= 1, got " + elements);
        if (elements > Long.MAX_VALUE / dtype.bytes()) {
            throw new IllegalArgumentException(elements + " " + dtype.id() + " elements are more than 2^63-1 bytes");
        }
        try (CallGate.Call call = gate.enter()) {
            ClProgram.requireSupported(device, dtype);
            long bytes = elements * dtype.bytes();
            if (bytes > device.globalMemBytes()) {
                throw new DeviceOutOfMemoryException(elements + " " + dtype.id() + " elements need " + bytes + " bytes but "
                        + device.label() + " has " + device.globalMemBytes() + " bytes of global memory", bytes, null);
            }
            long pieceElements = chunkElements(maxAllocBytes, dtype.bytes());
            List<cl_mem> pieces = new ArrayList<>();
            try {
                for (long at = 0; at < elements; at += pieceElements) {
                    pieces.add(createBuffer(context, CL.CL_MEM_READ_WRITE, Math.min(pieceElements, elements - at) * dtype.bytes(), null));
                }
            } catch (RuntimeException | Error e) {
                for (cl_mem m : pieces) CL.clReleaseMemObject(m);
                if (e instanceof DeviceOutOfMemoryException oom) {
                    throw new DeviceOutOfMemoryException("allocating " + bytes + " bytes (" + elements + " " + dtype.id()
                            + ") on " + device.label() + " failed: " + oom.getMessage(), bytes, oom);
                }
                throw e;
            }
            OpenClBuffer b = new OpenClBuffer(context, queue, device, dtype, elements, pieces, pieceElements, true, this::forget);
            synchronized (buffers) {
                buffers.add(b);
            }
            return b;
        }
    }

    private void forget(OpenClBuffer b) {
        synchronized (buffers) {
            buffers.remove(b);
        }
    }

    @Override public void fill(FillRequest request, DeviceBuffer dst) {
        Objects.requireNonNull(request, "request");
        OpenClBuffer b = opencl(dst);
        if (b.dtype() != request.dtype()) {
            throw new IllegalArgumentException("buffer holds " + b.dtype().id() + " but the fill is " + request.dtype().id());
        }
        long n = request.count();
        if (n > b.elements()) {
            throw new IllegalArgumentException("buffer holds " + b.elements() + " elements but the fill writes " + n);
        }
        try (CallGate.Call call = gate.enter()) {
            CompiledFill geo = request.compile();
            KernelArgs args = geo.args();
            b.use(call, () -> {   // the buffer cannot be closed under the fill
                ClProgram program = acquire(b.context(), b.device());
                try {
                    FillLauncher launcher = new FillLauncher(program, b.queue(), args, localSize, maxItems);
                    try {
                        for (int i = 0; (long) i * b.pieceElements() < n; i++) {
                            long cs = i * b.pieceElements();
                            cl_mem piece = b.piece(i);
                            inPieces(call, b.queue(), Math.min(b.pieceElements(), n - cs), (off, k) -> launcher.fill(piece, off, geo, cs + off, k));
                        }
                        Cl.check(CL.clFinish(b.queue()), "clFinish", request.byteSize());
                    } finally {
                        CL.clFinish(b.queue());
                    }
                } finally {
                    release(program);
                }
            });
        } finally {
            JvmSignals.original().repair("a fill");
        }
    }

    @Override public void copyToHost(DeviceBuffer src, long srcIndex, MemorySegment dst) {
        OpenClBuffer b = opencl(src);
        DeviceBuffer.checkCopy(b, srcIndex, dst);
        int size = b.dtype().bytes();
        long bytes = dst.byteSize();
        long n = bytes / size;
        try (CallGate.Call call = gate.enter()) {
          b.use(call, () -> {
            long pe = b.pieceElements();
            long done = 0;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment tmp = dst.isNative() ? null : arena.allocate(Math.min(bytes, STAGE_BYTES), 64);
                long part = dst.isNative() ? chunkElements(COPY_PIECE_BYTES, size) : tmp.byteSize() / size;
                while (done < n) {
                    call.checkpoint();   // each read is blocking: nothing is in flight here
                    long e = srcIndex + done;
                    int piece = (int) (e / pe);
                    long inPiece = e - piece * pe;
                    long len = Math.min(Math.min(part, n - done), pe - inPiece);
                    long len0 = len * size;
                    MemorySegment into = tmp == null ? dst.asSlice(done * size, len0) : tmp.asSlice(0, len0);
                    // Held: the driver writes dst behind the FFM API's back (a close meanwhile had crashed the JVM).
                    SegmentHold.during(into, () -> Cl.check(CL.clEnqueueReadBuffer(b.queue(), b.piece(piece), CL.CL_TRUE,
                            inPiece * size, len0, Pointer.to(into.asByteBuffer()), 0, null, null), "clEnqueueReadBuffer"));
                    if (tmp != null) MemorySegment.copy(tmp, 0, dst, done * size, len0);
                    done += len;
                }
            }
          });
        }
    }

    /** Elements per chunk of at most maxBytes, a multiple of 4 so chunks split no Philox block. */
    static long chunkElements(long maxBytes, int size) {
        long e = maxBytes / size & ~3L;
        if (e < 4) throw new IllegalArgumentException("allocation cap of " + maxBytes + " bytes is below 4 elements");
        return e;
    }

    private static cl_mem createBuffer(cl_context ctx, long flags, long bytes, Pointer host) {
        int[] err = new int[1];
        cl_mem m = CL.clCreateBuffer(ctx, flags, bytes, host, err);
        Cl.check(err[0], "clCreateBuffer(" + bytes + " bytes)", bytes);
        return m;
    }

    private OpenClBuffer opencl(DeviceBuffer b) {
        Objects.requireNonNull(b, "buffer");
        if (!(b instanceof OpenClBuffer o)) throw new IllegalArgumentException("buffer belongs to backend " + b.backend() + ", not opencl");
        return o;
    }

    /** Waits for calls in progress (fills stop at their next piece), then releases buffers, kernels, queue and context. */
    @Override public void close() {
        gate.close(this::release);
    }

    private void release() {
        List<OpenClBuffer> open;
        synchronized (buffers) {
            open = new ArrayList<>(buffers);
            buffers.clear();
        }
        for (OpenClBuffer b : open) b.close();
        synchronized (this) {   // no call is in progress: every foreign program was given back
            own.close();
            for (ClProgram p : foreign.values()) p.close();
            for (ClProgram p : evicted) p.close();
            foreign.clear();
            evicted.clear();
            inUse.clear();
        }
        CL.clReleaseCommandQueue(queue);
        CL.clReleaseContext(context);
    }
}

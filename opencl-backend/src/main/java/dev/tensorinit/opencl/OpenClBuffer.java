package dev.tensorinit.opencl;

import dev.tensorinit.DType;
import dev.tensorinit.spi.BufferLock;
import dev.tensorinit.spi.CallGate;
import dev.tensorinit.spi.DeviceBuffer;
import org.jocl.CL;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_mem;

import java.util.List;
import java.util.function.Consumer;

/**
 * Device memory for one tensor: one cl_mem, or several of {@code pieceElements} elements each when
 * the tensor exceeds the device's largest single allocation (the split is invisible to callers).
 * A wrapped user buffer keeps the user's context and queue and is never released by us.
 */
public final class OpenClBuffer implements DeviceBuffer {
    private final cl_context context;
    private final cl_command_queue queue;
    private final ClDevice device;
    private final DType dtype;
    private final long elements;
    private final List<cl_mem> pieces;
    private final long pieceElements;
    private final boolean owned;
    private final Consumer<OpenClBuffer> onClose;
    private final BufferLock lock;

    OpenClBuffer(cl_context context, cl_command_queue queue, ClDevice device, DType dtype, long elements,
                 List<cl_mem> pieces, long pieceElements, boolean owned, Consumer<OpenClBuffer> onClose) {
        this.context = context;
        this.queue = queue;
        this.device = device;
        this.dtype = dtype;
        this.elements = elements;
        this.pieces = List.copyOf(pieces);
        this.pieceElements = pieceElements;
        this.owned = owned;
        this.onClose = onClose;
        this.lock = new BufferLock("OpenCL buffer of " + elements + " " + dtype.id() + " elements");
    }

    @Override public String backend() { return "opencl"; }
    @Override public DType dtype() { return dtype; }
    @Override public long elements() { return elements; }
    @Override public boolean isOpen() { return lock.isOpen(); }

    /** True for a buffer this library allocated, false for a wrapped user cl_mem. */
    public boolean owned() { return owned; }

    /** Number of cl_mem allocations behind this buffer (more than one past the device's max allocation). */
    public int pieceCount() { return pieces.size(); }

    cl_context context() { return context; }
    cl_command_queue queue() { return queue; }
    ClDevice device() { return device; }
    long pieceElements() { return pieceElements; }
    cl_mem piece(int i) { return pieces.get(i); }

    /**
     * Runs {@code work} while the buffer cannot be closed: fills and copies run here, so closing the buffer waits for
     * them. Waiting for another fill or copy ends on an interrupt or a close of the call's backend (BufferLock.use).
     */
    void use(CallGate.Call call, Runnable work) {
        lock.use(call, work);
    }

    /** The lock itself, for tests that hold the buffer busy. */
    BufferLock lock() { return lock; }

    @Override public void close() {
        lock.close(() -> {
            if (owned) for (cl_mem m : pieces) CL.clReleaseMemObject(m);
            onClose.accept(this);
        });
    }
}

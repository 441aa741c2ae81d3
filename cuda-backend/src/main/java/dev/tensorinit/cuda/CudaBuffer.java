package dev.tensorinit.cuda;

import dev.tensorinit.DType;
import dev.tensorinit.spi.BufferLock;
import dev.tensorinit.spi.CallGate;
import dev.tensorinit.spi.DeviceBuffer;
import jcuda.driver.CUdeviceptr;

/**
 * Device memory of one {@link CudaBackend}: allocated by it (freed on close) or a user's pointer wrapped
 * by {@link CudaBackend#wrap} (never freed here). Closing twice is harmless.
 */
public final class CudaBuffer implements DeviceBuffer {
    private final CudaBackend owner;
    private final CUdeviceptr pointer;
    private final DType dtype;
    private final long elements;
    private final boolean owned;
    private final BufferLock lock;

    CudaBuffer(CudaBackend owner, CUdeviceptr pointer, DType dtype, long elements, boolean owned) {
        this.owner = owner;
        this.pointer = pointer;
        this.dtype = dtype;
        this.elements = elements;
        this.owned = owned;
        this.lock = new BufferLock("CUDA buffer of " + elements + " " + dtype.id() + " elements");
    }

    /** The device pointer, e.g. to hand to the user's own kernels. */
    public CUdeviceptr pointer() {
        if (!lock.isOpen()) throw new IllegalStateException("CUDA buffer is closed");
        return pointer;
    }

    CudaBackend owner() { return owner; }

    /** The pointer even after close: only for the backend freeing it. */
    CUdeviceptr rawPointerForRelease() { return pointer; }

    /** True when this backend allocated the memory (and so frees it). */
    public boolean owned() { return owned; }

    @Override public String backend() { return "cuda"; }
    @Override public DType dtype() { return dtype; }
    @Override public long elements() { return elements; }
    @Override public boolean isOpen() { return lock.isOpen(); }

    /**
     * Runs {@code work} while the buffer cannot be freed: fills and copies run here, so the memory is freed only after
     * them. Waiting for another fill or copy ends on an interrupt or a close of the call's backend (BufferLock.use).
     */
    void use(CallGate.Call call, Runnable work) {
        lock.use(call, work);
    }

    @Override public void close() {
        lock.close(() -> owner.release(this));
    }

    /** Marks the buffer closed without freeing (the backend frees owned memory itself on its close). */
    boolean markClosed() {
        return lock.close(() -> { });
    }

    @Override public String toString() {
        return "CudaBuffer[" + elements + " " + dtype.id() + ", " + (owned ? "owned" : "wrapped") + ", " + (isOpen() ? "open" : "closed") + "]";
    }
}

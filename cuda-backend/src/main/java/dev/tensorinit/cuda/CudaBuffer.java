package dev.tensorinit.cuda;

import dev.tensorinit.DType;
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
    private volatile boolean open = true;

    CudaBuffer(CudaBackend owner, CUdeviceptr pointer, DType dtype, long elements, boolean owned) {
        this.owner = owner;
        this.pointer = pointer;
        this.dtype = dtype;
        this.elements = elements;
        this.owned = owned;
    }

    /** The device pointer, e.g. to hand to the user's own kernels. */
    public CUdeviceptr pointer() {
        if (!open) throw new IllegalStateException("CUDA buffer is closed");
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
    @Override public boolean isOpen() { return open; }

    /** Fills and copies hold this buffer's lock, so the memory is freed only after them. */
    @Override public synchronized void close() {
        if (!open) return;
        open = false;
        owner.release(this);
    }

    /** Marks the buffer closed without freeing (the backend frees owned memory itself on its close). */
    synchronized boolean markClosed() {
        boolean was = open;
        open = false;
        return was;
    }

    @Override public String toString() {
        return "CudaBuffer[" + elements + " " + dtype.id() + ", " + (owned ? "owned" : "wrapped") + ", " + (open ? "open" : "closed") + "]";
    }
}

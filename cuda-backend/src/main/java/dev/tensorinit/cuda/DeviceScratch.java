package dev.tensorinit.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/** A temporary device allocation for one operation, freed by try-with-resources (the context must be current). */
final class DeviceScratch implements AutoCloseable {
    private final CUdeviceptr pointer;
    private final long bytes;
    private boolean freed;

    DeviceScratch(CUdeviceptr pointer, long bytes) {
        this.pointer = pointer;
        this.bytes = bytes;
    }

    CUdeviceptr pointer() { return pointer; }
    long bytes() { return bytes; }

    @Override public void close() {
        if (!freed) {
            freed = true;
            JCudaDriver.cuMemFree(pointer);
        }
    }
}

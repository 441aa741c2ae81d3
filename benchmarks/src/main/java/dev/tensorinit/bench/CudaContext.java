package dev.tensorinit.bench;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * Device 0's primary context (the one the CUDA runtime and cuRAND also use) with one allocation.
 * JMH may run iterations on different threads, so {@link #makeCurrent} is called before each use.
 */
final class CudaContext implements AutoCloseable {
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    final CUdeviceptr ptr = new CUdeviceptr();
    final long bytes;
    private boolean allocated;

    CudaContext(long bytes) {
        DeviceProbe.Found f = DeviceProbe.cuda();
        if (!f.available()) throw new IllegalStateException("CUDA benchmark skipped: " + f.reason());
        if (bytes > f.maxAllocBytes()) throw new IllegalStateException(f.device() + " has less than the " + bytes + " bytes needed");
        this.bytes = bytes;
        JCudaDriver.cuDeviceGet(device, 0);
        JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
        makeCurrent();
        JCudaDriver.cuMemAlloc(ptr, bytes);
        allocated = true;
    }

    void makeCurrent() { JCudaDriver.cuCtxSetCurrent(context); }

    void sync() { JCudaDriver.cuCtxSynchronize(); }

    @Override public void close() {
        makeCurrent();
        if (allocated) {
            allocated = false;
            JCudaDriver.cuMemFree(ptr);
        }
        JCudaDriver.cuDevicePrimaryCtxRelease(device);
    }
}

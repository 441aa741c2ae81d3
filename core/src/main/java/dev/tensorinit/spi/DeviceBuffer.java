package dev.tensorinit.spi;

import dev.tensorinit.DType;

/**
 * Memory owned by (or wrapped for) one backend: a device allocation, or host memory for the CPU
 * backend. Closing frees what the backend allocated (a wrapped user buffer is left alone); closing
 * twice is harmless.
 */
public interface DeviceBuffer extends AutoCloseable {
    String backend();
    DType dtype();
    long elements();
    default long byteSize() { return Math.multiplyExact(elements(), dtype().bytes()); }
    boolean isOpen();
    @Override void close();
}

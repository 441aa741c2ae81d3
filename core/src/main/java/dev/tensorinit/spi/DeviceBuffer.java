package dev.tensorinit.spi;

import java.lang.foreign.MemorySegment;

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

    /**
     * The checks of {@code Backend.copyToHost}, the same on every backend: dst must be writable, open and accessible
     * by this thread (WrongThreadException otherwise, whatever the size), a whole number of elements, and inside src
     * from element srcIndex.
     */
    static void checkCopy(DeviceBuffer src, long srcIndex, MemorySegment dst) {
        java.util.Objects.requireNonNull(src, "src");
        java.util.Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) throw new IllegalArgumentException("destination segment is read-only");
        if (!dst.scope().isAlive()) throw new IllegalStateException("destination segment's arena is already closed");
        if (!dst.isAccessibleBy(Thread.currentThread())) {
            throw new WrongThreadException("destination segment is confined to another thread than " + Thread.currentThread().getName());
        }
        long bytes = dst.byteSize(), size = src.dtype().bytes();
        if (bytes % size != 0) {   // not "outside the buffer": the destination's size is the problem, wherever it starts
            throw new IllegalArgumentException("copy of " + bytes + " bytes is not a whole number of " + src.dtype().id()
                    + " elements (" + size + " bytes each): the destination must hold whole elements");
        }
        if (srcIndex < 0 || srcIndex > src.elements() || bytes / size > src.elements() - srcIndex) {
            throw new IllegalArgumentException("copy of " + bytes + " bytes from element " + srcIndex
                    + " is outside the buffer of " + src.elements() + " " + src.dtype().id() + " elements");
        }
    }
    @Override void close();
}

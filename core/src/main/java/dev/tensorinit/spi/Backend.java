package dev.tensorinit.spi;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One backend, ready to fill. Implementations are thread-safe: several threads may fill different
 * buffers through one backend at once. Bad input gets {@link IllegalArgumentException}; closing twice
 * is harmless.
 */
public interface Backend extends AutoCloseable {

    String name();

    /** A one-line description of the device(s) in use. */
    String description();

    /**
     * Fills host memory: dst receives {@code request.count()} elements of {@code request.dtype()}, in the
     * region's row-major order, native byte order. Heap segments (e.g. {@code MemorySegment.ofArray})
     * and native segments of any size both work.
     */
    void fill(FillRequest request, MemorySegment dst);

    /**
     * Allocates host memory for the request and fills it, touching each fresh page once (the fill
     * itself is the first touch). The memory lives as long as {@code arena}.
     */
    default MemorySegment allocateAndFill(Arena arena, FillRequest request) {
        MemorySegment seg = dev.tensorinit.NativeMemory.allocateUninitialized(arena, request.byteSize(), 64);
        fill(request, seg);
        return seg;
    }

    /** Allocates a buffer on this backend's device. */
    DeviceBuffer allocate(DType dtype, long elements);

    /** Fills a buffer of this backend: it receives {@code request.count()} elements from element 0. */
    void fill(FillRequest request, DeviceBuffer dst);

    /** Copies {@code dst.byteSize() / dtype bytes} elements from {@code src} starting at element {@code srcIndex} to host memory. */
    void copyToHost(DeviceBuffer src, long srcIndex, MemorySegment dst);

    @Override void close();
}

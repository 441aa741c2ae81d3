package dev.tensorinit.cuda;

import dev.tensorinit.DType;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUpointer_attribute;
import jcuda.driver.JCudaDriver;

/**
 * What the driver knows of a pointer handed to {@link CudaBackend#wrap}, and whether the buffer it is to hold fits.
 * Why: a kernel that writes past an allocation corrupts other device memory or dies with an illegal address, and a
 * store at an address that is not a multiple of the element size dies with a misaligned address; either leaves the
 * context unusable for the rest of the process. Refused here instead, naming the values.
 *
 * @param address    the pointer's address in this backend's context
 * @param rangeStart where the memory holding it starts, when the driver says (see {@code rangeBytes})
 * @param rangeBytes how many bytes from rangeStart on are mapped without a gap, as far as a fill of the requested
 *                   size needs to know (adjacent mappings count as one: see {@link #query}); -1 when the driver
 *                   could not say, and then only the alignment is checked
 */
record WrappedPointer(long address, long rangeStart, long rangeBytes) {
    /** Looks up the mapping that holds the address {@code offset} bytes from the pointer: {start, size}, or null. */
    interface Ranges {
        long[] at(long offset);
    }

    /** Mappings followed at most, past the first: a fill's extent over more than this many is trusted, not proved. */
    static final int MAX_ADJACENT = 4096;

    /** The driver's view of {@code p}, for a fill of {@code bytes} from it; the backend's context must be current. */
    static WrappedPointer query(CUdeviceptr p, long bytes) {
        long[] address = new long[1];
        try {
            JCudaDriver.cuPointerGetAttribute(Pointer.to(address), CUpointer_attribute.CU_POINTER_ATTRIBUTE_DEVICE_POINTER, p);
        } catch (CudaException e) {
            throw new IllegalArgumentException("pointer " + p + " is not memory that the CUDA driver can reach from this"
                    + " backend's context (cuPointerGetAttribute: " + e.getMessage() + ")", e);
        }
        return of(address[0], bytes, offset -> {
            CUdeviceptr at = offset == 0 ? p : p.withByteOffset(offset);
            long[] start = new long[1], size = new long[1];
            try {
                JCudaDriver.cuPointerGetAttribute(Pointer.to(start), CUpointer_attribute.CU_POINTER_ATTRIBUTE_RANGE_START_ADDR, at);
                JCudaDriver.cuPointerGetAttribute(Pointer.to(size), CUpointer_attribute.CU_POINTER_ATTRIBUTE_RANGE_SIZE, at);
                return new long[] {start[0], size[0]};
            } catch (CudaException e) {
                return null;
            }
        });
    }

    /**
     * The extent around {@code address} for a fill of {@code bytes}: the mapping that holds it, extended by the mappings
     * that follow it without a gap while the fill needs more. Why follow: memory mapped piece by piece into one
     * reserved address range (cuMemMap; PyTorch's expandable segments) is one buffer to its user, but the driver
     * reports each mapping's own range. A first lookup that fails means the driver gives no range for this memory:
     * the caller is trusted.
     */
    static WrappedPointer of(long address, long bytes, Ranges ranges) {
        long[] first = ranges.at(0);
        if (first == null) return new WrappedPointer(address, 0, -1);
        long start = first[0], end = first[0] + first[1];
        if (Long.compareUnsigned(address - start, end - start) >= 0) return new WrappedPointer(address, start, first[1]);
        for (int followed = 0; Long.compareUnsigned(end - address, bytes) < 0; followed++) {
            if (followed == MAX_ADJACENT) return new WrappedPointer(address, 0, -1);   // too many to follow: trusted
            long[] next = ranges.at(end - address);
            if (next == null || next[0] != end || next[1] <= 0) break;   // a gap, or not the mapping right after
            end += next[1];
        }
        return new WrappedPointer(address, start, end - start);
    }

    /** Throws IllegalArgumentException, naming the values, unless {@code elements} × dtype fit from this address on. */
    void check(DType dtype, long elements) {
        int size = dtype.bytes();
        if (Long.remainderUnsigned(address, size) != 0) {
            throw new IllegalArgumentException("pointer 0x" + Long.toHexString(address) + " is not a multiple of " + size
                    + " bytes, the size of a " + dtype.id() + " element");
        }
        if (rangeBytes < 0) return;
        long bytes = Math.multiplyExact(elements, (long) size);
        long offset = address - rangeStart;   // unsigned: an address below the start is a huge offset
        long room = Long.compareUnsigned(offset, rangeBytes) < 0 ? rangeBytes - offset : 0;
        if (bytes > room) {
            throw new IllegalArgumentException(elements + " " + dtype.id() + " elements (" + bytes + " bytes) from pointer 0x"
                    + Long.toHexString(address) + " do not fit in the memory mapped there (0x" + Long.toHexString(rangeStart)
                    + ", " + rangeBytes + " bytes without a gap): " + room + " bytes lie from the pointer on");
        }
    }
}

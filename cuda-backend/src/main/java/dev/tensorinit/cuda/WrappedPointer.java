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
 * @param rangeStart where the allocation holding it starts, when the driver says (see {@code rangeBytes})
 * @param rangeBytes that allocation's size in bytes, or -1 when the driver could not say (then only the alignment
 *                   is checked)
 */
record WrappedPointer(long address, long rangeStart, long rangeBytes) {
    /** The driver's view of {@code p}; the backend's context must be current. */
    static WrappedPointer query(CUdeviceptr p) {
        long[] address = new long[1];
        try {
            JCudaDriver.cuPointerGetAttribute(Pointer.to(address), CUpointer_attribute.CU_POINTER_ATTRIBUTE_DEVICE_POINTER, p);
        } catch (CudaException e) {
            throw new IllegalArgumentException("pointer " + p + " is not memory that the CUDA driver can reach from this"
                    + " backend's context (cuPointerGetAttribute: " + e.getMessage() + ")", e);
        }
        long[] start = new long[1], size = new long[1];
        try {
            JCudaDriver.cuPointerGetAttribute(Pointer.to(start), CUpointer_attribute.CU_POINTER_ATTRIBUTE_RANGE_START_ADDR, p);
            JCudaDriver.cuPointerGetAttribute(Pointer.to(size), CUpointer_attribute.CU_POINTER_ATTRIBUTE_RANGE_SIZE, p);
        } catch (CudaException e) {
            return new WrappedPointer(address[0], 0, -1);   // memory the driver gives no range for: trust the caller
        }
        return new WrappedPointer(address[0], start[0], size[0]);
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
                    + Long.toHexString(address) + " do not fit in its allocation (0x" + Long.toHexString(rangeStart) + ", "
                    + rangeBytes + " bytes): " + room + " bytes lie from the pointer on");
        }
    }
}

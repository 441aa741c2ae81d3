package dev.tensorinit.opencl;

import dev.tensorinit.spi.DeviceOutOfMemoryException;
import org.jocl.CL;

/** Turns OpenCL return codes into exceptions: allocation failures become out-of-memory, the rest name the code. */
final class Cl {
    private Cl() {}

    static void check(int err, String what) {
        if (err != CL.CL_SUCCESS) throw failure(err, what, -1);
    }

    /** Like {@link #check} for calls that may allocate {@code bytes} on the device. */
    static void check(int err, String what, long bytes) {
        if (err != CL.CL_SUCCESS) throw failure(err, what, bytes);
    }

    static RuntimeException failure(int err, String what, long bytes) {
        OpenClException e = new OpenClException(what, err);
        if (isOutOfMemory(err)) {
            return new DeviceOutOfMemoryException("OpenCL device out of memory: " + e.getMessage()
                    + (bytes >= 0 ? " (requested " + bytes + " bytes)" : ""), Math.max(bytes, 0), e);
        }
        return e;
    }

    static boolean isOutOfMemory(int err) {
        return err == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || err == CL.CL_OUT_OF_RESOURCES
                || err == CL.CL_OUT_OF_HOST_MEMORY;
    }
}

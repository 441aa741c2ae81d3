package dev.tensorinit.opencl;

import dev.tensorinit.DType;
import dev.tensorinit.spi.DeviceOutOfMemoryException;
import org.jocl.CL;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OpenCL-specific failures: device memory limits, named CL errors, build logs. Closing, bad input and
 * concurrency are in the shared backend contract (OpenClContractTest).
 */
class LifecycleTest {
    @Test
    void moreThanGlobalMemoryIsOutOfMemoryWithTheRequestedBytes() {
        try (OpenClBackend b = OpenClTesting.backend()) {
            long elements = b.device().globalMemBytes() / 4 + 1024;
            DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> b.allocate(DType.F32, elements));
            assertEquals(elements * 4, e.requestedBytes());
        }
    }

    @Test
    void clErrorsAreNamedAndAllocationFailuresAreOutOfMemory() {
        RuntimeException plain = Cl.failure(CL.CL_INVALID_VALUE, "clSomething", -1);
        assertInstanceOf(OpenClException.class, plain);
        assertTrue(plain.getMessage().contains("CL_INVALID_VALUE"), plain.getMessage());
        for (int code : new int[] {CL.CL_MEM_OBJECT_ALLOCATION_FAILURE, CL.CL_OUT_OF_RESOURCES, CL.CL_OUT_OF_HOST_MEMORY}) {
            RuntimeException oom = Cl.failure(code, "clCreateBuffer", 12345);
            DeviceOutOfMemoryException d = assertInstanceOf(DeviceOutOfMemoryException.class, oom);
            assertEquals(12345, d.requestedBytes());
            assertTrue(d.getMessage().contains(CL.stringFor_errorCode(code)) && d.getMessage().contains("12345"), d.getMessage());
        }
    }

    @Test
    void aKernelThatDoesNotBuildReportsTheBuildLog() {
        ClDevice d = OpenClTesting.device();
        try (OpenClBackend b = OpenClTesting.backend()) {
            // Reuse the backend's context through a wrapped program build of broken source.
            OpenClBuildException e = assertThrows(OpenClBuildException.class,
                    () -> ClProgram.build(contextOf(b), d, "__kernel void broken(__global float* o) { o[0] = undeclared_name; }", 1));
            assertTrue(e.buildLog().contains("undeclared_name"), e.buildLog());
            assertTrue(e.getMessage().contains("CL_BUILD_PROGRAM_FAILURE"), e.getMessage());
        }
    }

    private static org.jocl.cl_context contextOf(OpenClBackend b) {
        return b.context();
    }
}

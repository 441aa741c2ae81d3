package dev.tensorinit.cuda;

import dev.tensorinit.spi.DeviceOutOfMemoryException;
import jcuda.CudaException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a failed pinning call throws, from JCuda's exception alone: runs without a GPU. */
class PinnedHostErrorsTest {

    @Test
    void outOfMemoryIsReportedAsSuchWithTheBytes() {
        CudaException cause = new CudaException("CUDA_ERROR_OUT_OF_MEMORY");
        RuntimeException e = PinnedHost.failure("cuMemHostAlloc", 1L << 30, cause);
        DeviceOutOfMemoryException oom = assertInstanceOf(DeviceOutOfMemoryException.class, e);
        assertEquals(1L << 30, oom.requestedBytes());
        assertSame(cause, oom.getCause());
        assertTrue(e.getMessage().startsWith("cuMemHostAlloc of 1073741824 host bytes failed: CUDA_ERROR_OUT_OF_MEMORY"), e.getMessage());
    }

    @Test
    void anyOtherRefusalNamesTheDriversErrorAndIsNotCalledOutOfMemory() {
        for (String error : new String[] {"CUDA_ERROR_NOT_PERMITTED", "CUDA_ERROR_NOT_SUPPORTED", "CUDA_ERROR_INVALID_VALUE",
                "CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED"}) {
            CudaException cause = new CudaException(error);
            RuntimeException e = PinnedHost.failure("cuMemHostRegister", 3L << 30, cause);
            assertInstanceOf(IllegalStateException.class, e, error);
            assertSame(cause, e.getCause());
            assertTrue(e.getMessage().contains("cuMemHostRegister of 3221225472 host bytes failed: " + error), e.getMessage());
            assertTrue(e.getMessage().contains("page-locked with cuMemHostRegister"), "says why registration was used: " + e.getMessage());
        }
        RuntimeException e = PinnedHost.failure("cuMemHostAlloc", 4096, new CudaException("CUDA_ERROR_INVALID_CONTEXT"));
        assertInstanceOf(IllegalStateException.class, e);
        assertTrue(!e.getMessage().contains("cuMemHostRegister"), "no registration hint for cuMemHostAlloc: " + e.getMessage());
    }
}

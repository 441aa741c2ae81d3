package dev.tensorinit.opencl;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Shape;
import dev.tensorinit.spi.DeviceBuffer;
import dev.tensorinit.spi.DeviceOutOfMemoryException;
import org.jocl.CL;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closing, bad input, errors: clear exceptions, nothing crashes. */
class LifecycleTest {
    private final FillRequest request = FillRequest.of(Shape.of(64, 32), InitSpec.xavierUniform());

    @Test
    void closingTwiceIsHarmlessAndUseAfterCloseIsRefused() {
        OpenClBackend b = OpenClTesting.backend();
        DeviceBuffer buf = b.allocate(DType.F32, 100);
        buf.close();
        buf.close();
        assertFalse(buf.isOpen());
        assertThrows(IllegalStateException.class, () -> b.fill(request.withRegion(dev.tensorinit.Region.range(0, 100)), buf));
        DeviceBuffer alive = b.allocate(DType.F32, 100);
        b.close();
        b.close();
        alive.close(); // a buffer may outlive its backend's close; releasing it later is fine
        try (Arena a = Arena.ofConfined()) {
            assertThrows(IllegalStateException.class, () -> b.fill(request, a.allocate(request.byteSize())));
        }
        assertThrows(IllegalStateException.class, () -> b.allocate(DType.F32, 1));
    }

    @Test
    void badInputsAreRejectedClearly() {
        try (OpenClBackend b = OpenClTesting.backend(); Arena a = Arena.ofConfined()) {
            IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                    () -> b.fill(request, a.allocate(request.byteSize() - 4)));
            assertTrue(small.getMessage().contains("needs " + request.byteSize()), small.getMessage());
            assertThrows(IllegalArgumentException.class, () -> b.fill(request, a.allocate(request.byteSize()).asReadOnly()));
            Arena closed = Arena.ofConfined();
            MemorySegment gone = closed.allocate(request.byteSize());
            closed.close();
            assertThrows(IllegalStateException.class, () -> b.fill(request, gone));

            DeviceBuffer foreign = new DeviceBuffer() {
                public String backend() { return "cpu"; }
                public DType dtype() { return DType.F32; }
                public long elements() { return 4096; }
                public boolean isOpen() { return true; }
                public void close() {}
            };
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> b.fill(request, foreign));
            assertTrue(wrong.getMessage().contains("cpu"), wrong.getMessage());
            assertThrows(IllegalArgumentException.class, () -> b.copyToHost(foreign, 0, a.allocate(16)));

            try (DeviceBuffer tooSmall = b.allocate(DType.F32, request.count() - 1);
                 DeviceBuffer otherType = b.allocate(DType.F16, request.count())) {
                assertThrows(IllegalArgumentException.class, () -> b.fill(request, tooSmall));
                assertThrows(IllegalArgumentException.class, () -> b.fill(request, otherType));
                assertThrows(IllegalArgumentException.class, () -> b.copyToHost(tooSmall, 10, a.allocate(tooSmall.byteSize())));
                assertThrows(IllegalArgumentException.class, () -> b.copyToHost(tooSmall, -1, a.allocate(4)));
                assertThrows(IllegalArgumentException.class, () -> b.copyToHost(tooSmall, 0, a.allocate(6)));
                assertThrows(IllegalArgumentException.class, () -> b.copyToHost(tooSmall, 0, a.allocate(8).asReadOnly()));
            }
            assertThrows(IllegalArgumentException.class, () -> b.allocate(DType.F32, 0));
        }
    }

    @Test
    void concurrentFillsThroughOneBackendEachGetTheirOwnValues() throws Exception {
        try (OpenClBackend b = OpenClTesting.backend(); Arena a = Arena.ofShared()) {
            java.util.List<java.util.concurrent.Callable<Void>> jobs = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                FillRequest r = request.withSeed(t).withDType(t % 2 == 0 ? DType.F32 : DType.F16)
                        .withRegion(dev.tensorinit.Region.tile(t, 64, t, 32));
                MemorySegment expected = OpenClTesting.reference(r, a);
                jobs.add(() -> {
                    for (int i = 0; i < 5; i++) {
                        MemorySegment host = a.allocate(r.byteSize(), 64);
                        b.fill(r, host);
                        OpenClTesting.assertSameBytes(expected, host, r, "concurrent host fill");
                        try (DeviceBuffer buf = b.allocate(r.dtype(), r.count())) {
                            b.fill(r, buf);
                            MemorySegment back = a.allocate(r.byteSize(), 8);
                            b.copyToHost(buf, 0, back);
                            OpenClTesting.assertSameBytes(expected, back, r, "concurrent buffer fill");
                        }
                    }
                    return null;
                });
            }
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
                for (var f : pool.invokeAll(jobs)) f.get();
            }
        }
    }

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

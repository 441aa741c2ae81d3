package dev.tensorinit.opencl;

import dev.tensorinit.testing.Conformance;
import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A user's own context, queue and cl_mem: filled in place, and left alive when the wrapper closes. */
class WrapTest {

    @Test
    void fillsAUsersClMemAndReleasesNothingOfTheirs() {
        ClDevice d = OpenClTesting.device();
        int[] err = new int[1];
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, d.platform());
        cl_context ctx = CL.clCreateContext(props, 1, new cl_device_id[] {d.device()}, null, null, err);
        Cl.check(err[0], "clCreateContext");
        @SuppressWarnings("deprecation")
        cl_command_queue q = CL.clCreateCommandQueue(ctx, d.device(), 0, err);
        Cl.check(err[0], "clCreateCommandQueue");
        FillRequest r = new FillRequest(Shape.of(300, 7), Layout.JAX, InitSpec.heNormal(), DType.BF16, 11, 12, Region.range(5, 2001));
        long bytes = r.byteSize() + 64; // the user's buffer may be larger than the fill
        cl_mem mem = CL.clCreateBuffer(ctx, CL.CL_MEM_READ_WRITE, bytes, null, err);
        Cl.check(err[0], "clCreateBuffer");
        try (OpenClBackend backend = OpenClTesting.backend(); Arena arena = Arena.ofConfined()) {
            MemorySegment expected = Conformance.reference(r, arena);
            OpenClBuffer w = OpenClBackend.wrap(ctx, q, mem, DType.BF16, r.count());
            assertFalse(w.owned());
            backend.fill(r, w);
            MemorySegment viaBackend = arena.allocate(r.byteSize(), 8);
            backend.copyToHost(w, 0, viaBackend);
            Conformance.assertBitIdentical("wrapped, copied by the backend", r, expected, viaBackend);
            w.close();
            w.close();
            assertThrows(IllegalStateException.class, () -> backend.fill(r, w));
            // the user's buffer is still theirs and still holds the values
            MemorySegment viaUser = arena.allocate(r.byteSize(), 8);
            Cl.check(CL.clEnqueueReadBuffer(q, mem, CL.CL_TRUE, 0, r.byteSize(), Pointer.to(viaUser.asByteBuffer()), 0, null, null),
                    "clEnqueueReadBuffer");
            Conformance.assertBitIdentical("wrapped, read by the user after the wrapper closed", r, expected, viaUser);
            assertThrows(IllegalArgumentException.class, () -> OpenClBackend.wrap(ctx, q, mem, DType.F64, bytes / 8 + 1),
                    "a wrapper larger than the cl_mem");
            // A buffer or queue of another context is refused (PoCL ran the kernel anyway; other drivers fail at launch).
            cl_context other = CL.clCreateContext(props, 1, new cl_device_id[] {d.device()}, null, null, err);
            Cl.check(err[0], "clCreateContext");
            try {
                assertEquals("the cl_mem belongs to another context than the one given",
                        assertThrows(IllegalArgumentException.class, () -> OpenClBackend.wrap(other, q, mem, DType.BF16, r.count())).getMessage());
                @SuppressWarnings("deprecation")
                cl_command_queue otherQueue = CL.clCreateCommandQueue(other, d.device(), 0, err);
                Cl.check(err[0], "clCreateCommandQueue");
                try {
                    assertEquals("the command queue belongs to another context than the one given",
                            assertThrows(IllegalArgumentException.class, () -> OpenClBackend.wrap(ctx, otherQueue, mem, DType.BF16, r.count()))
                                    .getMessage());
                } finally {
                    CL.clReleaseCommandQueue(otherQueue);
                }
            } finally {
                CL.clReleaseContext(other);
            }
        } finally {
            assertEquals(CL.CL_SUCCESS, CL.clReleaseMemObject(mem), "the user's cl_mem was still alive");
            assertEquals(CL.CL_SUCCESS, CL.clReleaseCommandQueue(q));
            assertEquals(CL.CL_SUCCESS, CL.clReleaseContext(ctx));
        }
    }

    /**
     * A backend that fills the buffers of many short-lived contexts keeps programs for the last few only, and lets the
     * others' contexts go: each one it ever filled stayed alive (its program retained it) until the backend closed, 2-3
     * MiB apiece. Values stay right after an eviction (the program is built again).
     */
    @Test
    void programsForOtherContextsAreBoundedAndLetTheirContextGo() {
        ClDevice d = OpenClTesting.device();
        int[] err = new int[1];
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, d.platform());
        FillRequest r = FillRequest.of(Shape.of(33, 5), InitSpec.xavierNormal());
        try (OpenClBackend backend = OpenClTesting.backend(); Arena arena = Arena.ofConfined()) {
            MemorySegment expected = Conformance.reference(r, arena);
            cl_context first = null;
            for (int i = 0; i < OpenClBackend.FOREIGN_PROGRAMS + 3; i++) {
                cl_context ctx = CL.clCreateContext(props, 1, new cl_device_id[] {d.device()}, null, null, err);
                Cl.check(err[0], "clCreateContext");
                @SuppressWarnings("deprecation")
                cl_command_queue q = CL.clCreateCommandQueue(ctx, d.device(), 0, err);
                Cl.check(err[0], "clCreateCommandQueue");
                cl_mem mem = CL.clCreateBuffer(ctx, CL.CL_MEM_READ_WRITE, r.byteSize(), null, err);
                Cl.check(err[0], "clCreateBuffer");
                try (OpenClBuffer w = OpenClBackend.wrap(ctx, q, mem, DType.F32, r.count())) {
                    backend.fill(r, w);
                    MemorySegment got = arena.allocate(r.byteSize(), 8);
                    backend.copyToHost(w, 0, got);
                    Conformance.assertBitIdentical("context " + i, r, expected, got);
                }
                assertEquals(Math.min(i + 1, OpenClBackend.FOREIGN_PROGRAMS), backend.foreignPrograms(), "after context " + i);
                CL.clReleaseMemObject(mem);
                CL.clReleaseCommandQueue(q);
                if (i == 0) {
                    first = ctx;   // kept by the test: its count shows whether the backend still holds it
                } else {
                    CL.clReleaseContext(ctx);
                }
            }
            int[] refs = new int[1];
            Cl.check(CL.clGetContextInfo(first, CL.CL_CONTEXT_REFERENCE_COUNT, org.jocl.Sizeof.cl_uint, Pointer.to(refs), null),
                    "clGetContextInfo");
            assertEquals(1, refs[0], "the first context's program was evicted and released: only the test holds it");
            CL.clReleaseContext(first);
        }
    }
}

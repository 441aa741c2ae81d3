package dev.tensorinit.opencl;

import dev.tensorinit.spi.JvmSignals;
import dev.tensorinit.DType;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

import java.util.EnumMap;
import java.util.Map;

/**
 * The kernels built for one (context, device). cl_kernel argument state is shared, so callers hold
 * {@link #lock()} from setting arguments until the launch is enqueued.
 */
final class ClProgram implements AutoCloseable {
    private final ClDevice device;
    private final int blocksPerItem;
    private final cl_program program;
    private final Map<DType, cl_kernel> kernels = new EnumMap<>(DType.class);
    private final long buildNanos;
    private final Object lock = new Object();
    private boolean closed;

    private ClProgram(ClDevice device, int blocksPerItem, cl_program program, long buildNanos) {
        this.device = device;
        this.blocksPerItem = blocksPerItem;
        this.program = program;
        this.buildNanos = buildNanos;
    }

    /** blocksPerItem: 1 or 4 Philox blocks per work-item for f32/bf16/f16 (see KernelSource.blocksPerItem). */
    static ClProgram build(cl_context context, ClDevice device, int blocksPerItem) {
        return build(context, device, KernelSource.text(), blocksPerItem);
    }

    /** Package-private for the build-failure test. */
    static ClProgram build(cl_context context, ClDevice device, String source, int blocksPerItem) {
        if (blocksPerItem != 1 && blocksPerItem != 4) throw new IllegalArgumentException("blocks per work-item must be 1 or 4, got " + blocksPerItem);
        long t0 = System.nanoTime();
        int[] err = new int[1];
        cl_program program = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, err);
        Cl.check(err[0], "clCreateProgramWithSource");
        ClProgram p = null;
        try {
            String options = KernelSource.options(device, blocksPerItem);
            int e = CL.clBuildProgram(program, 1, new org.jocl.cl_device_id[] {device.device()}, options, null, null);
            JvmSignals.original().repair("kernel compilation");   // the compiler (LLVM) installs its handlers again
            if (e != CL.CL_SUCCESS) throw new OpenClBuildException(device.label(), options, e, buildLog(program, device));
            p = new ClProgram(device, blocksPerItem, program, System.nanoTime() - t0);
            p.kernels.put(DType.F32, p.kernel("ti_fill_f32"));
            p.kernels.put(DType.BF16, p.kernel("ti_fill_bf16"));
            p.kernels.put(DType.F16, p.kernel("ti_fill_f16"));
            if (device.fp64()) p.kernels.put(DType.F64, p.kernel("ti_fill_f64"));
            return p;
        } catch (RuntimeException | Error e) {
            if (p != null) p.close(); else CL.clReleaseProgram(program);
            throw e;
        }
    }

    private cl_kernel kernel(String name) {
        int[] err = new int[1];
        cl_kernel k = CL.clCreateKernel(program, name, err);
        Cl.check(err[0], "clCreateKernel(" + name + ")");
        return k;
    }

    private static String buildLog(cl_program program, ClDevice device) {
        long[] size = new long[1];
        int e = CL.clGetProgramBuildInfo(program, device.device(), CL.CL_PROGRAM_BUILD_LOG, 0, null, size);
        if (e != CL.CL_SUCCESS || size[0] <= 0) return "(no build log: " + CL.stringFor_errorCode(e) + ")";
        byte[] b = new byte[(int) Math.min(size[0], 1 << 20)];
        e = CL.clGetProgramBuildInfo(program, device.device(), CL.CL_PROGRAM_BUILD_LOG, b.length, Pointer.to(b), null);
        if (e != CL.CL_SUCCESS) return "(no build log: " + CL.stringFor_errorCode(e) + ")";
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8).strip();
    }

    ClDevice device() { return device; }

    long buildNanos() { return buildNanos; }

    /** Elements one work-item covers for a dtype: whole Philox blocks, TI_BPI of them for the f32 family. */
    int elementsPerItem(DType dtype) {
        return dtype == DType.F64 ? 2 : 4 * blocksPerItem;
    }

    int blocksPerItem() { return blocksPerItem; }

    Object lock() { return lock; }

    /** The kernel for a dtype; f64 needs cl_khr_fp64. */
    cl_kernel kernel(DType dtype) {
        requireSupported(device, dtype);
        return kernels.get(dtype);
    }

    static void requireSupported(ClDevice device, DType dtype) {
        if (dtype == DType.F64 && !device.fp64()) {
            throw new UnsupportedOperationException("device " + device.label() + " has no cl_khr_fp64: f64 is unsupported");
        }
    }

    @Override public void close() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            for (cl_kernel k : kernels.values()) CL.clReleaseKernel(k);
            kernels.clear();
            CL.clReleaseProgram(program);
        }
    }
}

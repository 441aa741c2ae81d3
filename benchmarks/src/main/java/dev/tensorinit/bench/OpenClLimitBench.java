package dev.tensorinit.bench;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** The OpenCL device's write limit: {@code clEnqueueFillBuffer} of 2^k f32 values, then clFinish. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class OpenClLimitBench {

    @State(Scope.Benchmark)
    public abstract static class Buffer {
        cl_context context;
        cl_command_queue queue;
        cl_mem mem;
        final Pointer pattern = Pointer.to(new float[] {0.5f});
        long bytes;

        abstract int log2();

        @Setup(Level.Trial) public void setup() {
            DeviceProbe.Found f = DeviceProbe.opencl();
            if (!f.available()) throw new IllegalStateException("OpenCL limit skipped: " + f.reason());
            DeviceProbe.OpenClDevice d = DeviceProbe.OpenClDevice.pick();
            bytes = 4L << log2();
            if (bytes > d.maxAlloc()) throw new IllegalStateException(d.name() + " allows at most " + d.maxAlloc() + " bytes per buffer, need " + bytes);
            cl_context_properties props = new cl_context_properties();
            props.addProperty(CL.CL_CONTEXT_PLATFORM, d.platform());
            context = CL.clCreateContext(props, 1, new cl_device_id[] {d.device()}, null, null, null);
            @SuppressWarnings("deprecation") // OpenCL 1.2 devices (PoCL) lack clCreateCommandQueueWithProperties
            cl_command_queue q = CL.clCreateCommandQueue(context, d.device(), 0, null);
            queue = q;
            mem = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, bytes, null, null);
            fill(); // commit the device memory before timing
        }

        void fill() {
            CL.clEnqueueFillBuffer(queue, mem, pattern, Sizeof.cl_float, 0, bytes, 0, null, null);
            CL.clFinish(queue);
        }

        @TearDown(Level.Trial) public void tearDown() {
            if (mem != null) CL.clReleaseMemObject(mem);
            if (queue != null) CL.clReleaseCommandQueue(queue);
            if (context != null) CL.clReleaseContext(context);
        }
    }

    @State(Scope.Benchmark) public static class B20 extends Buffer { int log2() { return 20; } }
    @State(Scope.Benchmark) public static class B24 extends Buffer { int log2() { return 24; } }
    @State(Scope.Benchmark) public static class B28 extends Buffer { int log2() { return 28; } }
    @State(Scope.Benchmark) public static class B30 extends Buffer { int log2() { return 30; } }

    @Benchmark @OperationsPerInvocation(1 << 20) public void clFill_2pow20(B20 b) { b.fill(); }
    @Benchmark @OperationsPerInvocation(1 << 24) public void clFill_2pow24(B24 b) { b.fill(); }
    @Benchmark @OperationsPerInvocation(1 << 28) public void clFill_2pow28(B28 b) { b.fill(); }
    @Benchmark @OperationsPerInvocation(1 << 30) public void clFill_2pow30(B30 b) { b.fill(); }
}

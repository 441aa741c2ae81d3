package dev.tensorinit.bench;

import jcuda.driver.JCudaDriver;
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

/** The CUDA device's write limit: {@code cuMemsetD32} of 2^k 32-bit words, then synchronize. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class CudaLimitBench {
    private static final int HALF = Float.floatToRawIntBits(0.5f);

    @State(Scope.Benchmark)
    public abstract static class Buffer {
        CudaContext cuda;

        abstract int log2();

        @Setup(Level.Trial) public void setup() {
            cuda = new CudaContext(4L << log2());
            fill();
        }

        void fill() {
            cuda.makeCurrent();
            JCudaDriver.cuMemsetD32(cuda.ptr, HALF, 1L << log2());
            cuda.sync();
        }

        @TearDown(Level.Trial) public void tearDown() { if (cuda != null) cuda.close(); }
    }

    @State(Scope.Benchmark) public static class B24 extends Buffer { int log2() { return 24; } }
    @State(Scope.Benchmark) public static class B28 extends Buffer { int log2() { return 28; } }
    @State(Scope.Benchmark) public static class B30 extends Buffer { int log2() { return 30; } }

    @Benchmark @OperationsPerInvocation(1 << 24) public void cuMemset_2pow24(B24 b) { b.fill(); }
    @Benchmark @OperationsPerInvocation(1 << 28) public void cuMemset_2pow28(B28 b) { b.fill(); }
    @Benchmark @OperationsPerInvocation(1 << 30) public void cuMemset_2pow30(B30 b) { b.fill(); }
}

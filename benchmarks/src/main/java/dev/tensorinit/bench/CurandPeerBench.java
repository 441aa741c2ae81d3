package dev.tensorinit.bench;

import jcuda.jcurand.JCurand;
import jcuda.jcurand.curandGenerator;
import jcuda.jcurand.curandRngType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The GPU peer: cuRAND's host API alone (Philox4x32-10 generator) writing f32 into device memory.
 * Normal is scaled to the Xavier std by cuRAND itself; uniform is cuRAND's raw (0, 1] (scaling it
 * would need a kernel of our own, which is what the cuda backend is).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class CurandPeerBench {

    @State(Scope.Benchmark)
    public abstract static class Gen {
        @Param({Workload.UNIFORM, Workload.NORMAL}) public String dist;
        CudaContext cuda;
        curandGenerator gen;
        float std;

        abstract int log2();

        @Setup(Level.Trial) public void setup() {
            DeviceProbe.Found f = DeviceProbe.curand();
            if (!f.available()) throw new IllegalStateException("cuRAND peer skipped: " + f.reason());
            if (!dist.equals(Workload.UNIFORM) && !dist.equals(Workload.NORMAL)) throw new IllegalArgumentException("dist must be uniform or normal, got " + dist);
            cuda = new CudaContext(4L << log2());
            std = (float) Workload.xavierStd(log2());
            gen = new curandGenerator();
            JCurand.curandCreateGenerator(gen, curandRngType.CURAND_RNG_PSEUDO_PHILOX4_32_10);
            JCurand.curandSetPseudoRandomGeneratorSeed(gen, 42);
            run();
        }

        void run() {
            cuda.makeCurrent();
            long n = 1L << log2(); // even, as curandGenerateNormal requires
            if (dist.equals(Workload.NORMAL)) JCurand.curandGenerateNormal(gen, cuda.ptr, n, 0f, std);
            else JCurand.curandGenerateUniform(gen, cuda.ptr, n);
            cuda.sync();
        }

        @TearDown(Level.Trial) public void tearDown() {
            if (gen != null) JCurand.curandDestroyGenerator(gen);
            if (cuda != null) cuda.close();
        }
    }

    @State(Scope.Benchmark) public static class S24 extends Gen { int log2() { return 24; } }
    @State(Scope.Benchmark) public static class S28 extends Gen { int log2() { return 28; } }
    @State(Scope.Benchmark) public static class S30 extends Gen { int log2() { return 30; } }

    @Benchmark @OperationsPerInvocation(1 << 24) public void curand_2pow24(S24 s) { s.run(); }
    @Benchmark @OperationsPerInvocation(1 << 28) public void curand_2pow28(S28 s) { s.run(); }
    @Benchmark @OperationsPerInvocation(1 << 30) public void curand_2pow30(S30 s) { s.run(); }
}

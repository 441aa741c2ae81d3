package dev.tensorinit.bench;

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
 * Fill throughput on a pre-touched buffer, per backend × init × dtype × size. One method per size so
 * that {@code @OperationsPerInvocation} = elements and ops/s reads as elements/s.
 * Backend names are core SPI provider names ("cpu", "opencl", "cuda", ...) or "reference" (core's
 * scalar reference, one thread).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class FillBench {

    @State(Scope.Benchmark)
    public abstract static class Target {
        @Param({"cpu"}) public String backend;
        @Param({Workload.UNIFORM, Workload.NORMAL, Workload.TRUNC_NORMAL}) public String init;
        @Param({"f32", "bf16"}) public String dtype;
        Filler filler;

        abstract int log2();

        @Setup(Level.Trial) public void setup() { filler = Filler.open(backend, Workload.request(init, dtype, log2())); }

        @TearDown(Level.Trial) public void tearDown() { if (filler != null) filler.close(); }
    }

    @State(Scope.Benchmark) public static class S20 extends Target { int log2() { return 20; } }
    @State(Scope.Benchmark) public static class S24 extends Target { int log2() { return 24; } }
    @State(Scope.Benchmark) public static class S28 extends Target { int log2() { return 28; } }
    @State(Scope.Benchmark) public static class S30 extends Target { int log2() { return 30; } }

    @Benchmark @OperationsPerInvocation(1 << 20) public void fill_2pow20(S20 s) { s.filler.run(); }
    @Benchmark @OperationsPerInvocation(1 << 24) public void fill_2pow24(S24 s) { s.filler.run(); }
    @Benchmark @OperationsPerInvocation(1 << 28) public void fill_2pow28(S28 s) { s.filler.run(); }
    /** GPUs only: 4 GiB of f32. */
    @Benchmark @OperationsPerInvocation(1 << 30) public void fill_2pow30(S30 s) { s.filler.run(); }
}

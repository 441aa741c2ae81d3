package dev.tensorinit.bench;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Deeplearning4j's own Xavier init (WeightInitXavier = normal, WeightInitXavierUniform), as a DL4J
 * layer calls it, into a pre-allocated f32 parameter view; ND4J's native backend uses all cores.
 * DL4J is not in benchmarks.jar (provided scope): run-profile.sh adds it to the class path.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx3g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class Dl4jPeerBench {
    /** Present when ND4J's classes are on the class path (they are not inside benchmarks.jar). */
    public static final String PROBE_CLASS = "org.nd4j.linalg.factory.Nd4j";

    @State(Scope.Benchmark)
    public abstract static class Init {
        @Param({Workload.UNIFORM, Workload.NORMAL}) public String dist;
        IWeightInit init;
        INDArray view;
        long fan;
        long[] shape;

        abstract int log2();

        @Setup(Level.Trial) public void setup() {
            init = switch (dist) {
                case Workload.UNIFORM -> new WeightInitXavierUniform();
                case Workload.NORMAL -> new WeightInitXavier();
                default -> throw new IllegalArgumentException("dist must be uniform or normal, got " + dist);
            };
            shape = Workload.shape(log2()).dims();
            view = Nd4j.createUninitialized(DataType.FLOAT, shape);
            run();
        }

        INDArray run() { return init.init(shape[1], shape[0], shape, 'c', view); }
    }

    @State(Scope.Benchmark) public static class S20 extends Init { int log2() { return 20; } }
    @State(Scope.Benchmark) public static class S24 extends Init { int log2() { return 24; } }

    @Benchmark @OperationsPerInvocation(1 << 20) public INDArray dl4j_2pow20(S20 s) { return s.run(); }
    @Benchmark @OperationsPerInvocation(1 << 24) public INDArray dl4j_2pow24(S24 s) { return s.run(); }
}

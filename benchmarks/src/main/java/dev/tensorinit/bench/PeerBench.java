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

import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * What a Java user writes today: a loop over a float[] with java.util.Random, SplittableRandom or
 * ThreadLocalRandom, nextFloat scaled to the Xavier bound or nextGaussian scaled to the Xavier std.
 * "all" threads: each thread owns a generator and a contiguous slice. Each JMH fork runs one
 * generator, so the RandomGenerator call site stays monomorphic and inlines.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx3g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class PeerBench {

    @State(Scope.Benchmark)
    public abstract static class Loop {
        @Param({"Random", "SplittableRandom", "ThreadLocalRandom"}) public String gen;
        @Param({Workload.UNIFORM, Workload.NORMAL}) public String dist;
        /** "1" or "all" (every available processor). */
        @Param({"1", "all"}) public String threads;
        float[] out;
        RandomGenerator[] gens;
        ChunkPool pool;
        boolean normal;
        float bound;
        double std;

        abstract int log2();

        @Setup(Level.Trial) public void setup() {
            int t = threads.equals("all") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(threads);
            out = new float[1 << log2()];
            normal = switch (dist) {
                case Workload.UNIFORM -> false;
                case Workload.NORMAL -> true;
                default -> throw new IllegalArgumentException("dist must be uniform or normal, got " + dist);
            };
            bound = (float) Workload.xavierBound(log2());
            std = Workload.xavierStd(log2());
            gens = new RandomGenerator[t];
            SplittableRandom root = new SplittableRandom(42);
            for (int i = 0; i < t; i++) {
                gens[i] = switch (gen) {
                    case "Random" -> new Random(42 + i);
                    case "SplittableRandom" -> root.split();
                    case "ThreadLocalRandom" -> null; // taken on the worker thread
                    default -> throw new IllegalArgumentException("unknown generator '" + gen + "'");
                };
            }
            pool = t == 1 ? null : new ChunkPool(t);
            run();
        }

        void run() {
            if (pool == null) {
                slice(0, 0, out.length);
                return;
            }
            int t = gens.length;
            long per = (out.length + t - 1) / t; // one contiguous slice per thread
            pool.run(out.length, per, (from, n) -> slice((int) (from / per), (int) from, (int) (from + n)));
        }

        private void slice(int owner, int from, int to) {
            RandomGenerator g = gens[owner] != null ? gens[owner] : ThreadLocalRandom.current();
            float[] o = out;
            if (normal) {
                double s = std;
                for (int i = from; i < to; i++) o[i] = (float) (g.nextGaussian() * s);
            } else {
                float b = bound, twoB = 2 * bound;
                for (int i = from; i < to; i++) o[i] = g.nextFloat() * twoB - b;
            }
        }

        @TearDown(Level.Trial) public void tearDown() { if (pool != null) pool.close(); }
    }

    @State(Scope.Benchmark) public static class S20 extends Loop { int log2() { return 20; } }
    @State(Scope.Benchmark) public static class S24 extends Loop { int log2() { return 24; } }

    @Benchmark @OperationsPerInvocation(1 << 20) public float peer_2pow20(S20 s) { s.run(); return s.out[s.out.length - 1]; }
    @Benchmark @OperationsPerInvocation(1 << 24) public float peer_2pow24(S24 s) { s.run(); return s.out[s.out.length - 1]; }
}

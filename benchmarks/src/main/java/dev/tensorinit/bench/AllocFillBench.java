package dev.tensorinit.bench;

import dev.tensorinit.FillRequest;
import dev.tensorinit.NativeMemory;
import dev.tensorinit.spi.Backend;
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
import org.openjdk.jmh.infra.Blackhole;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * What a user waits for: fresh host memory, allocated and filled, freed afterwards (a fresh shared
 * arena per invocation). Fresh pages are slow to first-touch, so this is reported apart from the
 * pre-touched fills; its limit is allocation + parallel {@code MemorySegment.fill} of the same bytes.
 * Sizes are ≥ 64 MiB so glibc maps fresh pages for every invocation instead of reusing a free list.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AllocFillBench {

    @State(Scope.Benchmark)
    public abstract static class Target {
        @Param({"cpu"}) public String backend;
        @Param({Workload.UNIFORM, Workload.NORMAL}) public String init;
        @Param({"f32"}) public String dtype;
        Backend b;
        FillRequest request;

        abstract int log2();

        @Setup(Level.Trial) public void setup() {
            request = Workload.request(init, dtype, log2());
            b = Filler.openBackend(backend);
            Filler.announceRepeats(b, request);   // warm the fastest kernel before timing (Filler.announceRepeats)
            Filler.settle(this::run, Filler.SETTLE_NANOS);
        }

        long run() {
            try (Arena arena = Arena.ofShared()) {
                MemorySegment s = b.allocateAndFill(arena, request);
                return s.get(ValueLayout.JAVA_BYTE, s.byteSize() - 1);
            }
        }

        @TearDown(Level.Trial) public void tearDown() { if (b != null) b.close(); }
    }

    @State(Scope.Benchmark)
    public abstract static class Limit {
        ChunkPool pool;

        abstract int log2();

        @Setup(Level.Trial) public void setup() { pool = new ChunkPool(Runtime.getRuntime().availableProcessors()); }

        long run() {
            try (Arena arena = Arena.ofShared()) {
                MemorySegment s = NativeMemory.allocateUninitialized(arena, 4L << log2(), 64);
                pool.run(s.byteSize(), HostLimitBench.CHUNK_BYTES, (from, n) -> s.asSlice(from, n).fill((byte) 0x3c));
                return s.get(ValueLayout.JAVA_BYTE, s.byteSize() - 1);
            }
        }

        @TearDown(Level.Trial) public void tearDown() { if (pool != null) pool.close(); }
    }

    @State(Scope.Benchmark) public static class S24 extends Target { int log2() { return 24; } }
    @State(Scope.Benchmark) public static class S28 extends Target { int log2() { return 28; } }
    @State(Scope.Benchmark) public static class L24 extends Limit { int log2() { return 24; } }
    @State(Scope.Benchmark) public static class L28 extends Limit { int log2() { return 28; } }

    @Benchmark @OperationsPerInvocation(1 << 24) public void allocFill_2pow24(S24 s, Blackhole bh) { bh.consume(s.run()); }
    @Benchmark @OperationsPerInvocation(1 << 28) public void allocFill_2pow28(S28 s, Blackhole bh) { bh.consume(s.run()); }
    @Benchmark @OperationsPerInvocation(1 << 24) public void allocMemFill_2pow24(L24 l, Blackhole bh) { bh.consume(l.run()); }
    @Benchmark @OperationsPerInvocation(1 << 28) public void allocMemFill_2pow28(L28 l, Blackhole bh) { bh.consume(l.run()); }
}

package dev.tensorinit.bench;

import dev.tensorinit.NativeMemory;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * The host write limit: {@code MemorySegment.fill} over a pre-touched buffer of 2^k f32 slots, on one
 * thread and on all threads. ops/s = f32 elements/s, so Gfloat/s compares directly with the fills
 * (GB/s = 4 × Gfloat/s).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class HostLimitBench {
    /** Same chunk as CpuBackend (2^18 elements). */
    static final long CHUNK_BYTES = 4L << 18;

    @State(Scope.Benchmark)
    public abstract static class Buffer {
        Arena arena;
        MemorySegment segment;
        ChunkPool pool;

        abstract int log2();

        @Setup(Level.Trial) public void setup() {
            arena = Arena.ofShared();
            segment = NativeMemory.allocateUninitialized(arena, 4L << log2(), 64);
            pool = new ChunkPool(Runtime.getRuntime().availableProcessors());
            fillAll(); // first touch, in parallel
        }

        void fillOne() { segment.fill((byte) 0x3c); }

        void fillAll() {
            pool.run(segment.byteSize(), CHUNK_BYTES, (from, n) -> segment.asSlice(from, n).fill((byte) 0x3c));
        }

        @TearDown(Level.Trial) public void tearDown() {
            pool.close();
            arena.close();
        }
    }

    @State(Scope.Benchmark) public static class B20 extends Buffer { int log2() { return 20; } }
    @State(Scope.Benchmark) public static class B24 extends Buffer { int log2() { return 24; } }
    @State(Scope.Benchmark) public static class B28 extends Buffer { int log2() { return 28; } }

    @Benchmark @OperationsPerInvocation(1 << 20) public void memFill1_2pow20(B20 b) { b.fillOne(); }
    @Benchmark @OperationsPerInvocation(1 << 24) public void memFill1_2pow24(B24 b) { b.fillOne(); }
    @Benchmark @OperationsPerInvocation(1 << 28) public void memFill1_2pow28(B28 b) { b.fillOne(); }
    @Benchmark @OperationsPerInvocation(1 << 20) public void memFillAll_2pow20(B20 b) { b.fillAll(); }
    @Benchmark @OperationsPerInvocation(1 << 24) public void memFillAll_2pow24(B24 b) { b.fillAll(); }
    @Benchmark @OperationsPerInvocation(1 << 28) public void memFillAll_2pow28(B28 b) { b.fillAll(); }
}

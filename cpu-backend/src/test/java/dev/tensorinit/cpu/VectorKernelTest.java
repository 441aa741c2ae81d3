package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.Distribution;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.kernel.Reference;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The Vector API kernel against the scalar reference, byte for byte. */
class VectorKernelTest {
    private static final long SEED = 0x9E3779B97F4A7C15L;
    private static final long STREAM = 0x0000DEADBEEFCAFEL;

    /** One fill operation: the kernel under test, as a function. */
    interface Filler {
        void fill(KernelArgs a, long first, long count, MemorySegment dst, long dstOffset);
    }

    static List<Distribution> distributions() {
        return List.of(
                new Distribution.Uniform(-0.3, 0.7),
                new Distribution.Uniform(-1.0, 0.0),              // hi = 0: the clamp's signed zero
                new Distribution.Normal(0.0, 0.02),               // many f16 subnormals
                new Distribution.Normal(1.5, 3.0),
                new Distribution.TruncatedNormal(0.0, 1.0, -2.0, 2.0),
                new Distribution.TruncatedNormal(0.5, 2.0, -1.0, 7.0),  // leans right: sign = -1
                new Distribution.TruncatedNormal(0.0, 1.0, -4.2, -3.5), // far lower tail
                new Distribution.Constant(0.3),
                new Distribution.Constant(-0.0),
                new Distribution.LogOfUniform(0.01, 16.0),        // Qwen3.5's A_log
                new Distribution.LogOfUniform(0.5, 2.0));         // logs of both signs, and near 0
    }

    /** Runs [first, first+count) at byte offset off into heap and native segments; fails on the first differing element. */
    static void assertSame(Filler kernel, KernelArgs a, long first, long count, long off) {
        int size = a.dtype().bytes();
        long bytes = off + count * size + 5;
        try (Arena arena = Arena.ofConfined()) {
            List<MemorySegment> targets = new ArrayList<>();
            targets.add(arena.allocate(bytes, 64));
            targets.add(MemorySegment.ofArray(new byte[(int) bytes]));
            long words = (bytes + 7) / 8;
            switch (a.dtype()) {
                case F32 -> targets.add(MemorySegment.ofArray(new float[(int) (words * 2)]));
                case F64 -> targets.add(MemorySegment.ofArray(new double[(int) words]));
                case BF16, F16 -> targets.add(MemorySegment.ofArray(new short[(int) (words * 4)]));
            }
            MemorySegment expected = arena.allocate(bytes, 64);
            expected.fill((byte) 0x5A);
            Reference.fillRun(a, first, count, expected, off);
            for (MemorySegment t : targets) {
                t.fill((byte) 0x5A);
                kernel.fill(a, first, count, t, off);
                long at = t.asSlice(0, bytes).mismatch(expected);
                if (at >= 0) {
                    long el = (at - off) / size;
                    fail(a.kind() + " " + a.dtype().id() + " first=" + first + " count=" + count + " off=" + off
                            + " " + (t.isNative() ? "native" : "heap " + t.heapBase().orElseThrow().getClass().getSimpleName())
                            + ": byte " + at + " (element " + el + ", global " + (first + el) + ") differs: got "
                            + describe(t, off, el, a.dtype()) + ", reference " + describe(expected, off, el, a.dtype()));
                }
            }
        }
    }

    private static String describe(MemorySegment s, long off, long el, DType dt) {
        long at = off + el * dt.bytes();
        if (el < 0 || at + dt.bytes() > s.byteSize()) return "(outside the run)";
        return switch (dt) {
            case F32 -> Float.toString(s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, at));
            case F64 -> Double.toString(s.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, at));
            case BF16, F16 -> String.format("0x%04x", s.get(ValueLayout.JAVA_SHORT_UNALIGNED, at));
        };
    }

    /** Every kind × dtype on runs that start and end inside Philox blocks, at odd byte offsets. */
    static void checkAll(Filler kernel, long bigCount) {
        long[][] runs = {
                {0, bigCount, 0},
                {1, bigCount + 3, 2},
                {3, 1021, 6},
                {2, 5, 0},           // shorter than one group: head and tail only
                {0, 0, 0},
                {(1L << 34) - 37, 4099, 4},  // f32 blocks cross 2^32: the counter's high word changes inside a group
                {(1L << 33) - 19, 4099, 0},  // the same for f64
                {(1L << 40) + 7, 333, 1},
        };
        for (Distribution d : distributions()) {
            for (DType dt : DType.values()) {
                KernelArgs a = KernelArgs.of(d, dt, SEED, STREAM);
                for (long[] r : runs) assertSame(kernel, a, r[0], r[1], r[2]);
            }
        }
        // Other seeds and streams: zero, all ones, high halves only.
        long[][] keys = {{0, 0}, {-1, -1}, {0xFFFFFFFF00000000L, 1L << 32}};
        for (long[] k : keys) {
            for (DType dt : DType.values()) {
                assertSame(kernel, KernelArgs.of(new Distribution.Normal(0, 1), dt, k[0], k[1]), 5, 4097, 0);
            }
        }
    }

    /**
     * Truncated normals clamp to [a, b] (the scalar kernel's f32 normals in a pass of their own, and only where a bound is
     * finite; the vector kernel by compare-and-blend). The quantile's
     * rounding puts an element outside [a, b] rarely (9 of the 2^23 lattice points for [-4.2, -3.5], none for the
     * distributions above), so checkAll passes a kernel that skips the clamp. On [-1.001, -1] and [1, 1.001]
     * (sign 1 and -1) 1944 of them are clamped: this run must hold such elements, and the kernel must clamp them as the
     * reference does. The same parameters with infinite bounds take the pass's other branch, sign without clamp.
     */
    static void checkClamping(Filler k) {
        double inf = Double.POSITIVE_INFINITY;
        // (f32 only: bf16 and f16 refuse an interval this narrow, and round the same f32 values otherwise)
        for (Distribution d : List.of(new Distribution.TruncatedNormal(0.0, 1.0, -1.001, -1.0),
                new Distribution.TruncatedNormal(0.0, 1.0, 1.0, 1.001))) {
            KernelArgs a = KernelArgs.of(d, DType.F32, 3, 5);
            KernelArgs open = new KernelArgs(a.kind(), DType.F32, a.seed(), a.stream(), a.scale(), a.offset(), -inf, inf, a.plo(),
                    a.pspan(), a.sign());
            int n = 1 << 16, clamped = 0;
            for (long i = 1; i <= n; i++) {
                if (Float.floatToRawIntBits(Reference.valueF32(a, i)) != Float.floatToRawIntBits(Reference.valueF32(open, i))) clamped++;
            }
            assertTrue(clamped > 0, d + ": no element of the run is clamped");
            assertSame(k, a, 1, n, 2);
            assertSame(k, open, 1, n, 2);
        }
    }

    /** The vector kernel's clamps (compare-and-blend), on the cases that clamp (see checkClamping). */
    @Test void truncatedNormalsClampAsTheReferenceDoes() {
        checkClamping(new VectorKernel()::fillRun);
    }

    @Test void matchesReferenceForEveryKindAndDtype() {
        VectorKernel k = new VectorKernel();
        checkAll(k::fillRun, 1L << 16);
    }

    /**
     * Runs whose ends fall inside a block, a step or a tile: the kernel computes whole steps and
     * copies out only the run, so every start skip and every end around those sizes is checked,
     * together with the guard bytes around the run (assertSame compares the whole segment).
     */
    @Test void runsEndingInsideABlockStepOrTile() {
        VectorKernel k = new VectorKernel();
        int step = 4 * VectorKernel.STEP_BLOCKS, tile = VectorKernel.TILE;
        long[] counts = {VectorKernel.MIN_VECTOR_RUN - 1, VectorKernel.MIN_VECTOR_RUN, VectorKernel.MIN_VECTOR_RUN + 1,
                step / 2 - 1, step / 2 + 1, step - 1, step, step + 1, tile / 2 + 3, tile - 1, tile, tile + 1, 2L * tile + step + 5};
        for (Distribution d : List.of(new Distribution.Uniform(-1, 1), new Distribution.Normal(0, 1))) {
            for (DType dt : DType.values()) {
                KernelArgs a = KernelArgs.of(d, dt, SEED, STREAM);
                for (long first : new long[] {0, 1, 2, 3, 5, 1L << 33}) {
                    for (long count : counts) assertSame(k::fillRun, a, first, count, 2);
                }
            }
        }
    }

    @Test void matchesReferenceOnALongRun() {
        VectorKernel k = new VectorKernel();
        for (DType dt : DType.values()) {
            assertSame(k::fillRun, KernelArgs.of(new Distribution.Normal(0.0, 0.05), dt, SEED, STREAM), 7, (1L << 20) + 11, 2);
            assertSame(k::fillRun, KernelArgs.of(new Distribution.TruncatedNormal(0.0, 0.5, -1.0, 1.0), dt, 42, 7), 0, 1L << 18, 0);
        }
    }

    /** The bf16/f16 passes against F32Math.toBf16 and Float.floatToFloat16 on a broad sample of finite floats. */
    @Test void narrowingPassesMatchTheScalarRounding() {
        float[] in = new float[4096];
        int n = 0;
        // Every 127th bit pattern covers all exponents and many mantissas of both signs; then every
        // pattern around the f16 subnormal/normal boundary and the f16 overflow threshold.
        long[][] ranges = {{0, 0x7F7FFFFFL, 127}, {0x80000000L, 0xFF7FFFFFL, 127},
                {0x33000000L, 0x38900000L, 1}, {0x477FE000L, 0x47800100L, 1}, {0xB87F0000L, 0xB8810000L, 1}};
        long checked = 0;
        for (long[] r : ranges) {
            for (long b = r[0]; b <= r[1]; b += r[2]) {
                in[n++] = Float.intBitsToFloat((int) b);
                if (n == in.length) {
                    checkNarrowing(in, n);
                    checked += n;
                    n = 0;
                }
            }
        }
        checkNarrowing(in, n - n % VectorKernel.F.length());
        assertTrue(checked > 60_000_000L, "checked " + checked);
    }

    private static void checkNarrowing(float[] in, int n) {
        int[] bits = new int[n];
        for (int i = 0; i < n; i++) bits[i] = Float.floatToRawIntBits(in[i]);
        short[] h = new short[n], b = new short[n];
        VectorKernel.f16(bits, n, h);
        VectorKernel.bf16(bits, n, b);
        for (int i = 0; i < n; i++) {
            if (h[i] != Float.floatToFloat16(in[i])) {
                fail(String.format("f16 of %s (0x%08x): got 0x%04x, Float.floatToFloat16 0x%04x", in[i],
                        Float.floatToRawIntBits(in[i]), h[i], Float.floatToFloat16(in[i])));
            }
            if (b[i] != dev.tensorinit.kernel.F32Math.toBf16(in[i])) {
                fail(String.format("bf16 of %s (0x%08x): got 0x%04x, F32Math.toBf16 0x%04x", in[i],
                        Float.floatToRawIntBits(in[i]), b[i], dev.tensorinit.kernel.F32Math.toBf16(in[i])));
            }
        }
    }

    /**
     * The vector loops allocate nothing per element: a vector that crosses a call C2 did not
     * inline is boxed. Compilation takes a while under the Vector API (and slower still on a busy
     * machine), so each case fills until C2 has compiled the loops, up to a time budget, and
     * then one full 2^22 fill must allocate under 0.01 byte per element.
     */
    @Test void allocatesAboutNothingPerElement() {
        String failures = allocationFailures();
        assertTrue(failures.isEmpty(), failures);
    }

    /**
     * As allocatesAboutNothingPerElement, in a JVM whose C2 uses no type profiles (-XX:-UseTypeProfile): the compile a
     * loop gets when its profile has no receiver types (a tier-2 compile on a long compile queue, a priming call). A vector
     * carried round a loop then has an inexact class unless the code names it; before giles64 and log64 cast theirs
     * (as philox does), f64 normals allocated 1087 bytes per element there, every run: per-lane Java, hundreds of times
     * slower.
     */
    @Test void allocatesAboutNothingPerElementWithoutTypeProfiles() throws Exception {
        String jvm = ProcessHandle.current().info().command().orElseThrow();
        java.nio.file.Path log = java.nio.file.Files.createTempFile("vector-alloc", ".log");
        try {
            Process p = new ProcessBuilder(jvm, "--add-modules", "jdk.incubator.vector", "-XX:-UseTypeProfile", "-Xmx512m",
                    "-cp", System.getProperty("java.class.path"), AllocationMain.class.getName())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = p.waitFor(600, java.util.concurrent.TimeUnit.SECONDS);
            if (!ended) p.destroyForcibly().waitFor();
            String out = java.nio.file.Files.readString(log);
            assertTrue(ended, "timed out: " + out);
            assertEquals(0, p.exitValue(), out);
        } finally {
            java.nio.file.Files.deleteIfExists(log);
        }
    }

    /** The child JVM of allocatesAboutNothingPerElementWithoutTypeProfiles: exit 1 and the failures when any case allocates. */
    static final class AllocationMain {
        public static void main(String[] args) {
            String failures = allocationFailures();
            System.out.println(failures.isEmpty() ? "ok" : failures);
            System.exit(failures.isEmpty() ? 0 : 1);
        }
    }

    /** Each dtype and sampled kind filled until compiled (30 s each at most); the cases that still allocate, one per line. */
    static String allocationFailures() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        VectorKernel k = new VectorKernel();
        long n = 1L << 22;
        StringBuilder failures = new StringBuilder();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(n * 8, 64);
            for (DType dt : DType.values()) {
                for (Distribution d : List.of(new Distribution.Uniform(-1, 1), new Distribution.Normal(0, 1),
                        new Distribution.TruncatedNormal(0, 1, -2, 2), new Distribution.LogOfUniform(0.01, 16))) {
                    KernelArgs a = KernelArgs.of(d, dt, SEED, STREAM);
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    double perElement;
                    do {
                        long before = mx.getThreadAllocatedBytes(tid);
                        // Medium calls, as the backend makes them, each starting inside a Philox block.
                        for (long g = 0; g < n; g += CpuBackend.CHUNK) k.fillRun(a, g + 1, CpuBackend.CHUNK, seg, g * dt.bytes());
                        perElement = (mx.getThreadAllocatedBytes(tid) - before) / (double) n;
                    } while (perElement >= 0.01 && System.nanoTime() < deadline);
                    if (perElement >= 0.01) failures.append(d).append(' ').append(dt.id()).append(": ").append(perElement)
                            .append(" bytes allocated per element\n");
                }
            }
        }
        return failures.toString();
    }
}

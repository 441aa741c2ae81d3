package dev.tensorinit.testing;

import dev.tensorinit.CompiledFill;
import dev.tensorinit.DType;
import dev.tensorinit.FanMode;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.Streams;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.kernel.Reference;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Bit-exact conformance of a backend against core's scalar {@link Reference}. Shared with every backend's
 * tests through core's test-jar ({@code <type>test-jar</type>}); statistics live in {@link Statistics}.
 *
 * <p>Typical use in a backend test:
 * <pre>{@code
 * for (Conformance.Case c : Conformance.standardMatrix()) {
 *     MemorySegment out = arena.allocate(c.request().byteSize());
 *     backend.fill(c.request(), out);
 *     Conformance.assertBitIdentical(c.request(), out);
 * }
 * }</pre>
 */
public final class Conformance {
    private Conformance() {}

    /** Elements per reference work item; the reference is computed on all cores (its chunking cannot change values). */
    private static final long REF_CHUNK = 1L << 16;

    /** Never started; only asked whether a segment is confined to its owner thread. */
    private static final Thread NOT_OWNER = Thread.ofPlatform().unstarted(() -> { });

    /** A named fill request, for readable parameterized-test names. */
    public record Case(String name, FillRequest request) {
        @Override public String toString() { return name; }
    }

    /** Seed and stream used by the standard matrix: both with high bits set, so sign handling of the key/counter words is exercised. */
    public static final long SEED = 0x9E3779B97F4A7C15L;
    public static final long STREAM = Streams.ofName("encoder.layers.0.attention.wq.weight");

    /**
     * One init per kernel path of the contract, keyed by a label: both naming families, the untruncated
     * normals, the truncated normal in plain and mirrored form (a mirrored interval has sign -1), a
     * constant and the log of a uniform. Every value fits f16.
     */
    public static Map<String, InitSpec> standardInits() {
        Map<String, InitSpec> m = new LinkedHashMap<>();
        m.put("xavier_uniform", InitSpec.xavierUniform());
        m.put("xavier_normal", InitSpec.xavierNormal(5.0 / 3.0));
        m.put("trunc_normal", InitSpec.truncNormal());
        m.put("trunc_normal_mirrored", InitSpec.truncNormal(0.5, 2.0, -1.0, 4.0));
        m.put("glorot_normal", InitSpec.glorotNormal());
        m.put("kaiming_normal", InitSpec.kaimingNormal(0, FanMode.FAN_OUT, "relu"));
        m.put("uniform", InitSpec.uniform(-0.25, 0.75));
        m.put("normal", InitSpec.normal(0.125, 0.02));
        m.put("constant", InitSpec.constant(0.3));
        m.put("log_of_uniform", InitSpec.logOfUniform(0.01, 16.0));   // Qwen3.5's A_log: the uniform, then the log
        return m;
    }

    /**
     * Every standard init × every dtype × these regions: a whole tensor of odd size (not a multiple of a
     * Philox block), ranges that start and end inside a Philox block (for both 4- and 2-element blocks),
     * a one-element range, a range in the middle of a big tensor, and 2-D tiles with odd widths.
     * Small enough to run on any backend in a second.
     */
    public static List<Case> standardMatrix() {
        List<Case> out = new ArrayList<>();
        for (Map.Entry<String, InitSpec> e : standardInits().entrySet()) {
            for (DType dt : DType.values()) {
                for (Case shape : regions(e.getValue(), dt)) {
                    out.add(new Case(e.getKey() + " " + dt.id() + " " + shape.name(), shape.request()));
                }
            }
        }
        out.add(new Case("trunc_normal_clamping f32 whole 65536", CLAMPING));
        return out;
    }

    /**
     * A truncated normal on [1, 1.001] (sign -1: the interval leans right), whose quantile's rounding leaves the interval
     * for some elements, so the kernel's clamp decides them: no other case reaches a clamp (9 of the 2^23 f32 lattice
     * points leave [-4.2, -3.5]; none of the standard inits' sampled elements do). ConformanceTest checks that this run
     * holds clamped elements. f32 only: bf16 and f16 refuse an interval this narrow.
     */
    public static final FillRequest CLAMPING = new FillRequest(Shape.of(1 << 16), Layout.TORCH, InitSpec.truncNormal(0.0, 1.0, 1.0, 1.001),
            DType.F32, SEED, STREAM, Region.whole());

    private static List<Case> regions(InitSpec init, DType dt) {
        Shape odd = Shape.of(37, 29);               // 1073 elements
        Shape wide = Shape.of(256, 128);
        Shape tiled = Shape.of(300, 257);
        Shape big = Shape.of(1L << 20, 1L << 14);   // 2^34 elements: global indices past 2^32
        FillRequest base = new FillRequest(odd, Layout.TORCH, init, dt, SEED, STREAM, Region.whole());
        return List.of(
                new Case("whole 37x29", base),
                new Case("range 4001:12003 of 256x128", new FillRequest(wide, Layout.TORCH, init, dt, SEED, STREAM,
                        Region.range(4001, 12003))),
                new Case("range 1:2 of 37x29", base.withRegion(Region.range(1, 2))),
                new Case("range 3:1070 of 37x29", base.withRegion(Region.range(3, 1070))),
                new Case("tile 3:77 x 5:202 of 300x257", new FillRequest(tiled, Layout.TORCH, init, dt, SEED, STREAM,
                        Region.tile(3, 77, 5, 202))),
                new Case("tile 0:1 x 0:1 of 300x257", new FillRequest(tiled, Layout.TORCH, init, dt, SEED, STREAM,
                        Region.tile(0, 1, 0, 1))),
                new Case("range around 2^32 of 2^20x2^14", new FillRequest(big, Layout.JAX, init, dt, -1L, 0L,
                        Region.range((1L << 32) - 1001, (1L << 32) + 1003))));
    }

    /** The reference bytes of the request (native byte order); for fills of less than 2^31 bytes. */
    public static byte[] referenceBytes(FillRequest request) {
        long bytes = request.byteSize();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("fill of " + bytes + " bytes is too big for a byte[]; use reference(request, arena)");
        }
        byte[] out = new byte[(int) bytes];
        writeReference(request, MemorySegment.ofArray(out));
        return out;
    }

    /** The reference values of the request in a fresh segment of {@code arena}. */
    public static MemorySegment reference(FillRequest request, Arena arena) {
        MemorySegment out = arena.allocate(request.byteSize(), 8);
        writeReference(request, out);
        return out;
    }

    /** Writes the reference values of the request into dst: {@link Reference#fillRun} over the compiled fill's runs. */
    public static void writeReference(FillRequest request, MemorySegment dst) {
        request.checkDestination(dst);
        if (!dst.isAccessibleBy(NOT_OWNER)) { // confined: compute on all cores elsewhere, then copy on this thread
            try (Arena shared = Arena.ofShared()) {
                MemorySegment tmp = shared.allocate(request.byteSize(), 8);
                writeReference(request, tmp);
                MemorySegment.copy(tmp, 0, dst, 0, request.byteSize());
            }
            return;
        }
        CompiledFill fill = request.compile();
        KernelArgs args = fill.args();
        int size = request.dtype().bytes();
        List<long[]> chunks = new ArrayList<>();
        fill.forEachRun(0, fill.count(), (g, n, d) -> {
            for (long off = 0; off < n; off += REF_CHUNK) chunks.add(new long[] {g + off, Math.min(REF_CHUNK, n - off), d + off});
        });
        IntStream.range(0, chunks.size()).parallel().forEach(i -> {
            long[] c = chunks.get(i);
            Reference.fillRun(args, c[0], c[1], dst, c[2] * size);
        });
    }

    /** Asserts that actual holds exactly the reference bytes of the request (actual may be longer). */
    public static void assertBitIdentical(FillRequest request, MemorySegment actual) {
        try (Arena arena = Arena.ofShared()) { // shared: the reference is computed on several threads
            assertBitIdentical(request, reference(request, arena), actual);
        }
    }

    /** As {@link #assertBitIdentical(FillRequest, MemorySegment, MemorySegment)}, the message prefixed with {@code what} (the path taken). */
    public static void assertBitIdentical(String what, FillRequest request, MemorySegment expected, MemorySegment actual) {
        try {
            assertBitIdentical(request, expected, actual);
        } catch (AssertionError e) {
            throw new AssertionError(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Asserts that actual equals expected (the request's reference, computed once and reused) over the
     * request's bytes. On failure the message names the first differing element by destination and
     * global index, with both bit patterns, the dtype and how many elements differ in all.
     */
    public static void assertBitIdentical(FillRequest request, MemorySegment expected, MemorySegment actual) {
        long bytes = request.byteSize();
        if (actual.byteSize() < bytes) {
            throw new AssertionError("actual holds " + actual.byteSize() + " bytes, the fill " + describe(request) + " needs " + bytes);
        }
        long at = MemorySegment.mismatch(expected, 0, bytes, actual, 0, bytes);
        if (at < 0) return;
        DType dt = request.dtype();
        int size = dt.bytes();
        long first = at / size;
        long differing = 0;
        for (long i = first; i < request.count(); i++) if (bits(expected, dt, i) != bits(actual, dt, i)) differing++;
        long g = globalIndex(request, first);
        throw new AssertionError(String.format(Locale.ROOT,
                "%s differs from the reference: first at element %d (global index %d, Philox block %d) expected %s actual %s;"
                        + " %d of %d elements differ",
                describe(request), first, g, g / Reference.elementsPerBlock(dt),
                show(expected, dt, first), show(actual, dt, first), differing, request.count()));
    }

    /**
     * Asserts that actual starts with expected's elements (raw windows of a dtype, e.g. a slice of a huge
     * tensor against {@link Reference#fillRun} of the same global indices); the message names the first
     * differing element with both bit patterns and how many differ.
     */
    public static void assertSameElements(String what, DType dt, MemorySegment expected, MemorySegment actual) {
        long bytes = expected.byteSize();
        if (actual.byteSize() < bytes) throw new AssertionError(what + ": " + actual.byteSize() + " bytes, expected " + bytes);
        long at = MemorySegment.mismatch(expected, 0, bytes, actual, 0, bytes);
        if (at < 0) return;
        long first = at / dt.bytes(), n = bytes / dt.bytes(), differing = 0;
        for (long i = first; i < n; i++) if (bits(expected, dt, i) != bits(actual, dt, i)) differing++;
        throw new AssertionError(String.format(Locale.ROOT, "%s: element %d differs: expected %s actual %s; %d of %d elements differ",
                what, first, show(expected, dt, first), show(actual, dt, first), differing, n));
    }

    /** The global (whole-tensor, row-major) index of destination element {@code dstIndex} of the request. */
    public static long globalIndex(FillRequest request, long dstIndex) {
        return request.compile().globalIndex(dstIndex);
    }

    /** "xavier_uniform{gain=1.0} f32 seed .. stream .. shape .. region ..". */
    public static String describe(FillRequest r) {
        return r.init().name() + r.init().parameters() + " " + r.dtype().id() + " seed " + r.seed() + " stream " + r.stream()
                + " shape " + r.shape() + " " + r.layout().id() + " region " + r.region();
    }

    /** Raw bits of element i (the bit pattern, zero-extended). */
    public static long bits(MemorySegment s, DType dt, long i) {
        return switch (dt) {
            case F32 -> s.get(ValueLayout.JAVA_INT_UNALIGNED, i * 4) & 0xFFFFFFFFL;
            case F64 -> s.get(ValueLayout.JAVA_LONG_UNALIGNED, i * 8);
            case BF16, F16 -> s.get(ValueLayout.JAVA_SHORT_UNALIGNED, i * 2) & 0xFFFFL;
        };
    }

    /** Element i as a double (bf16 and f16 widened exactly). */
    public static double value(MemorySegment s, DType dt, long i) {
        return switch (dt) {
            case F32 -> s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, i * 4);
            case F64 -> s.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, i * 8);
            case BF16 -> Float.intBitsToFloat((s.get(ValueLayout.JAVA_SHORT_UNALIGNED, i * 2) & 0xFFFF) << 16);
            case F16 -> Float.float16ToFloat(s.get(ValueLayout.JAVA_SHORT_UNALIGNED, i * 2));
        };
    }

    private static String show(MemorySegment s, DType dt, long i) {
        int hexDigits = dt.bytes() * 2;
        return String.format(Locale.ROOT, "0x%0" + hexDigits + "x (%s %s)", bits(s, dt, i), dt.id(), value(s, dt, i));
    }
}

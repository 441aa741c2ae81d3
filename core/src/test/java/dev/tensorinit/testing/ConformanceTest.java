package dev.tensorinit.testing;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.kernel.Reference;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The conformance helpers themselves: they must catch a single flipped bit and point at it. */
class ConformanceTest {
    private final FillRequest tile = new FillRequest(Shape.of(300, 257), Layout.TORCH, InitSpec.xavierNormal(), DType.BF16,
            Conformance.SEED, Conformance.STREAM, Region.tile(3, 77, 5, 202));

    @Test
    void referenceIsThePerElementValue() {
        MemorySegment ref = MemorySegment.ofArray(Conformance.referenceBytes(tile));
        KernelArgs a = tile.kernelArgs();
        for (long r = 3; r < 77; r++) {
            for (long c = 5; c < 202; c++) {
                long dst = (r - 3) * 197 + (c - 5);
                short expected = dev.tensorinit.kernel.F32Math.toBf16(Reference.valueF32(a, r * 257 + c));
                assertEquals(expected, ref.get(ValueLayout.JAVA_SHORT_UNALIGNED, dst * 2), "row " + r + " col " + c);
                assertEquals(r * 257 + c, Conformance.globalIndex(tile, dst));
            }
        }
    }

    /** The clamping case holds elements the clamp moves: with unbounded limits the same elements differ. */
    @Test
    void theClampingCaseClamps() {
        KernelArgs a = Conformance.CLAMPING.kernelArgs();
        KernelArgs open = new KernelArgs(a.kind(), a.dtype(), a.seed(), a.stream(), a.scale(), a.offset(), Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY, a.plo(), a.pspan(), a.sign());
        int clamped = 0;
        for (long i = 0; i < Conformance.CLAMPING.count(); i++) {
            if (Float.floatToRawIntBits(Reference.valueF32(a, i)) != Float.floatToRawIntBits(Reference.valueF32(open, i))) clamped++;
        }
        assertTrue(clamped > 0, "no element of the clamping case is clamped");
    }

    @Test
    void catchesOneFlippedBitAndNamesIt() {
        byte[] actual = Conformance.referenceBytes(tile);
        Conformance.assertBitIdentical(tile, MemorySegment.ofArray(actual));
        long dst = 5 * 197 + 11;  // row 8, col 16
        actual[(int) dst * 2] ^= 1;
        AssertionError e = assertThrows(AssertionError.class, () -> Conformance.assertBitIdentical(tile, MemorySegment.ofArray(actual)));
        String m = e.getMessage();
        assertTrue(m.contains("element " + dst) && m.contains("global index " + (8 * 257 + 16)) && m.contains("bf16")
                && m.contains("1 of 14578 elements differ"), m);
    }

    @Test
    void rejectsShortActual() {
        AssertionError e = assertThrows(AssertionError.class, () -> Conformance.assertBitIdentical(tile, MemorySegment.ofArray(new byte[10])));
        assertTrue(e.getMessage().contains("10 bytes"), e.getMessage());
    }

    @Test
    void matrixCoversEveryInitDtypeAndBlockStraddlingRanges() {
        Set<String> inits = new HashSet<>();
        Set<DType> dtypes = new HashSet<>();
        boolean startsInside4 = false, endsInside4 = false, startsInside2 = false, endsInside2 = false, tiles = false;
        for (Conformance.Case c : Conformance.standardMatrix()) {
            inits.add(c.name().split(" ")[0]);
            dtypes.add(c.request().dtype());
            if (c.request().region() instanceof Region.Range r) {
                startsInside4 |= r.start() % 4 != 0;
                endsInside4 |= r.end() % 4 != 0;
                startsInside2 |= r.start() % 2 != 0;
                endsInside2 |= r.end() % 2 != 0;
            }
            tiles |= c.request().region() instanceof Region.Tile;
        }
        Set<String> expected = new HashSet<>(Conformance.standardInits().keySet());
        expected.add("trunc_normal_clamping");   // Conformance.CLAMPING, f32 only
        assertEquals(expected, inits);
        assertEquals(Set.of(DType.values()), dtypes);
        assertTrue(startsInside4 && endsInside4 && startsInside2 && endsInside2 && tiles);
        for (String kind : new String[] {"xavier_uniform", "xavier_normal", "trunc_normal", "glorot_normal", "kaiming_normal", "uniform",
                "normal", "constant", "log_of_uniform"}) {
            assertTrue(inits.contains(kind), kind);
        }
    }

    @Test
    void statisticsDetectAWrongDistribution() {
        // A sample of N(0, 1) passes against N(0, 1) and fails against N(0.01, 1): the checks can fail.
        SplittableRandom rnd = new SplittableRandom(11);
        double[] x = new double[1 << 20];
        NormalDistribution n01 = new NormalDistribution(null, 0, 1, 1e-9);
        for (int i = 0; i < x.length; i++) x[i] = n01.inverseCumulativeProbability((i + rnd.nextDouble()) / x.length);
        Statistics.Moments m = Statistics.moments(x);
        Statistics.assertMoments("n01", m, 0, 1, 3);
        Statistics.assertKs("n01", n01, x);
        assertThrows(AssertionError.class, () -> Statistics.assertMoments("shifted", m, 0.01, 1, 3));
        assertThrows(AssertionError.class, () -> Statistics.assertMoments("wider", m, 0, 1.02, 3));
        assertThrows(AssertionError.class, () -> Statistics.assertKs("shifted", new NormalDistribution(null, 0.01, 1, 1e-9), x));
    }

    @Test
    void ksStatisticEqualsCommonsMathsIncludingTies() {
        SplittableRandom rnd = new SplittableRandom(12);
        double[] x = new double[300_000];
        for (int i = 0; i < x.length; i++) x[i] = Math.round(rnd.nextGaussian() * 1000) / 1000.0;  // many ties
        NormalDistribution n01 = new NormalDistribution(null, 0, 1, 1e-9);
        double commons = new org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest().kolmogorovSmirnovStatistic(n01, x.clone());
        assertEquals(commons, Statistics.ksStatistic(n01, x), 1e-15);
    }

    @Test
    void ksStatisticOfLargeSamplesIsATightUpperBound() {
        SplittableRandom rnd = new SplittableRandom(13);
        double[] x = new double[Statistics.KS_EXACT_BELOW + 12345];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        NormalDistribution n01 = new NormalDistribution(null, 0, 1, 1e-9);
        double commons = new org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest().kolmogorovSmirnovStatistic(n01, x.clone());
        double ours = Statistics.ksStatistic(n01, x);
        assertTrue(ours >= commons && ours <= commons + (double) Statistics.KS_STRIDE / x.length, ours + " vs exact " + commons);
    }

    @Test
    void truncatedNormalDistributionMoments() {
        TruncatedNormalDistribution t = new TruncatedNormalDistribution(0, 1, -2, 2);
        assertEquals(0, t.getNumericalMean(), 1e-15);
        assertEquals(0.87962566103423978 * 0.87962566103423978, t.getNumericalVariance(), 1e-15);
        assertEquals(0.5, t.cumulativeProbability(0), 1e-15);
        assertEquals(0, t.cumulativeProbability(-2));
        assertEquals(1, t.cumulativeProbability(2));
        // N(0,1) on [3, 10] has mean φ(3)/Q(3) = 0.00443184841194 / 0.00134989803163 (Q(10) is negligible).
        assertEquals(0.00443184841194 / 0.00134989803163, new TruncatedNormalDistribution(0, 1, 3, 10).getNumericalMean(), 1e-9);
    }
}

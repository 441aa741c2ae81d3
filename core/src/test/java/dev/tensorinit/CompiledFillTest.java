package dev.tensorinit;

import dev.tensorinit.testing.Conformance;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one chunker: destination-to-global mapping, spans (runs and row blocks) of any destination
 * range, and pieces. Checked against a naive per-element map and by reassembling reference bytes.
 */
class CompiledFillTest {

    private static List<List<Long>> runs(FillRequest r) {
        List<List<Long>> out = new ArrayList<>();
        CompiledFill f = r.compile();
        f.forEachRun(0, f.count(), (g, n, d) -> out.add(List.of(g, n, d)));
        return out;
    }

    @Test
    void wholeAndRangeAreOneRun() {
        Shape s = Shape.of(1L << 20, 1L << 14);
        FillRequest whole = FillRequest.of(s, InitSpec.zeros());
        assertEquals(List.of(List.of(0L, 1L << 34, 0L)), runs(whole));
        FillRequest range = whole.withRegion(Region.range((1L << 32) - 3, (1L << 32) + 5));
        assertEquals(List.of(List.of((1L << 32) - 3, 8L, 0L)), runs(range));
    }

    @Test
    void aTileIsOneRunPerRowWithLongIndices() {
        assertEquals(List.of(List.of(12L, 5L, 0L), List.of(22L, 5L, 5L), List.of(32L, 5L, 10L)),
                runs(FillRequest.of(Shape.of(5, 10), InitSpec.zeros()).withRegion(Region.tile(1, 4, 2, 7))));
        Shape s = Shape.of(1L << 20, 1L << 14);
        assertEquals(List.of(List.of(((1L << 20) - 1) * (1L << 14) + 3, 1L, 0L)),
                runs(FillRequest.of(s, InitSpec.zeros()).withRegion(Region.tile((1L << 20) - 1, 1L << 20, 3, 4))));
    }

    /** Every destination sub-range of every region kind, as spans, maps exactly like the per-element globalIndex. */
    @Test
    void spansOfAnySubRangeMatchTheElementMap() {
        Shape shape = Shape.of(37, 29);
        for (Region region : regions()) {
            CompiledFill f = FillRequest.of(shape, InitSpec.zeros()).withRegion(region).compile();
            long n = f.count();
            for (long from = 0; from < n; from += Math.max(1, n / 17)) {
                for (long to : new long[] {from, from + 1, from + 28, from + 29, from + 30, from + 59, n}) {
                    if (to > n || to < from) continue;
                    long[] next = {from};
                    f.spans(from, to, new CompiledFill.Spans() {
                        @Override public void run(long g, long count, long dst) {
                            assertTrue(count > 0, "empty run");
                            assertEquals(next[0], dst, "runs in destination order");
                            for (long i = 0; i < count; i++) assertEquals(f.globalIndex(dst + i), g + i, region + " element " + (dst + i));
                            next[0] += count;
                        }

                        @Override public void rows(long g, long stride, long width, long rows, long dst) {
                            assertTrue(rows > 0 && width == f.width(), "whole rows only");
                            CompiledFill.Spans.super.rows(g, stride, width, rows, dst);
                        }
                    });
                    assertEquals(to, next[0], region + " [" + from + ", " + to + ") fully covered");
                }
            }
        }
    }

    /** Pieces of every size, filled one by one with the reference, give the whole region's bytes. */
    @Test
    void piecesOfEverySizeReassembleTheRegion() {
        Shape shape = Shape.of(37, 29);
        for (Region region : regions()) {
            for (DType d : DType.values()) {
                FillRequest r = new FillRequest(shape, Layout.TORCH, InitSpec.xavierNormal(), d, 3, 4, region);
                CompiledFill f = r.compile();
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment expected = Conformance.reference(r, arena);
                    for (long per : new long[] {1, 2, 3, 4, 7, 26, 27, 28, 29, 30, 54, 100, f.count() - 1, f.count(), f.count() + 5}) {
                        if (per < 1) continue;
                        MemorySegment out = arena.allocate(r.byteSize());
                        long next = 0;
                        for (CompiledFill.Piece p : f.pieces(per)) {
                            assertEquals(next, p.dstFrom(), "pieces in order, without gaps");
                            assertTrue(p.fill().count() <= per, "a piece of " + p.fill().count() + " > " + per);
                            MemorySegment part = Conformance.reference(p.fill().request(), arena);
                            MemorySegment.copy(part, 0, out, p.dstFrom() * d.bytes(), p.fill().byteSize());
                            next += p.fill().count();
                        }
                        assertEquals(f.count(), next);
                        Conformance.assertSameElements(region + " " + d + " in pieces of " + per, d, expected, out);
                    }
                }
            }
        }
    }

    @Test
    void compilingIsTheValidation() {
        FillRequest rank1 = FillRequest.of(Shape.of(10), InitSpec.xavierUniform());   // no fans in the torch layout
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, rank1::compile);
        assertTrue(e.getMessage().contains("xavier_uniform") && e.getMessage().contains("rank 1"), e.getMessage());
        FillRequest f16 = FillRequest.of(Shape.of(4, 4), InitSpec.normal(0, 1e5)).withDType(DType.F16);
        assertTrue(assertThrows(IllegalArgumentException.class, f16::compile).getMessage().contains("f16"));
        FillRequest huge = FillRequest.of(Shape.of(1L << 61, 2), InitSpec.zeros()).withDType(DType.F64);   // 2^65 bytes
        assertTrue(assertThrows(IllegalArgumentException.class, huge::compile).getMessage().contains("2^63"));
        assertThrows(IndexOutOfBoundsException.class, () -> FillRequest.of(Shape.of(4, 4), InitSpec.zeros()).compile().globalIndex(16));
        assertThrows(IllegalArgumentException.class, () -> FillRequest.of(Shape.of(4, 4), InitSpec.zeros()).compile().pieces(0));
    }

    private static List<Region> regions() {
        return List.of(Region.whole(), Region.range(5, 1000), Region.range(0, 1), Region.tile(3, 30, 4, 27),
                Region.tile(0, 37, 0, 29), Region.tile(10, 11, 28, 29), Region.tile(2, 36, 0, 1));
    }
}

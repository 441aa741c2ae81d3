package dev.tensorinit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces of large ranges and tiles: what each piece is, computed (not filled), past 2^32 elements too. */
class CompiledFillPiecesTest {

    @Test void piecesOfAHugeRangeCoverItExactlyOnce() {
        // 2^32 + 2^16 elements (more than 2^31): pieces are computed, not filled.
        FillRequest req = new FillRequest(Shape.of(65537, 65536), Layout.TORCH, InitSpec.xavierUniform(), DType.F32, 0, 0,
                Region.range(3, 65537L * 65536 - 5));
        long piece = 1L << 22;
        CompiledFill.Pieces pieces = req.compile().pieces(piece);
        assertEquals((req.count() + piece - 1) / piece, pieces.count());
        long next = 3, dst = 0, n = 0;
        for (CompiledFill.Piece p : pieces) {
            Region.Range r = (Region.Range) p.fill().request().region();
            assertEquals(next, r.start());
            assertEquals(dst, p.dstFrom());
            assertTrue(r.end() - r.start() <= piece);
            next = r.end();
            dst += r.end() - r.start();
            n++;
        }
        assertEquals(pieces.count(), n);
        assertEquals(65537L * 65536 - 5, next);
        assertEquals(req.count(), dst);
        assertThrows(IllegalArgumentException.class, () -> req.compile().pieces(0));
        assertThrows(IndexOutOfBoundsException.class, () -> pieces.get(pieces.count()));
    }

    @Test void piecesOfATileAreRowBands() {
        FillRequest req = new FillRequest(Shape.of(100, 70), Layout.TORCH, InitSpec.xavierUniform(), DType.F32, 0, 0,
                Region.tile(10, 95, 5, 65));
        long row = 10, dst = 0;
        for (CompiledFill.Piece p : req.compile().pieces(250)) { // 250 / 60 = 4 rows per band
            Region.Tile t = (Region.Tile) p.fill().request().region();
            assertEquals(row, t.row0());
            assertEquals(5, t.col0());
            assertEquals(65, t.col1());
            assertTrue(t.rows() <= 4);
            assertEquals(dst, p.dstFrom());
            row = t.row1();
            dst += t.rows() * 60;
        }
        assertEquals(95, row);
        assertEquals(req.count(), dst);
    }

    /** A tile row longer than a piece is cut inside the row: flat runs of the 2-D tensor, still in the tile's order. */
    @Test void aTileRowLongerThanAPieceIsCutInsideTheRow() {
        FillRequest req = new FillRequest(Shape.of(100, 70), Layout.TORCH, InitSpec.xavierUniform(), DType.F32, 0, 0,
                Region.tile(10, 13, 5, 65));
        CompiledFill.Pieces pieces = req.compile().pieces(25); // 60 columns: 25 + 25 + 10 per row
        assertEquals(9, pieces.count());
        long dst = 0;
        int k = 0;
        for (CompiledFill.Piece p : pieces) {
            Region.Range g = (Region.Range) p.fill().request().region();
            long row = 10 + k / 3, c0 = 5 + (k % 3) * 25;
            assertEquals(row * 70 + c0, g.start(), "piece " + k);
            assertEquals(row * 70 + Math.min(65, c0 + 25), g.end(), "piece " + k);
            assertEquals(dst, p.dstFrom(), "piece " + k);
            dst += g.end() - g.start();
            k++;
        }
        assertEquals(req.count(), dst);
    }

    /**
     * With a lead, a range's first piece is that much shorter and every later one starts where lead + dstFrom is a
     * multiple of the piece size (a writer behind a header gets block-aligned pieces); the pieces still cover the range
     * once, in order. A range that fits in the shortened first piece is one piece. Tiles keep their bands and ignore it.
     */
    @Test void aLeadShortensTheFirstPieceOfARange() {
        FillRequest req = new FillRequest(Shape.of(1000, 33), Layout.TORCH, InitSpec.xavierUniform(), DType.F32, 0, 0,
                Region.range(7, 1000L * 33 - 2));
        long piece = 1024;
        for (long lead : new long[] {0, 1, 32, 1023}) {
            CompiledFill.Pieces pieces = req.compile().pieces(piece, lead);
            assertEquals((req.count() + lead + piece - 1) / piece, pieces.count(), "lead " + lead);
            long next = 7, dst = 0;
            int k = 0;
            for (CompiledFill.Piece p : pieces) {
                Region.Range r = (Region.Range) p.fill().request().region();
                assertEquals(next, r.start(), "lead " + lead + " piece " + k);
                assertEquals(dst, p.dstFrom(), "lead " + lead + " piece " + k);
                long n = r.end() - r.start();
                if (k == 0) assertEquals(piece - lead, n, "the first piece, lead " + lead);
                else assertEquals(0, (lead + dst) % piece, "piece " + k + " starts on a boundary, lead " + lead);
                if (k < pieces.count() - 1 && k > 0) assertEquals(piece, n, "lead " + lead + " piece " + k);
                next = r.end();
                dst += n;
                k++;
            }
            assertEquals(req.count(), dst, "lead " + lead);
        }
        FillRequest small = new FillRequest(Shape.of(10, 10), Layout.TORCH, InitSpec.xavierUniform(), DType.F32, 0, 0, Region.whole());
        CompiledFill.Pieces one = small.compile().pieces(1024, 924);
        assertEquals(1, one.count());
        assertEquals(100, one.get(0).fill().count());
        CompiledFill.Pieces three = small.compile().pieces(64, 40);
        assertEquals(3, three.count());
        assertEquals(24, three.get(0).fill().count());
        assertEquals(64, three.get(1).fill().count());
        assertEquals(12, three.get(2).fill().count());

        FillRequest tile = new FillRequest(Shape.of(100, 70), Layout.TORCH, InitSpec.xavierUniform(), DType.F32, 0, 0,
                Region.tile(10, 95, 5, 65));
        assertEquals(tile.compile().pieces(250).count(), tile.compile().pieces(250, 100).count(), "tiles ignore the lead");
        assertEquals(240, tile.compile().pieces(250, 100).get(0).fill().count(), "a band of 4 rows of 60");
        assertThrows(IllegalArgumentException.class, () -> req.compile().pieces(piece, piece));
        assertThrows(IllegalArgumentException.class, () -> req.compile().pieces(piece, -1));
    }
}

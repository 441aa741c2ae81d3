package dev.tensorinit.cuda;

import dev.tensorinit.Region;
import dev.tensorinit.Shape;

/**
 * Cuts destination elements [dstFirst, dstFirst + n) of a region into kernel launches: one run for
 * whole tensors and ranges; for tiles, one tile launch for the whole rows and runs for partial rows at
 * either end (a chunk boundary may fall mid-row). Pure index arithmetic, tested without a GPU.
 */
final class FillPlan {
    private FillPlan() {}

    interface Sink {
        /** Global elements [first, first + count) to destination offset dst (elements from the chunk start). */
        void run(long first, long count, long dst);

        /** Tile rows [row0, row0 + rows) × columns [col0, col0 + width) of a tensor with cols columns, to dst. */
        void tile(long cols, long row0, long rows, long col0, long width, long dst);
    }

    static void plan(Shape shape, Region region, long dstFirst, long n, Sink sink) {
        if (n <= 0) return;
        switch (region) {
            case Region.Whole w -> sink.run(dstFirst, n, 0);
            case Region.Range r -> sink.run(r.start() + dstFirst, n, 0);
            case Region.Tile t -> {
                long width = t.cols(), cols = shape.dim(1);
                long done = 0;
                while (done < n) {
                    long d = dstFirst + done, row = d / width, col = d % width;
                    if (col == 0 && n - done >= width) {
                        long rows = (n - done) / width;
                        sink.tile(cols, t.row0() + row, rows, t.col0(), width, done);
                        done += rows * width;
                    } else {
                        long m = Math.min(width - col, n - done);
                        sink.run((t.row0() + row) * cols + t.col0() + col, m, done);
                        done += m;
                    }
                }
            }
        }
    }
}

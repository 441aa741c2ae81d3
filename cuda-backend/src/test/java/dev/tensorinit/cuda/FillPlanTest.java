package dev.tensorinit.cuda;

import dev.tensorinit.testing.Conformance;
import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.kernel.Reference;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend's chunking and launch plan, without a GPU: executing each planned run and tile with the
 * reference (as the kernels would compute them) chunk by chunk, exactly like the host-fill loop, must give
 * the reference's bytes of the whole region, for every chunk size.
 */
class FillPlanTest {

    /** Executes a plan the way the kernels would: runs and tiles computed by the reference into the chunk buffer. */
    private static FillPlan.Sink referenceSink(KernelArgs a, MemorySegment chunk, int[] tileLaunches) {
        long size = a.dtype().bytes();
        return new FillPlan.Sink() {
            @Override public void run(long first, long count, long dst) {
                assertTrue(count > 0, "empty run");
                Reference.fillRun(a, first, count, chunk, dst * size);
            }

            @Override public void tile(long cols, long row0, long rows, long col0, long width, long dst) {
                assertTrue(rows > 0 && width > 0, "empty tile");
                tileLaunches[0]++;
                for (long r = 0; r < rows; r++) Reference.fillRun(a, (row0 + r) * cols + col0, width, chunk, (dst + r * width) * size);
            }
        };
    }

    @Test
    void everyChunkSizeReproducesTheRegion() {
        Shape shape = Shape.of(37, 29);
        List<Region> regions = List.of(Region.whole(), Region.range(5, 1000), Region.range(0, 1), Region.tile(3, 30, 4, 27),
                Region.tile(0, 37, 0, 29), Region.tile(10, 11, 28, 29), Region.tile(2, 36, 0, 1));
        for (Region region : regions) {
            for (DType d : DType.values()) {
                FillRequest r = new FillRequest(shape, Layout.TORCH, InitSpec.xavierNormal(), d, 3, 4, region);
                KernelArgs a = r.kernelArgs();
                long total = r.count();
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment expected = Conformance.reference(r, arena);
                    for (long per : new long[] {1, 2, 3, 4, 7, 26, 27, 28, 54, 100, total - 1, total, total + 5}) {
                        if (per < 1) continue;
                        MemorySegment out = arena.allocate(r.byteSize());
                        MemorySegment chunk = arena.allocate(Math.min(per, total) * d.bytes());
                        int[] tiles = {0};
                        for (long off = 0; off < total; off += per) {
                            long n = Math.min(per, total - off);
                            FillPlan.plan(shape, region, off, n, referenceSink(a, chunk, tiles));
                            MemorySegment.copy(chunk, 0, out, off * d.bytes(), n * d.bytes());
                        }
                        Conformance.assertSameElements(region + " " + d + " in chunks of " + per, d, expected, out);
                        if (region instanceof Region.Tile t && per >= total) assertEquals(1, tiles[0], "a whole tile is one launch");
                    }
                }
            }
        }
    }
}

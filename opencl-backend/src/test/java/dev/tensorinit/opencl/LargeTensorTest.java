package dev.tensorinit.opencl;

import dev.tensorinit.testing.Conformance;
import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 64-bit indices and tensors larger than one device allocation. */
class LargeTensorTest {

    /** Elements past index 2^31 of a 2^33-element tensor (the tensor itself is never allocated). */
    @ParameterizedTest
    @EnumSource(DType.class)
    void rangePastTwoToThe31(DType dtype) {
        long two31 = 1L << 31;
        FillRequest r = new FillRequest(Shape.of(1L << 33), Layout.TORCH, InitSpec.truncNormal(0, 1, -1.5, 2.5), dtype,
                42, 3, Region.range(two31 - 1001, two31 + 5003));
        try (OpenClBackend b = OpenClTesting.backend(); Arena arena = Arena.ofConfined()) {
            MemorySegment expected = Conformance.reference(r, arena);
            MemorySegment got = arena.allocate(r.byteSize(), 64);
            b.fill(r, got);
            Conformance.assertBitIdentical("host", r, expected, got);
            try (OpenClBuffer buf = (OpenClBuffer) b.allocate(dtype, r.count())) {
                b.fill(r, buf);
                MemorySegment back = arena.allocate(r.byteSize(), 8);
                b.copyToHost(buf, 0, back);
                Conformance.assertBitIdentical("device buffer", r, expected, back);
            }
        }
    }

    /** A tile of a [2^17, 2^16 + 3] tensor whose rows start past 2^32. */
    @Test
    void tilePastTwoToThe32() {
        long cols = (1L << 16) + 3;
        FillRequest r = new FillRequest(Shape.of(1L << 17, cols), Layout.TORCH, InitSpec.normal(0, 1), DType.F32,
                9, 1, Region.tile((1L << 16) + 5, (1L << 16) + 9, cols - 70, cols));
        try (OpenClBackend b = OpenClTesting.backend(); Arena arena = Arena.ofConfined()) {
            MemorySegment got = arena.allocate(r.byteSize(), 64);
            b.fill(r, got);
            Conformance.assertBitIdentical("tile", r, Conformance.reference(r, arena), got);
        }
    }

    /**
     * With at most 3 work-items per launch, long rows are cut into many launches and tiles into
     * launches of a few rows; both formulations still give the reference bytes.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void launchesCutIntoManyPieces(DType dtype) {
        Shape shape = Shape.of(41, 203);
        try (Arena arena = Arena.ofConfined()) {
            for (int bpi : new int[] {1, 4}) {
                try (OpenClBackend b = new OpenClBackend(OpenClTesting.device(),
                        Tuning.DEFAULT.withMaxItemsPerLaunch(3).withBlocksPerItem(bpi))) {
                    for (Region region : new Region[] {Region.range(7, 8000), Region.tile(2, 40, 3, 9), Region.tile(1, 41, 1, 200)}) {
                        FillRequest r = new FillRequest(shape, Layout.TORCH, InitSpec.truncNormal(), dtype, 8, 9, region);
                        MemorySegment got = arena.allocate(r.byteSize(), 64);
                        b.fill(r, got);
                        Conformance.assertBitIdentical("max 3 work-items per launch, blocks per item " + bpi, r, Conformance.reference(r, arena), got);
                    }
                }
            }
        }
    }

    /**
     * With the allocation cap lowered to 64 KiB, a 300,001-element buffer is split into several cl_mem;
     * fills (whole, range, tile whose rows straddle pieces), host fills in 64 KiB chunks and copies that
     * cross piece boundaries all still give the reference bytes.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void tensorLargerThanOneAllocation(DType dtype) {
        Shape shape = Shape.of(1013, 297); // 300,861 elements
        try (OpenClBackend b = new OpenClBackend(OpenClTesting.device(), Tuning.DEFAULT.withMaxAllocBytes(64 << 10)); Arena arena = Arena.ofConfined()) {
            for (Region region : new Region[] {Region.whole(), Region.range(12345, 300001), Region.tile(3, 1000, 1, 296)}) {
                FillRequest r = new FillRequest(shape, Layout.TORCH, InitSpec.xavierNormal(), dtype, 5, 77, region);
                MemorySegment expected = Conformance.reference(r, arena);
                try (OpenClBuffer buf = (OpenClBuffer) b.allocate(dtype, r.count())) {
                    assertTrue(buf.pieceCount() > 2, "pieces: " + buf.pieceCount());
                    b.fill(r, buf);
                    MemorySegment back = arena.allocate(r.byteSize(), 8);
                    b.copyToHost(buf, 0, back);
                    Conformance.assertBitIdentical("split buffer", r, expected, back);
                    // a copy starting inside one piece and ending in another, into a heap segment
                    long from = buf.pieceElements() - 17, n = buf.pieceElements() + 40;
                    MemorySegment heap = MemorySegment.ofArray(new byte[(int) (n * dtype.bytes())]);
                    b.copyToHost(buf, from, heap);
                    assertEquals(-1, MemorySegment.mismatch(expected, from * dtype.bytes(), (from + n) * dtype.bytes(),
                            heap, 0, heap.byteSize()), "partial copy across pieces");
                }
                MemorySegment host = arena.allocate(r.byteSize(), 64);
                b.fill(r, host);
                Conformance.assertBitIdentical("host fill in chunks", r, expected, host);
            }
        }
    }
}

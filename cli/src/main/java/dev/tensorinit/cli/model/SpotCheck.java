package dev.tensorinit.cli.model;

import dev.tensorinit.FillRequest;
import dev.tensorinit.Region;
import dev.tensorinit.kernel.Reference;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * A shard whose size and header are right may still hold other data: a copy cut short into a preallocated file, an
 * interrupted {@code rsync --inplace}, a disk that lost writes. Reading it all back would cost as much as rewriting
 * it, so a rerun compares the first, middle and last element of every tensor with the reference's bytes (a few
 * Philox blocks and three small reads per tensor). A file that was zeroed or cut short past its header, anywhere
 * past any tensor's middle, fails this; damage between the samples does not, which --force is there for.
 */
final class SpotCheck {
    private SpotCheck() {}

    /** The first sampled element that differs, as "tensor NAME element I", or null when every sample matches. */
    static String firstDifference(Path file, ShardLayout layout) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long offset = layout.header().length;
            for (PlannedTensor t : layout.order()) {
                long n = t.spec().elements();
                int size = t.dtype().bytes();
                List<FillRequest> pieces = t.pieces();
                for (long g : n == 0 ? new long[0] : new long[] {0, n / 2, n - 1}) {
                    byte[] want = expected(t, pieces, g, size);
                    ByteBuffer got = ByteBuffer.allocate(size);
                    long at = offset + g * size;
                    while (got.hasRemaining()) {
                        if (ch.read(got, at + got.position()) < 0) return "tensor " + t.name() + " element " + g;
                    }
                    if (!Arrays.equals(want, got.array())) return "tensor " + t.name() + " element " + g;
                }
                offset += t.bytes();
            }
        }
        return null;
    }

    /** Element g of t as this run writes it: from the fill piece (range, or the zeroed pad row) that holds it. */
    private static byte[] expected(PlannedTensor t, List<FillRequest> pieces, long g, int size) {
        for (FillRequest piece : pieces) {
            if (piece.region() instanceof Region.Range r && (g < r.start() || g >= r.end())) continue;
            byte[] out = new byte[size];
            Reference.fillRun(piece.kernelArgs(), g, 1, MemorySegment.ofArray(out), 0);
            return out;
        }
        throw new IllegalStateException(t.name() + " has no fill piece for element " + g);
    }
}

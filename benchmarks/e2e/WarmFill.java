import dev.tensorinit.Dispatcher;
import dev.tensorinit.FillRequest;
import dev.tensorinit.Inits;
import dev.tensorinit.NativeMemory;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.spi.Backend;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Map;

/**
 * The end-to-end benchmark's compute limit: the same fill as `tensorinit fill --init normal` of N f32, in a warm JVM
 * into a warm buffer. The fill is done in pieces of 2^22 elements into one reused, already-touched 16 MiB buffer (as
 * the command's pipeline fills them), after warm-up until the vector kernel is compiled. Prints one line:
 * "warm_fill_seconds MEDIAN all=[...]".
 * Usage: java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp CLASSPATH WarmFill.java N [REPEATS]
 */
public class WarmFill {
    static final long PIECE = 1L << 22;

    public static void main(String[] args) {
        long n = Long.parseLong(args[0]);
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        FillRequest req = FillRequest.of(Shape.of(n), Inits.create("normal", Map.of()));
        try (Backend be = Dispatcher.standard().open("cpu"); Arena arena = Arena.ofShared()) {
            MemorySegment buf = NativeMemory.allocateUninitialized(arena, PIECE * 4, 2L << 20);
            buf.fill((byte) 0);
            // Warm-up: until a piece is as fast as the best of the last ten (the vector kernel is compiled), 4 s at least.
            long[] recent = new long[10];
            long warmEnd = System.nanoTime() + 4_000_000_000L;
            FillRequest warm = FillRequest.of(Shape.of(1L << 32), Inits.create("normal", Map.of()));
            for (int i = 0; ; i++) {
                long t = time(be, warm, (i % 1024) * PIECE, buf);   // 1024 pieces = the 2^32 elements of `warm`
                recent[i % recent.length] = t;
                if (System.nanoTime() > warmEnd && i >= recent.length && t <= 1.05 * Arrays.stream(recent).min().orElseThrow()) break;
                if (System.nanoTime() > warmEnd + 60_000_000_000L) break;
            }
            double[] s = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                for (long g = 0; g < n; g += PIECE) fill(be, req, g, Math.min(PIECE, n - g), buf);
                s[r] = (System.nanoTime() - t0) / 1e9;
            }
            double[] sorted = s.clone();
            Arrays.sort(sorted);
            System.out.println("warm_fill_seconds " + sorted[repeats / 2] + " all=" + Arrays.toString(s) + " backend=" + be.description());
        }
    }

    private static long time(Backend be, FillRequest req, long first, MemorySegment buf) {
        long t0 = System.nanoTime();
        fill(be, req, first, PIECE, buf);
        return System.nanoTime() - t0;
    }

    private static void fill(Backend be, FillRequest req, long first, long count, MemorySegment buf) {
        long end = Math.min(first + count, req.count());
        be.fill(req.withRegion(Region.range(first, end)), buf.asSlice(0, (end - first) * 4));
    }
}

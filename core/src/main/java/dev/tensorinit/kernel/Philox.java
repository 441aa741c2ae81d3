package dev.tensorinit.kernel;

/**
 * Philox4x32-10 (Salmon et al., Random123). Counter (c0, c1, c2, c3) = (block low, block high,
 * stream low, stream high); key (k0, k1) = (seed low, seed high). See docs/determinism.md.
 */
public final class Philox {
    public static final int M0 = 0xD2511F53;
    public static final int M1 = 0xCD9E8D57;
    public static final int W0 = 0x9E3779B9;
    public static final int W1 = 0xBB67AE85;
    public static final int ROUNDS = 10;

    private Philox() {}

    /** Writes the four output words of one block into {@code out[0..3]}. */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        block(c0, c1, c2, c3, k0, k1, out, 0);
    }

    /** Writes the four output words of one block into {@code out[at..at+3]}. */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out, int at) {
        for (int r = 0; r < ROUNDS; r++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c1 = (int) p1;
            c3 = (int) p0;
            c0 = n0;
            c2 = n2;
            // The key is bumped between rounds: round r uses key + r·W.
            k0 += W0;
            k1 += W1;
        }
        out[at] = c0;
        out[at + 1] = c1;
        out[at + 2] = c2;
        out[at + 3] = c3;
    }

    /** Block {@code blockIndex} of {@code (seed, stream)}. */
    public static void block(long seed, long stream, long blockIndex, int[] out) {
        block((int) blockIndex, (int) (blockIndex >>> 32), (int) stream, (int) (stream >>> 32),
                (int) seed, (int) (seed >>> 32), out);
    }
}

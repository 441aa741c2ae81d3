package dev.tensorinit.cpu;

import dev.tensorinit.Settings;
import jdk.incubator.vector.VectorShape;

/**
 * The Vector API width the CPU backend uses: the setting {@value Settings#VECTOR_BITS}, else the machine's
 * preferred shape. Touches only {@link VectorShape}, not the vector classes, so the backend can describe and
 * check its kernel without paying for the Vector API's set-up (species, shuffles and masks: 20-25 ms of a small
 * fill) until the vector kernel is really used. Loaded only when {@code jdk.incubator.vector} is present.
 */
final class VectorWidth {
    private VectorWidth() {}

    /** Fixed for the JVM once the vector kernel loads (its species are constants). */
    static VectorShape shape() {
        int bits = Settings.vectorBits();
        if (bits == 0) return VectorShape.preferredShape();
        VectorShape s;
        try {
            s = VectorShape.forBitSize(bits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Settings.VECTOR_BITS + " '" + bits + "' is not a vector size (128, 256 or 512)", e);
        }
        // forBitSize maps any multiple of 128 up to 2048 to the machine's widest shape: 1024 ran 512 bits wide, silently.
        if (s.vectorBitSize() != bits) {
            throw new IllegalArgumentException(Settings.VECTOR_BITS + " '" + bits + "' is wider than this machine's widest vectors ("
                    + s.vectorBitSize() + " bits)");
        }
        return s;
    }

    /** The kernel holds one Philox block per long lane and needs at least two. */
    static void check(VectorShape shape) {
        if (shape.vectorBitSize() / Long.SIZE < 2) {
            throw new IllegalStateException("vector shape " + shape + " holds fewer than 2 longs; set " + Settings.VECTOR_BITS + " to 128 or more");
        }
    }

    /**
     * A warning when a forced width is wider than this machine's vectors ({@code nativeBits}): VectorShape has every
     * size on every machine, and the Vector API runs one wider than the JIT's vectors (512 on an AVX2 machine) in Java,
     * far slower; the warm-up then stalls and the backend fills scalar. Empty when the width is native.
     */
    static java.util.Optional<String> emulationWarning(int bits, int nativeBits) {
        if (bits <= nativeBits) return java.util.Optional.empty();
        return java.util.Optional.of(Settings.VECTOR_BITS + " (or " + Settings.envName(Settings.VECTOR_BITS) + ") " + bits
                + " is wider than this machine's vectors (" + nativeBits
                + " bits): the Vector API runs it in Java, far slower, and the CPU backend fills with its scalar kernel instead;"
                + " unset it, or set " + nativeBits + " or less");
    }

    /** {@link #emulationWarning(int, int)} for the width in force on this machine. */
    static java.util.Optional<String> emulationWarning() {
        return emulationWarning(shape().vectorBitSize(), VectorShape.S_Max_BIT.vectorBitSize());
    }

    static String description(VectorShape shape) {
        return "Vector API " + shape.vectorBitSize() + "-bit (" + shape.vectorBitSize() / Long.SIZE + " Philox blocks per vector)";
    }

    /** The vector kernel's description for the shape in force; throws as the kernel would if it could not start. */
    static String checkedDescription() {
        VectorShape s = shape();
        check(s);
        return description(s);
    }
}

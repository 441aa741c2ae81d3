package dev.tensorinit.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The program text: tensorinit.cl with the shared header's text pasted in place of its marker line
 * (OpenCL #include paths are unreliable across drivers), and the build options for a device.
 */
final class KernelSource {
    static final String HEADER = "/dev/tensorinit/kernel/tensorinit_math.h";
    static final String ENTRY_POINTS = "/dev/tensorinit/opencl/tensorinit.cl";
    static final String MARKER = "@TENSORINIT_MATH_H@";

    private KernelSource() {}

    static String text() {
        String cl = resource(ENTRY_POINTS);
        if (!cl.contains(MARKER)) throw new IllegalStateException(ENTRY_POINTS + " lacks the marker " + MARKER);
        return cl.replace(MARKER, resource(HEADER));
    }

    /**
     * Contraction is off in the source (FP_CONTRACT OFF); divide and sqrt are correctly rounded only with
     * the flag, which the device must support. Never -cl-fast-relaxed-math or -cl-mad-enable.
     */
    static String options(ClDevice d, int blocksPerItem) {
        StringBuilder b = new StringBuilder();
        if (blocksPerItem != 1) b.append("-DTI_BPI=").append(blocksPerItem).append(' ');
        if (d.correctlyRoundedDivideSqrt()) b.append("-cl-fp32-correctly-rounded-divide-sqrt ");
        if (d.fp64()) b.append("-DTI_FP64=1 ");
        return b.toString().strip();
    }

    /**
     * Philox blocks per work-item for the f32 family: 4 on CPU devices, whose vectorizer then runs
     * four blocks in the lanes of one uint4 (2.3x faster on PoCL), else 1 (coalesced GPU stores).
     */
    static int blocksPerItem(ClDevice d) {
        return d.kind().equals("cpu") ? 4 : 1;
    }

    private static String resource(String path) {
        try (InputStream in = KernelSource.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("resource " + path + " is missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path, e);
        }
    }
}

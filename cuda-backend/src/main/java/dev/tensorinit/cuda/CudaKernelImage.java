package dev.tensorinit.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The committed kernel artifacts (built by cuda-backend/kernels.sh from tensorinit.cu) and the order
 * the loader tries them in:
 * <ol>
 *   <li>the fatbin: SASS for sm_80, sm_90, sm_100, sm_120 plus compute_75 PTX (ISA 9.0), needs an R580+ driver;</li>
 *   <li>the stand-alone compute_75 PTX as nvcc wrote it (ISA 9.0), in case a driver rejects the fatbin container;</li>
 *   <li>the same PTX with its {@code .version} lowered to {@value #COMPAT_PTX_VERSION}: the kernels use nothing
 *   newer (the build assembles it with ptxas for sm_75), so drivers older than R580 can JIT it.</li>
 * </ol>
 * PTX handed to cuModuleLoadData must end with a NUL byte; {@link #bytes()} guarantees it.
 */
record CudaKernelImage(String label, byte[] bytes) {

    static final String RESOURCE_DIR = "/dev/tensorinit/cuda/";
    static final String FATBIN = RESOURCE_DIR + "tensorinit.fatbin";
    static final String PTX = RESOURCE_DIR + "tensorinit.ptx";
    /** PTX ISA 7.0 = CUDA 11.0, JIT-compiled by R450 and newer drivers. Kept equal to COMPAT_ISA in kernels.sh. */
    static final String COMPAT_PTX_VERSION = "7.0";

    /** Every kernel entry point the backend launches. */
    static final List<String> ENTRY_POINTS = List.of("ti_fill_f32", "ti_fill_bf16", "ti_fill_f16", "ti_fill_f64",
            "ti_tile_f32", "ti_tile_bf16", "ti_tile_f16", "ti_tile_f64", "ti_curand_post_f32", "ti_curand_post_f64");

    private static final Pattern VERSION = Pattern.compile("(?m)^\\.version (\\d+)\\.(\\d+)$");

    /** The images in loading order. */
    static List<CudaKernelImage> candidates() {
        byte[] ptx = resource(PTX);
        String text = new String(ptx, StandardCharsets.US_ASCII);
        return List.of(new CudaKernelImage("fatbin (sm_80/sm_90/sm_100/sm_120 SASS + compute_75 PTX)", resource(FATBIN)),
                new CudaKernelImage("PTX compute_75 ISA " + ptxVersion(text), nulTerminated(text)),
                new CudaKernelImage("PTX compute_75 lowered to ISA " + COMPAT_PTX_VERSION, nulTerminated(lowered(text))));
    }

    /** The {@code .version} of a PTX text, e.g. "9.0". */
    static String ptxVersion(String ptx) {
        Matcher m = VERSION.matcher(ptx);
        if (!m.find()) throw new IllegalStateException("PTX has no .version line");
        return m.group(1) + "." + m.group(2);
    }

    /** The PTX with its .version set to {@value #COMPAT_PTX_VERSION}. */
    static String lowered(String ptx) {
        Matcher m = VERSION.matcher(ptx);
        if (!m.find()) throw new IllegalStateException("PTX has no .version line");
        return m.replaceFirst(".version " + COMPAT_PTX_VERSION);
    }

    static byte[] nulTerminated(String ptx) {
        byte[] b = ptx.getBytes(StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(b, b.length + 1); // the extra byte is the NUL the driver's parser stops at
        out[b.length] = 0;
        return out;
    }

    static byte[] resource(String name) {
        try (InputStream in = CudaKernelImage.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("kernel artifact " + name + " is missing from the tensorinit-cuda jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel artifact " + name, e);
        }
    }

    @Override public String toString() { return label + " (" + bytes.length + " bytes)"; }
}

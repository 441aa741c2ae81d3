package dev.tensorinit.opencl;

import dev.tensorinit.spi.JvmSignals;
import dev.tensorinit.spi.NativeLibraries;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;

/**
 * Looks for the OpenCL ICD loader before JOCL is touched: JOCL 2.0.5 opens the unversioned
 * {@code libOpenCL.so} (Debian/Ubuntu package ocl-icd-opencl-dev), and a missing library is best
 * reported here, plainly, rather than as a link error from inside JOCL.
 */
final class NativeOpenCl {
    private NativeOpenCl() {}

    /** Null when the library JOCL needs is present, else why not. */
    static String problem() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch");
        String none = "no OpenCL ICD loader: neither libOpenCL.so nor libOpenCL.so.1 was found (" + os + "/" + arch
                + "); install ocl-icd-libopencl1 and ocl-icd-opencl-dev plus a driver (e.g. pocl-opencl-icd)";
        // From files alone first: with neither name anywhere, no dlopen and so no signal snapshot before it, whose FFM
        // set-up cost 30-60 ms of every default run on a machine without OpenCL (a 64x64 fill's JVM lived 0.33 s).
        if (NativeLibraries.surelyAbsent("libOpenCL.so") != null && NativeLibraries.surelyAbsent("libOpenCL.so.1") != null) return none;
        JvmSignals.original();   // capture the JVM's signal handlers before any driver can load
        if (!os.contains("linux")) return null; // other systems name it differently; JOCL's own error will tell
        try {
            if (found("libOpenCL.so")) return null;
            if (found("libOpenCL.so.1")) {
                return "libOpenCL.so.1 is installed but JOCL 2.0.5 needs the unversioned libOpenCL.so (" + os + "/" + arch
                        + "): install ocl-icd-opencl-dev, or link libOpenCL.so to libOpenCL.so.1";
            }
            return none;
        } finally {
            JvmSignals.original().repair("the OpenCL loader check");   // (loading the ICD loader runs its initializers)
        }
    }

    @SuppressWarnings("restricted") // loading a library by name is what this check is for; needs --enable-native-access
    private static boolean found(String name) {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(name, arena);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

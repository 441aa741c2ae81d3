package dev.tensorinit.cuda;

import dev.tensorinit.spi.NativeLibraries;
import dev.tensorinit.spi.DeviceInfo;
import dev.tensorinit.spi.JvmSignals;
import dev.tensorinit.spi.Probe;
import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;
import jcuda.jcurand.JCurand;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;

/**
 * Finds out, once per JVM, whether CUDA can run: first the files the dynamic loader would search (for
 * libcuda.so.1), then the loader itself (libcuda.so.1, and libcurand.so.10 for the curand engine), and only
 * then JCuda. Never throws. The answers are computed lazily by holder classes and are immutable afterwards:
 * loading JCuda can only be tried once.
 */
public final class CudaProbe {
    private CudaProbe() {}

    /** The driver library JCuda's driver API links against. */
    public static final String LIBCUDA = "libcuda.so.1";
    /** The cuRAND library JCurand 11.8.0 links against (CUDA 11, 12 and 13 all ship it). */
    public static final String LIBCURAND = "libcurand.so.10";
    /** CUDA 13.0, i.e. an R580 driver: what nvcc 13's SASS and PTX ISA 9.0 need. */
    static final int CUDA_13 = 13000;
    /**
     * CUDA 11.0 (R450): the oldest driver the ISA 7.0 PTX fallback can load on, and the oldest whose entry points JCuda
     * 11.8 calls (cuDevicePrimaryCtxRelease is _v2 there): with an older one that call would end the JVM (a symbol
     * lookup error), not throw.
     */
    static final int MIN_DRIVER = 11000;
    /** Compute capability 7.5 (Turing), the oldest the kernels are built for (compute_75 PTX, SASS from sm_80). */
    static final int MIN_CC = 75;

    private static final class DriverHolder { static final Probe RESULT = probeDriver(); }
    private static final class CurandHolder { static final String MISSING = probeCurand(); }

    /** The driver probe: available with every device, or unavailable with the reason. */
    public static Probe driver() { return DriverHolder.RESULT; }

    /** Null when cuRAND (libcurand.so.10 and JCurand) loads, else why not. */
    public static String curandMissing() { return CurandHolder.MISSING; }

    /** The probe for a backend using {@code engine}: the driver probe, plus cuRAND for the curand engine. */
    public static Probe forEngine(CudaEngine engine) {
        Probe p = driver();
        if (engine != CudaEngine.CURAND || !p.isAvailable()) return p;
        String missing = curandMissing();
        return missing == null ? p : Probe.unavailable("engine curand: " + missing, null);
    }

    private static Probe probeDriver() {
        String absent = NativeLibraries.surelyAbsent(LIBCUDA);   // files only: no signal snapshot, no dlopen
        if (absent != null) return Probe.unavailable(LIBCUDA + " not found (no NVIDIA driver): " + absent, null);
        JvmSignals.original();   // capture the JVM's signal handlers before any driver can load
        try {
            return probeDriverLoaded();
        } finally {
            JvmSignals.original().repair("CUDA driver initialization");
        }
    }

    private static Probe probeDriverLoaded() {
        String missing = NativeLibraries.whyMissing(LIBCUDA);
        if (missing != null) return Probe.unavailable(LIBCUDA + " not found (no NVIDIA driver): " + missing, null);
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] n = new int[1];
            JCudaDriver.cuDeviceGetCount(n);
            if (n[0] == 0) return Probe.unavailable("the CUDA driver reports no devices", null);
            int[] version = new int[1];
            JCudaDriver.cuDriverGetVersion(version);
            String old = driverTooOld(version[0]);
            if (old != null) return Probe.unavailable(old, null);
            List<DeviceInfo> devices = new ArrayList<>();
            List<String> tooOld = new ArrayList<>();
            for (int i = 0; i < n[0]; i++) {
                devices.add(describe(i));
                String why = unusable(i);
                if (why != null) tooOld.add(why);
            }
            if (tooOld.size() == n[0]) return Probe.unavailable(String.join("; ", tooOld), null);
            String note = "driver API " + versionText(version[0])
                    + (version[0] < CUDA_13 ? " (older than CUDA 13: kernels load from the ISA-lowered PTX fallback)" : "");
            return Probe.available(devices, CudaBackendProvider.PRIORITY, note);
        } catch (LinkageError e) {
            return Probe.unavailable("JCuda's native driver library could not be loaded on " + System.getProperty("os.name")
                    + "/" + System.getProperty("os.arch") + " although " + LIBCUDA + " was found: " + e, e);
        } catch (CudaException e) {
            return Probe.unavailable("CUDA driver initialization failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            return Probe.unavailable("CUDA probe failed: " + e, e);
        }
    }

    static DeviceInfo describe(int ordinal) {
        CUdevice d = new CUdevice();
        JCudaDriver.cuDeviceGet(d, ordinal);
        byte[] name = new byte[256];
        JCudaDriver.cuDeviceGetName(name, name.length, d);
        int len = 0;
        while (len < name.length && name[len] != 0) len++;
        long[] mem = new long[1];
        JCudaDriver.cuDeviceTotalMem(mem, d);
        String details = String.format(Locale.ROOT, "device %d, compute capability %d.%d, %d SMs", ordinal,
                attribute(d, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR), attribute(d, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                attribute(d, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT));
        return new DeviceInfo(new String(name, 0, len, java.nio.charset.StandardCharsets.UTF_8), "gpu", mem[0], details);
    }

    /** Why device {@code ordinal} cannot run the kernels (its compute capability), or null. Needs the driver loaded. */
    static String unusable(int ordinal) {
        CUdevice d = new CUdevice();
        JCudaDriver.cuDeviceGet(d, ordinal);
        return tooOld(ordinal, attribute(d, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                attribute(d, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR));
    }

    static String tooOld(int ordinal, int major, int minor) {
        if (major * 10 + minor >= MIN_CC) return null;
        return "CUDA device " + ordinal + " has compute capability " + major + "." + minor
                + "; tensorinit's kernels need 7.5 or newer (Turing and later)";
    }

    static String driverTooOld(int version) {
        if (version >= MIN_DRIVER) return null;
        return "the NVIDIA driver supports CUDA " + versionText(version) + "; tensorinit needs CUDA 11.0 (R450) or newer, "
                + "and R580 (CUDA 13) for its prebuilt kernels";
    }

    static int attribute(CUdevice d, int attribute) {
        int[] v = new int[1];
        JCudaDriver.cuDeviceGetAttribute(v, attribute, d);
        return v[0];
    }

    static String versionText(int v) {
        return (v / 1000) + "." + (v % 1000) / 10 + " (" + v + ")";
    }

    private static String probeCurand() {
        String missing = NativeLibraries.whyMissing(LIBCURAND);
        if (missing != null) return LIBCURAND + " not found (install the CUDA toolkit's cuRAND library): " + missing;
        try {
            JCurand.initialize();
            JCurand.setExceptionsEnabled(true);
            return null;
        } catch (LinkageError e) {
            return "JCurand's native library could not be loaded on " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + " although " + LIBCURAND + " was found: " + e;
        }
    }
}

package dev.tensorinit.opencl;

import dev.tensorinit.Settings;
import dev.tensorinit.spi.JvmSignals;
import org.jocl.CL;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Enumerates OpenCL devices and picks one: GPU before accelerator before CPU (ties keep enumeration
 * order), unless the user names one by index "platform:device" or by a case-insensitive substring
 * of the device or platform name (BackendOptions.openclDevice: --opencl-device, or the setting
 * tensorinit.opencl.device / TENSORINIT_OPENCL_DEVICE). A selector that matches nothing fails with
 * the list of devices.
 */
final class DeviceSelection {
    private DeviceSelection() {}

    /**
     * One discovery at a time in the whole JVM: every Dispatcher.standard() has its own provider, and so its own
     * discovery. PoCL is not safe against concurrent first initialization: threads that enumerated at once in a fresh
     * JVM crashed it with SIGSEGV (strlen of a NULL device string inside clGetDeviceInfo, 4 threads: 6 runs of 6).
     */
    private static final Object DISCOVERY = new Object();

    /** Every usable device, best first. Throws OpenClException (e.g. CL_PLATFORM_NOT_FOUND_KHR) when enumeration fails. */
    static List<ClDevice> all() {
        JvmSignals.original();
        synchronized (DISCOVERY) {
            warnWithoutChaining();
            try {
                return enumerate();
            } finally {
                JvmSignals.original().repair("device discovery");
            }
        }
    }

    private static boolean warned;

    /**
     * Once per JVM, before a driver loads: without libjsig, a driver built on LLVM (PoCL) holds the JVM's signal
     * handlers during its start-up and kernel builds, seconds on a cold cache; a JVM with other busy threads then
     * crashes (SIGSEGV, no hs_err) or fails the build (QA: 5 of 5 runs with 4 busy threads). The handlers are put
     * back after each call (JvmSignals), which cannot cover that window. Called under DISCOVERY.
     */
    private static void warnWithoutChaining() {
        if (warned || JvmSignals.chainingActive()) return;
        warned = true;
        System.getLogger(DeviceSelection.class.getName()).log(System.Logger.Level.WARNING,
                "loading the OpenCL driver into a JVM without signal chaining: a multithreaded JVM can crash or fail the"
                + " kernel build while the driver holds the signal handlers; start it with LD_PRELOAD=$JAVA_HOME/lib/libjsig.so"
                + " (./tensorinit does)");
    }

    private static List<ClDevice> enumerate() {
        int[] n = new int[1];
        int err = CL.clGetPlatformIDs(0, null, n);
        if (err == CL.CL_PLATFORM_NOT_FOUND_KHR || (err == CL.CL_SUCCESS && n[0] == 0)) return List.of();
        Cl.check(err, "clGetPlatformIDs");
        cl_platform_id[] platforms = new cl_platform_id[n[0]];
        Cl.check(CL.clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs");
        List<ClDevice> out = new ArrayList<>();
        RuntimeException broken = null;
        for (int p = 0; p < platforms.length; p++) {
            try { // one broken driver must not hide the others
                int[] m = new int[1];
                err = CL.clGetDeviceIDs(platforms[p], CL.CL_DEVICE_TYPE_ALL, 0, null, m);
                if (err == CL.CL_DEVICE_NOT_FOUND || (err == CL.CL_SUCCESS && m[0] == 0)) continue;
                Cl.check(err, "clGetDeviceIDs(platform " + p + ")");
                cl_device_id[] devices = new cl_device_id[m[0]];
                Cl.check(CL.clGetDeviceIDs(platforms[p], CL.CL_DEVICE_TYPE_ALL, devices.length, devices, null), "clGetDeviceIDs");
                for (int d = 0; d < devices.length; d++) out.add(ClDevice.query(platforms[p], devices[d], p, d));
            } catch (OpenClException e) {
                if (broken == null) broken = e; else broken.addSuppressed(e);
            }
        }
        if (out.isEmpty() && broken != null) throw broken;
        out.sort(Comparator.comparingInt(ClDevice::kindRank));
        return out;
    }

    /** The device to use: the override's match, else the first usable one in preference order. */
    static ClDevice choose(List<ClDevice> devices, String override) {
        if (override == null) {
            for (ClDevice d : devices) if (d.available() && d.compilerAvailable()) return d;
            throw new IllegalStateException("no OpenCL device is available with a compiler: " + list(devices));
        }
        String o = override.strip().toLowerCase(Locale.ROOT);
        for (ClDevice d : devices) if (d.index().equals(o)) return usable(d, override);
        for (ClDevice d : devices) {
            if (d.name().toLowerCase(Locale.ROOT).contains(o) || d.platformName().toLowerCase(Locale.ROOT).contains(o)) {
                return usable(d, override);
            }
        }
        throw new IllegalArgumentException("OpenCL device '" + override + "' (--opencl-device, " + Settings.OPENCL_DEVICE + " or "
                + Settings.envName(Settings.OPENCL_DEVICE) + ") matches no device; expected platform:device or a name substring of: "
                + list(devices));
    }

    private static ClDevice usable(ClDevice d, String override) {
        if (!d.available() || !d.compilerAvailable()) {
            throw new IllegalArgumentException("OpenCL device '" + override + "' is " + d.label() + ", which is "
                    + (d.available() ? "without an OpenCL C compiler" : "not available"));
        }
        return d;
    }

    static String list(List<ClDevice> devices) {
        if (devices.isEmpty()) return "(none)";
        List<String> s = new ArrayList<>();
        for (ClDevice d : devices) s.add(d.label() + " " + d.kind());
        return String.join("; ", s);
    }
}

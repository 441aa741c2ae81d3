package dev.tensorinit.opencl;

import dev.tensorinit.Settings;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendOptions;
import dev.tensorinit.spi.BackendProvider;
import dev.tensorinit.spi.BackendUnavailableException;
import dev.tensorinit.spi.DeviceInfo;
import dev.tensorinit.spi.JvmSignals;
import dev.tensorinit.spi.Probe;

import java.util.ArrayList;
import java.util.List;

/**
 * The OpenCL backend's entry point. Ranks below CUDA (300) and, for a GPU or accelerator, above the
 * CPU backend (100); when the chosen OpenCL device is itself a CPU it ranks below the CPU backend
 * (see {@link #CPU_DEVICE_PRIORITY}). The probe checks for libOpenCL before touching JOCL, catches
 * a failing native load once and caches its answer.
 */
public final class OpenClBackendProvider implements BackendProvider {
    public static final int PRIORITY = 200;
    /**
     * A CPU OpenCL device (e.g. PoCL) runs on the same cores as the CPU backend and is slower than its
     * vector kernel (numbers in opencl-backend/README.md), so it is used only when asked for.
     */
    public static final int CPU_DEVICE_PRIORITY = 50;

    /** What discovery found, once: the devices, or why there are none. */
    private record Discovery(List<ClDevice> devices, Probe.Unavailable failure) {}

    private Discovery discovery;
    /** {@link IcdVendors#cpuOnlyPocl()}, read once: the ceiling and the probe's note both ask. */
    private java.util.Optional<String> cpuOnlyPocl;

    @Override public String name() { return "opencl"; }

    @Override public int priority() { return PRIORITY; }

    /**
     * A CPU device's rank when the only OpenCL driver here is PoCL with CPU devices ({@link IcdVendors}): the
     * automatic choice then never loads PoCL, which cannot beat the CPU backend. A device named in the options
     * is always probed.
     */
    @Override public int rankCeiling(BackendOptions options) {
        if (options.openclDevice() != null) return PRIORITY;
        return cpuOnlyPocl().isPresent() ? CPU_DEVICE_PRIORITY : PRIORITY;
    }

    private synchronized java.util.Optional<String> cpuOnlyPocl() {
        if (cpuOnlyPocl == null) cpuOnlyPocl = IcdVendors.cpuOnlyPocl();
        return cpuOnlyPocl;
    }

    @Override public Probe probe() { return Settings.probeWithSettings("opencl", this::probe); }

    /** Finds the devices once, then picks the one the options name (or the best one). */
    @Override public Probe probe(BackendOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        Discovery found = discovered();
        if (found.failure() != null) return found.failure();
        List<ClDevice> all = found.devices();
        ClDevice d;
        try {
            d = DeviceSelection.choose(all, options.openclDevice());
        } catch (RuntimeException e) {
            return Probe.unavailable(e.getMessage(), e);
        }
        List<DeviceInfo> infos = new ArrayList<>();
        infos.add(d.info());
        boolean cpu = d.kind().equals("cpu") || d.kind().equals("other");
        String note = "using " + d.label() + (all.size() > 1 ? " (" + all.size() + " devices; choose with --opencl-device, -D"
                + Settings.OPENCL_DEVICE + " or " + Settings.envName(Settings.OPENCL_DEVICE) + ")" : "")
                + (cpu ? "; a CPU OpenCL device ranks below the cpu backend, whose vector kernel runs on the same cores"
                        + " faster (PoCL measured 0.6x its uniform and 0.5x its normal f32 rate in one run; see the opencl-backend README)" : "")
                + (d.correctlyRoundedDivideSqrt() ? "" : "; WARNING: no correctly rounded f32 divide/sqrt, normals may differ from the reference")
                + (cpu ? cpuOnlyPocl().map(why -> "; auto leaves it unloaded while the cpu backend is available: " + why).orElse("") : "");
        return Probe.available(infos, cpu ? CPU_DEVICE_PRIORITY : PRIORITY, note);
    }

    /** The devices, or why there are none; computed once (loading the drivers cannot be undone anyway). */
    private synchronized Discovery discovered() {
        if (discovery == null) {
            try {
                discovery = discover();
            } catch (LinkageError e) {
                discovery = new Discovery(List.of(), new Probe.Unavailable("JOCL's native library could not be loaded ("
                        + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "): " + e, e));
            } catch (Throwable t) { // probe() never throws
                discovery = new Discovery(List.of(), new Probe.Unavailable("OpenCL discovery failed: " + t, t));
            }
        }
        return discovery;
    }

    private static Discovery discover() {
        String problem = NativeOpenCl.problem();
        if (problem != null) return new Discovery(List.of(), new Probe.Unavailable(problem, null));
        List<ClDevice> all;
        try {
            all = DeviceSelection.all();   // loads the drivers: they may take the JVM's signal handlers
        } finally {
            JvmSignals.original().repair("device discovery");
        }
        if (all.isEmpty()) {
            return new Discovery(List.of(), new Probe.Unavailable("no OpenCL platform or device: the ICD loader found no driver "
                    + "(see /etc/OpenCL/vendors; on Debian/Ubuntu install e.g. pocl-opencl-icd)", null));
        }
        return new Discovery(all, null);
    }

    @Override public Backend create() { return create(Settings.backendOptionsFor("opencl")); }

    @Override public Backend create(BackendOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        Probe p = probe(options);
        if (p instanceof Probe.Unavailable u) {
            throw new BackendUnavailableException("opencl backend unavailable: " + u.reason(), u.cause());
        }
        return new OpenClBackend(DeviceSelection.choose(discovered().devices(), options.openclDevice()), Tuning.DEFAULT);
    }
}

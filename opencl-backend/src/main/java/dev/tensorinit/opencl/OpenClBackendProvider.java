package dev.tensorinit.opencl;

import dev.tensorinit.spi.JvmSignals;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendProvider;
import dev.tensorinit.spi.BackendUnavailableException;
import dev.tensorinit.spi.DeviceInfo;
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

    private Probe probe;
    private ClDevice chosen;

    @Override public String name() { return "opencl"; }

    @Override public int priority() { return PRIORITY; }

    @Override public synchronized Probe probe() {
        if (probe == null) {
            try {
                probe = discover();
            } catch (LinkageError e) {
                probe = Probe.unavailable("JOCL's native library could not be loaded (" + System.getProperty("os.name")
                        + "/" + System.getProperty("os.arch") + "): " + e, e);
            } catch (Throwable t) { // probe() never throws
                probe = Probe.unavailable("OpenCL discovery failed: " + t, t);
            } finally {
                JvmSignals.original().repair("device discovery");
            }
        }
        return probe;
    }

    private Probe discover() {
        String problem = NativeOpenCl.problem();
        if (problem != null) return Probe.unavailable(problem, null);
        List<ClDevice> devices = DeviceSelection.all();   // loads the drivers: they may take the JVM's signal handlers
        if (devices.isEmpty()) {
            return Probe.unavailable("no OpenCL platform or device: the ICD loader found no driver "
                    + "(see /etc/OpenCL/vendors; on Debian/Ubuntu install e.g. pocl-opencl-icd)", null);
        }
        ClDevice d;
        try {
            d = DeviceSelection.choose(devices, DeviceSelection.override());
        } catch (RuntimeException e) {
            return Probe.unavailable(e.getMessage(), e);
        }
        chosen = d;
        List<DeviceInfo> infos = new ArrayList<>();
        infos.add(d.info());
        boolean cpu = d.kind().equals("cpu") || d.kind().equals("other");
        String note = "using " + d.label() + (devices.size() > 1 ? " (" + devices.size() + " devices; choose with -D"
                + DeviceSelection.PROPERTY + " or " + DeviceSelection.ENV + ")" : "")
                + (cpu ? "; a CPU OpenCL device ranks below the cpu backend, whose vector kernel runs on the same cores"
                        + " faster (PoCL measured 0.6x its uniform and 0.5x its normal f32 rate in one run; see the opencl-backend README)" : "")
                + (d.correctlyRoundedDivideSqrt() ? "" : "; WARNING: no correctly rounded f32 divide/sqrt, normals may differ from the reference");
        return Probe.available(infos, cpu ? CPU_DEVICE_PRIORITY : PRIORITY, note);
    }

    @Override public Backend create() {
        Probe p = probe();
        if (p instanceof Probe.Unavailable u) {
            throw new BackendUnavailableException("opencl backend unavailable: " + u.reason(), u.cause());
        }
        ClDevice d;
        synchronized (this) { d = chosen; }
        return new OpenClBackend(d, Tuning.DEFAULT);
    }
}

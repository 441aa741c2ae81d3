package dev.tensorinit;

import dev.tensorinit.spi.BackendOptions;
import dev.tensorinit.spi.Probe;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The one place where tensorinit reads system properties and environment variables. A property wins
 * over its environment variable; a blank value counts as unset. Backends never read either: they get
 * typed {@link BackendOptions}, which {@link #backendOptions()} builds from these settings.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>property</th><th>environment</th><th>meaning</th></tr>
 *   <tr><td>tensorinit.backend</td><td>TENSORINIT_BACKEND</td><td>backend name, or auto</td></tr>
 *   <tr><td>tensorinit.cpu.threads</td><td>TENSORINIT_CPU_THREADS</td><td>CPU backend worker threads</td></tr>
 *   <tr><td>tensorinit.opencl.device</td><td>TENSORINIT_OPENCL_DEVICE</td><td>OpenCL device: platform:device or a name substring</td></tr>
 *   <tr><td>tensorinit.cuda.device</td><td>TENSORINIT_CUDA_DEVICE</td><td>CUDA device ordinal</td></tr>
 *   <tr><td>tensorinit.cuda.engine</td><td>TENSORINIT_CUDA_ENGINE</td><td>philox or curand</td></tr>
 *   <tr><td>tensorinit.cpu.vectorBits</td><td>TENSORINIT_CPU_VECTOR_BITS</td><td>Vector API width (128, 256, 512), fixed per JVM at first use</td></tr>
 *   <tr><td>tensorinit.cuda.kernel</td><td>TENSORINIT_CUDA_KERNEL</td><td>philox kernel variant (tuning, same bits)</td></tr>
 *   <tr><td>tensorinit.cuda.grid</td><td>TENSORINIT_CUDA_GRID</td><td>capped or resident grid (tuning, same bits)</td></tr>
 *   <tr><td>tensorinit.bufferMemory</td><td>TENSORINIT_BUFFER_MEMORY</td><td>the command's streaming buffers in all (default of --buffer-memory)</td></tr>
 *   <tr><td>tensorinit.writeBehind</td><td>TENSORINIT_WRITE_BEHIND</td><td>the command's write-behind window: WINDOW_MIB:LAG or off</td></tr>
 *   <tr><td>tensorinit.directIo</td><td>TENSORINIT_DIRECT_IO</td><td>off: the command writes big files through the page cache, as small ones</td></tr>
 *   <tr><td>tensorinit.signals.repair</td><td>-</td><td>false turns off the signal-handler repair (diagnosis only)</td></tr>
 * </table>
 */
public final class Settings {
    private Settings() {}

    public static final String BACKEND = "tensorinit.backend";
    public static final String CPU_THREADS = "tensorinit.cpu.threads";
    public static final String OPENCL_DEVICE = "tensorinit.opencl.device";
    public static final String CUDA_DEVICE = "tensorinit.cuda.device";
    public static final String CUDA_ENGINE = "tensorinit.cuda.engine";
    public static final String VECTOR_BITS = "tensorinit.cpu.vectorBits";
    /** CUDA tuning knobs for benchmarks (same bits): the philox kernel variant and the grid sizing. */
    public static final String CUDA_KERNEL = "tensorinit.cuda.kernel";
    public static final String CUDA_GRID = "tensorinit.cuda.grid";
    public static final String SIGNAL_REPAIR = "tensorinit.signals.repair";
    /** The command's streaming buffers in all (the default of --buffer-memory), e.g. 64M. */
    public static final String BUFFER_MEMORY = "tensorinit.bufferMemory";
    /** The command's write-behind: WINDOW_MIB:LAG, or off (a measurement knob). */
    public static final String WRITE_BEHIND = "tensorinit.writeBehind";
    /** The command's direct (O_DIRECT) writes of big files: on (default) or off (a measurement knob). */
    public static final String DIRECT_IO = "tensorinit.directIo";

    /** Each property's environment variable. */
    private static final Map<String, String> ENV = Map.ofEntries(
            Map.entry(BACKEND, "TENSORINIT_BACKEND"),
            Map.entry(CPU_THREADS, "TENSORINIT_CPU_THREADS"),
            Map.entry(OPENCL_DEVICE, "TENSORINIT_OPENCL_DEVICE"),
            Map.entry(CUDA_DEVICE, "TENSORINIT_CUDA_DEVICE"),
            Map.entry(CUDA_ENGINE, "TENSORINIT_CUDA_ENGINE"),
            Map.entry(VECTOR_BITS, "TENSORINIT_CPU_VECTOR_BITS"),
            Map.entry(CUDA_KERNEL, "TENSORINIT_CUDA_KERNEL"),
            Map.entry(CUDA_GRID, "TENSORINIT_CUDA_GRID"),
            Map.entry(BUFFER_MEMORY, "TENSORINIT_BUFFER_MEMORY"),
            Map.entry(WRITE_BEHIND, "TENSORINIT_WRITE_BEHIND"),
            Map.entry(DIRECT_IO, "TENSORINIT_DIRECT_IO"));

    /** The environment variable that goes with a property, or null. */
    public static String envName(String property) {
        return ENV.get(property);
    }

    /** The property's value, else its environment variable's, else null (blank is null). */
    public static String get(String property) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            String env = ENV.get(property);
            v = env == null ? null : System.getenv(env);
        }
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** The backend asked for (null for none or auto). */
    public static String backend() {
        String b = get(BACKEND);
        return b == null || b.toLowerCase(Locale.ROOT).equals("auto") ? null : b;
    }

    /**
     * Backend options read from the settings, and the settings that could not be read: their messages (each naming
     * the setting and its value) by the backend they configure ("cpu", "opencl", "cuda").
     */
    public record BackendSettings(BackendOptions options, java.util.Map<String, String> malformed) {
        public BackendSettings {
            Objects.requireNonNull(options, "options");
            malformed = java.util.Map.copyOf(malformed);
        }
    }

    /**
     * The settings of every field that {@code explicit} leaves unset (an option given explicitly makes its setting
     * irrelevant, so a malformed one is not even read). A malformed setting is left unset and reported under its
     * backend, so that it disables only that backend: a bad TENSORINIT_CUDA_DEVICE must not stop a CPU fill.
     * {@code tensorinit.cpu.threads} 0 means every processor, as unset.
     */
    public static BackendSettings readBackendOptions(BackendOptions explicit) {
        Objects.requireNonNull(explicit, "explicit");
        BackendOptions o = BackendOptions.DEFAULTS;
        java.util.Map<String, String> bad = new java.util.LinkedHashMap<>();
        String v;
        if (explicit.threads() == 0 && (v = get(CPU_THREADS)) != null) {
            try {
                int n = integer(CPU_THREADS, v);
                if (n != 0) o = o.withThreads(n);
            } catch (IllegalArgumentException e) {
                bad.put("cpu", named(CPU_THREADS, v, e));
            }
        }
        if (explicit.openclDevice() == null && (v = get(OPENCL_DEVICE)) != null) o = o.withOpenclDevice(v);  // any text selects
        if (explicit.cudaDevice() < 0 && (v = get(CUDA_DEVICE)) != null) {
            try {
                o = o.withCudaDevice(integer(CUDA_DEVICE, v));
            } catch (IllegalArgumentException e) {
                bad.put("cuda", named(CUDA_DEVICE, v, e));
            }
        }
        if (explicit.cudaEngine() == null && (v = get(CUDA_ENGINE)) != null) {
            try {
                o = o.withCudaEngine(v);
            } catch (IllegalArgumentException e) {
                bad.merge("cuda", named(CUDA_ENGINE, v, e), (a, b) -> a + "; " + b);
            }
        }
        return new BackendSettings(o, bad);
    }

    /** Backend options from the settings; IllegalArgumentException naming the setting when one is malformed. */
    public static BackendOptions backendOptions() {
        BackendSettings s = readBackendOptions(BackendOptions.DEFAULTS);
        if (!s.malformed().isEmpty()) throw new IllegalArgumentException(String.join("; ", s.malformed().values()));
        return s.options();
    }

    private static String named(String setting, String value, IllegalArgumentException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        return m.contains(setting) ? m : setting + " (or " + ENV.get(setting) + ") '" + value + "': " + m;
    }

    /**
     * The options for one backend's no-argument probe or create: the settings', where a malformed setting of another
     * backend does not matter (a bad TENSORINIT_CUDA_DEVICE must not stop the CPU provider's create()). Throws
     * {@link dev.tensorinit.spi.BackendUnavailableException}, naming the setting, when one of {@code backend}'s own is
     * malformed.
     */
    public static BackendOptions backendOptionsFor(String backend) {
        BackendSettings s = readBackendOptions(BackendOptions.DEFAULTS);
        String bad = s.malformed().get(backend);
        if (bad != null) throw new dev.tensorinit.spi.BackendUnavailableException(backend + " backend: " + bad, null);
        return s.options();
    }

    /**
     * A provider's probe with the settings' options, for its no-argument {@code probe()}: a malformed setting of
     * {@code backend} makes it unavailable with the reason, since a probe never throws; another backend's does not.
     */
    public static Probe probeWithSettings(String backend, java.util.function.Function<BackendOptions, Probe> probe) {
        BackendSettings s = readBackendOptions(BackendOptions.DEFAULTS);
        String bad = s.malformed().get(backend);
        return bad != null ? Probe.unavailable(bad, null) : probe.apply(s.options());
    }

    /** The Vector API width asked for, 0 for the platform's preferred one. */
    public static int vectorBits() {
        String v = get(VECTOR_BITS);
        return v == null ? 0 : integer(VECTOR_BITS, v);
    }

    /** False only when the signal-handler repair was switched off for diagnosis. */
    public static boolean signalRepair() {
        return !"false".equalsIgnoreCase(System.getProperty(SIGNAL_REPAIR));
    }

    private static int integer(String property, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " (or " + ENV.get(property) + ") '" + v + "' is not an integer", e);
        }
    }
}

package dev.tensorinit;

import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendOptions;
import dev.tensorinit.spi.BackendProvider;
import dev.tensorinit.spi.BackendStatus;
import dev.tensorinit.spi.BackendUnavailableException;
import dev.tensorinit.spi.Probe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Picks a backend: the highest-ranked available one, unless the user forces one by name (the setting
 * {@value Settings#BACKEND} / TENSORINIT_BACKEND, "auto" meaning no override). A forced backend that
 * is unknown or unavailable fails loudly with the known names and its reason; nothing falls back
 * silently. Auto's choice that passes its probe but fails to start gives way to the next available one,
 * and says so ({@link #create}). Probes and backends get this dispatcher's {@link BackendOptions} (from the settings, for
 * {@link #standard()}), or options given to {@link #open(String, BackendOptions)}, which win field by
 * field.
 */
public final class Dispatcher {
    public static final String PROPERTY = Settings.BACKEND;
    public static final String ENV = "TENSORINIT_BACKEND";

    private final List<BackendProvider> providers;
    private final List<String> loadErrors;
    private final String override;
    private final BackendOptions options;
    /** Settings that could not be read, by the backend they configure: that backend is unavailable, with the reason. */
    private final java.util.Map<String, String> badSettings;
    /** Whether unset options come from the settings (standard()) rather than defaults. */
    private final boolean fromSettings;

    public Dispatcher(List<BackendProvider> providers, String override) {
        this(providers, List.of(), override, BackendOptions.DEFAULTS, java.util.Map.of(), false);
    }

    private Dispatcher(List<BackendProvider> providers, List<String> loadErrors, String override, BackendOptions options,
                       java.util.Map<String, String> badSettings, boolean fromSettings) {
        this.providers = List.copyOf(Objects.requireNonNull(providers, "providers"));
        this.loadErrors = List.copyOf(loadErrors);
        this.override = override == null || override.isBlank() ? null : override.strip().toLowerCase(Locale.ROOT);
        this.options = Objects.requireNonNull(options, "options");
        this.badSettings = badSettings;
        this.fromSettings = fromSettings;
    }

    /**
     * The same providers and override, probing and creating with {@code options} (unset fields from this dispatcher's).
     * For a dispatcher from the settings, a setting whose field {@code options} sets is not read at all.
     */
    public Dispatcher withOptions(BackendOptions options) {
        Objects.requireNonNull(options, "options");
        if (!fromSettings) return new Dispatcher(providers, loadErrors, override, options.orElse(this.options), badSettings, false);
        Settings.BackendSettings s = Settings.readBackendOptions(options);
        return new Dispatcher(providers, loadErrors, override, options.orElse(s.options()), s.malformed(), true);
    }

    /** The options probes and backends get. */
    public BackendOptions options() { return options; }

    /** Providers from the ServiceLoader; the override and the options from the settings ({@link Settings}). */
    public static Dispatcher standard() {
        List<BackendProvider> found = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class).iterator();
        while (true) {
            try {
                if (!it.hasNext()) break;
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                errors.add(e.getMessage());
            }
        }
        Settings.BackendSettings settings = Settings.readBackendOptions(BackendOptions.DEFAULTS);
        return new Dispatcher(found, errors, Settings.backend(), settings.options(), settings.malformed(), true);
    }

    /** The override in force, or null. */
    public String override() { return override == null || override.equals("auto") ? null : override; }

    /** Every provider with its probe result, best first. Probes never throw; one that does is reported. */
    public List<BackendStatus> report() {
        List<BackendStatus> out = new ArrayList<>();
        for (BackendProvider p : providers) out.add(status(p));
        return ranked(out);
    }

    /** Available first, then by rank, highest first; ties keep the providers' order. */
    private static List<BackendStatus> ranked(List<BackendStatus> statuses) {
        statuses.sort(Comparator.comparing((BackendStatus s) -> !s.probe().isAvailable())
                .thenComparing(Comparator.comparingInt(BackendStatus::rank).reversed()));
        return statuses;
    }

    /** The probed ones, ordered as {@link #report()} orders them; a provider whose ceiling is below an available rank is left out. */
    private List<BackendStatus> probeUpToTheBest() {
        return probeUpToTheBest(java.util.Set.of());
    }

    /** As {@link #probeUpToTheBest()}, leaving out (unprobed) the providers named in {@code skip}. */
    private List<BackendStatus> probeUpToTheBest(java.util.Set<String> skip) {
        java.util.Map<BackendProvider, Integer> ceilings = new java.util.IdentityHashMap<>();
        List<BackendProvider> order = new ArrayList<>();
        for (BackendProvider p : providers) {
            if (skip.contains(p.name())) continue;
            ceilings.put(p, ceiling(p, options));
            order.add(p);
        }
        order.sort(Comparator.comparingInt((BackendProvider p) -> ceilings.get(p)).reversed());
        java.util.Map<BackendProvider, BackendStatus> probed = new java.util.IdentityHashMap<>();
        int best = Integer.MIN_VALUE;
        for (BackendProvider p : order) {
            if (ceilings.get(p) < best) continue;
            BackendStatus s = status(p);
            probed.put(p, s);
            if (s.probe().isAvailable()) best = Math.max(best, s.rank());
        }
        List<BackendStatus> out = new ArrayList<>();
        for (BackendProvider p : providers) if (probed.containsKey(p)) out.add(probed.get(p));
        return ranked(out);
    }

    private static int ceiling(BackendProvider p, BackendOptions options) {
        try {
            return p.rankCeiling(options);
        } catch (Throwable t) { // like a probe, it must not take the dispatcher down: probe it
            return Integer.MAX_VALUE;
        }
    }

    private BackendStatus status(BackendProvider p) {
        String bad = badSettings.get(p.name());
        if (bad != null) return new BackendStatus(p.name(), p.priority(), Probe.unavailable(bad, null), p);   // not probed
        Probe probe;
        try {
            probe = Objects.requireNonNull(p.probe(options), "probe() returned null");
        } catch (Throwable t) { // a probe must not take the dispatcher down with it
            probe = Probe.unavailable("probe failed: " + t, t);
        }
        return new BackendStatus(p.name(), p.priority(), probe, p);
    }

    /**
     * Why backend {@code name} is not {@code chosen}, for a note to a user who configured it (a device flag): its
     * probe's reason when auto could have probed it (its rank ceiling is not below the choice's rank, so it was
     * probed already and asking again loads nothing new), else that the choice outranks it (it stays unprobed: its
     * native libraries are not loaded for a note). Null for an unknown name or the chosen backend itself.
     */
    public String whyNotChosen(String name, BackendStatus chosen) {
        Objects.requireNonNull(chosen, "chosen");
        if (name == null || name.equals(chosen.name())) return null;
        BackendProvider p = provider(name);
        if (p == null) return null;
        if (ceiling(p, options) < chosen.rank()) return chosen.name() + " ranks above it (" + chosen.rank() + ")";
        return switch (status(p).probe()) {
            case Probe.Unavailable u -> "unavailable: " + u.reason();
            case Probe.Available a -> chosen.name() + " ranks above it (" + chosen.rank() + " against " + a.priority() + ")";
        };
    }

    /** The provider named {@code name} (lower case, as providers name themselves), or null. */
    private BackendProvider provider(String name) {
        for (BackendProvider p : providers) if (p.name().equals(name)) return p;
        return null;
    }

    /** The backend that {@link #open()} would create: forced, or the best available. */
    public BackendStatus choose() {
        String forced = override();
        try {
            return choose(forced);
        } catch (IllegalArgumentException e) {   // an unknown name: say where it came from, the user may have typed auto
            if (forced == null) throw e;
            throw new IllegalArgumentException(Settings.BACKEND + " (or " + ENV + ") '" + forced + "': " + e.getMessage(), e);
        }
    }

    /**
     * The settings that could not be read, by the backend they configure, each message naming the setting: those
     * backends are unavailable, and a command says so, since auto then quietly takes the next one.
     */
    public java.util.Map<String, String> settingProblems() { return badSettings; }

    /**
     * {@code name} null or "auto" picks the best available. It probes the backends from the highest
     * {@link BackendProvider#rankCeiling rank ceiling} down and skips, unprobed, those whose ceiling is below an
     * available one's rank (on a machine whose only OpenCL driver is PoCL on the CPU, auto loads no OpenCL).
     * A backend named explicitly is the only one probed. Either way no native library is loaded that could not
     * be picked: an OpenCL driver loaded into the JVM can take its signal handlers (see
     * {@link dev.tensorinit.spi.JvmSignals}).
     */
    public BackendStatus choose(String name) {
        String n = name == null ? null : name.strip().toLowerCase(Locale.ROOT);
        if (n == null || n.isEmpty() || n.equals("auto")) {
            List<BackendStatus> probed = probeUpToTheBest();
            for (BackendStatus s : probed) if (s.probe().isAvailable()) return s;
            // One line: a command prints an error's first line only.
            throw new BackendUnavailableException("no backend is available: "
                    + String.join("; ", describe(probed).lines().map(String::strip).toList()), firstCause(probed));
        }
        BackendProvider p = provider(n);
        if (p != null) {
            BackendStatus s = status(p);
            if (s.probe() instanceof Probe.Unavailable u) {
                List<String> others = providers.stream().map(BackendProvider::name).filter(o -> !o.equals(n)).toList();
                throw new BackendUnavailableException("backend '" + n + "' was asked for but is unavailable: "
                        + u.reason() + (others.isEmpty() ? "" : "\nother backends: " + String.join(", ", others)
                        + " (choose one with --backend, or auto; `tensorinit backends` probes them all)"), u.cause());
            }
            return s;
        }
        throw new IllegalArgumentException("unknown backend '" + name + "' (known: auto, "
                + String.join(", ", providers.stream().map(BackendProvider::name).toList()) + ")"
                + (loadErrors.isEmpty() ? "" : "; a provider failed to load: " + String.join("; ", loadErrors)));
    }

    /** The forced backend, or auto's (falling back as {@link #create} says, with a logged warning for each that failed). */
    public Backend open() {
        boolean auto = override() == null;
        if (auto) warnSettingProblems();
        return create(choose(), auto, Dispatcher::warn);
    }

    public Backend open(String name) {
        if (isAuto(name)) warnSettingProblems();
        return create(choose(name), isAuto(name), Dispatcher::warn);
    }

    /** {@code name} null or "auto" picks the best available; options (over this dispatcher's) go to the probes and the chosen backend. */
    public Backend open(String name, BackendOptions options) {
        return withOptions(options).open(name);
    }

    /**
     * For auto: one warning per backend that a malformed setting makes unavailable, else auto quietly takes the next one
     * (a bad tensorinit.cpu.threads opened OpenCL, loading PoCL, with nothing logged). The CLI prints its own notes.
     */
    private void warnSettingProblems() {
        for (var e : badSettings.entrySet()) warn("the " + e.getKey() + " backend is unavailable: " + e.getValue());
    }

    /** Whether {@code name} asks for auto's choice: null, blank or "auto" in any case. */
    public static boolean isAuto(String name) {
        return name == null || name.isBlank() || name.strip().equalsIgnoreCase("auto");
    }

    /**
     * Creates the backend {@code chosen} names (from {@link #choose}). When auto chose it ({@code auto}) and creating it
     * fails although its probe passed (a GPU that gives no context: an exclusive-process device in use, a driver that
     * refuses the kernels), the next available backend in rank order is created instead, and {@code skipped} gets one
     * line naming the one that failed and why. A backend asked for by name never falls back: its failure is thrown.
     */
    public Backend create(BackendStatus chosen, boolean auto, java.util.function.Consumer<String> skipped) {
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(skipped, "skipped");
        if (!auto) return created(chosen, chosen.provider().create(options));
        List<String> failures = new ArrayList<>();
        Throwable first = null;
        java.util.Set<String> tried = new java.util.HashSet<>();
        BackendStatus s = chosen;
        while (s != null) {
            tried.add(s.name());
            try {
                return created(s, s.provider().create(options));
            } catch (RuntimeException | LinkageError e) {   // LinkageError: a native library that loads only at creation
                String line = "the " + s.name() + " backend was available but could not start (" + firstLine(e) + ")";
                failures.add(line);
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
            // The next one, chosen as auto chooses (from the highest rank ceiling down, the failed ones left out): a
            // backend that cannot outrank one already found is not probed, so loads no native library (report()
            // probed every provider again, the failed ones included, and loaded PoCL ahead of a fallback to cpu).
            s = probeUpToTheBest(tried).stream().filter(x -> x.probe().isAvailable()).findFirst().orElse(null);
            if (s != null) skipped.accept(failures.getLast() + "; using " + s.name());
        }
        // One line: a command prints an error's first line only.
        throw new BackendUnavailableException("no available backend could start: " + String.join("; ", failures), first);
    }

    /** A provider's create() must return a backend: null was handed on to the caller. */
    private static Backend created(BackendStatus s, Backend b) {
        if (b == null) throw new IllegalStateException("the " + s.name() + " provider's create() returned null");
        return b;
    }

    /** An exception's first line (an OpenCL build failure carries its whole build log). */
    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static void warn(String line) {
        System.getLogger(Dispatcher.class.getName()).log(System.Logger.Level.WARNING, line);
    }

    /** One line per backend: which is chosen and why each other was skipped. */
    public String describe() { return describe(report()); }

    private String describe(List<BackendStatus> all) {
        StringBuilder b = new StringBuilder();
        String chosen = null;
        for (BackendStatus s : all) if (s.probe().isAvailable()) { chosen = s.name(); break; }
        for (BackendStatus s : all) {
            String why;
            if (s.name().equals(chosen)) why = "chosen (highest priority available)";
            else if (s.probe().isAvailable()) why = "skipped: lower priority (" + s.rank() + ") than " + chosen;
            else why = "skipped";
            b.append(String.format(Locale.ROOT, "%-7s priority %3d  %s  [%s]%n", s.name(), s.rank(), s.summary(), why));
        }
        for (String e : loadErrors) b.append("(a provider failed to load: ").append(e).append(")\n");
        if (all.isEmpty()) b.append("no backend providers on the class path\n");
        return b.toString();
    }

    private static Throwable firstCause(List<BackendStatus> all) {
        for (BackendStatus s : all) if (s.probe() instanceof Probe.Unavailable u && u.cause() != null) return u.cause();
        return null;
    }
}

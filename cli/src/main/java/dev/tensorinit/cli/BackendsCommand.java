package dev.tensorinit.cli;

import dev.tensorinit.Dispatcher;
import dev.tensorinit.spi.BackendStatus;
import dev.tensorinit.spi.DeviceInfo;
import dev.tensorinit.spi.JvmSignals;
import dev.tensorinit.spi.Probe;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** One row per backend: name, available or not, device(s), priority, and why when unavailable. */
final class BackendsCommand implements Subcommand, Context.Aware {
    static final CommandSpec SPEC = new CommandSpec("backends",
            List.of("Lists every backend on the class path: available or not, its device(s), its priority, "
                    + "and the reason when it is unavailable. 'auto' picks the available one with the highest priority."),
            options(), List.of());

    private static List<Opt> options() {
        List<Opt> o = new java.util.ArrayList<>(List.of(Opt.VERBOSE));
        o.addAll(DeviceOptions.OPTIONS);
        return o;
    }

    private Context ctx;

    final DeviceOptions devices = new DeviceOptions();

    @Override public void context(Context c) { ctx = c; }

    @Override public CommandSpec spec() { return SPEC; }

    @Override public void set(String option, String v) {
        // Main reads -v/--verbose from the arguments: it must know even when parsing fails
        if (!option.equals("--verbose") && !devices.set(option, v)) throw new IllegalStateException("backends has no option " + option);
    }

    @Override public int call() {
        Dispatcher d;
        try {
            d = Dispatcher.standard().withOptions(devices.options(null));
        } catch (IllegalArgumentException e) {
            throw new UsageException(Main.message(e, true), e);
        }
        List<BackendStatus> all = d.report();
        PrintWriter out = ctx.out();
        String chosen = null;
        String why = null;
        try {
            chosen = d.choose().name();
        } catch (RuntimeException e) { // no backend, or the forced one is unknown or unavailable: a row, not a failure
            why = Main.message(e, false);
        }
        out.printf(Locale.ROOT, "%-8s %-11s %8s  %s%n", "BACKEND", "STATUS", "PRIORITY", "DEVICES / REASON");
        for (BackendStatus s : all) {
            String status = s.probe().isAvailable() ? "available" : "unavailable";
            String what = switch (s.probe()) {
                case Probe.Available a -> devices(a.devices()) + (a.note().isEmpty() ? "" : "; " + a.note());
                case Probe.Unavailable u -> u.reason();
            };
            out.printf(Locale.ROOT, "%-8s %-11s %8d  %s%s%n", s.name(), status, s.rank(), what,
                    s.name().equals(chosen) ? "  <- auto" : "");
        }
        if (all.isEmpty()) out.println("(no backend providers on the class path)");
        String o = d.override();
        if (o != null) out.println("override: " + Dispatcher.ENV + "/-D" + Dispatcher.PROPERTY + " = " + o);
        if (chosen == null) out.println("auto: " + why);
        // After probing every driver: are the JVM's own signal handlers still its own? (A driver that takes them
        // crashes multithreaded JVMs; see JvmSignals.)
        out.println("signals: " + JvmSignals.original().status());
        return 0;
    }

    private static String devices(List<DeviceInfo> ds) {
        return ds.isEmpty() ? "(no device)" : String.join(", ", ds.stream().map(DeviceInfo::toString).toList());
    }
}

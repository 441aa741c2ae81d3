package dev.tensorinit.cli;

import dev.tensorinit.Dispatcher;
import dev.tensorinit.spi.BackendStatus;
import dev.tensorinit.spi.DeviceInfo;
import dev.tensorinit.spi.JvmSignals;
import dev.tensorinit.spi.Probe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** One row per backend: name, available or not, device(s), priority, and why when unavailable. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "Lists every backend on the class path: available or not, its device(s), its priority, "
                + "and the reason when it is unavailable. 'auto' picks the available one with the highest priority.")
final class BackendsCommand implements Runnable, Context.Aware {
    private Context ctx;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces on failure.")
    boolean verbose;

    @Override public void context(Context c) { ctx = c; }

    @picocli.CommandLine.Mixin
    DeviceOptions devices = new DeviceOptions();

    @Override public void run() {
        Dispatcher d;
        try {
            d = Dispatcher.standard().withOptions(devices.options(null));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), Main.message(e, true), e);
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
    }

    private static String devices(List<DeviceInfo> ds) {
        return ds.isEmpty() ? "(no device)" : String.join(", ", ds.stream().map(DeviceInfo::toString).toList());
    }
}

package dev.tensorinit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code tensorinit} command. Every failure ends as one line "tensorinit: message" on stderr
 * (the full stack trace only with -v/--verbose); usage errors exit 2, runtime failures exit 1.
 */
@Command(name = "tensorinit", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        description = "Fills tensors with Xavier/Glorot, Kaiming/He, LeCun, variance-scaling, uniform, normal and "
                + "truncated normal values that depend only on (seed, stream, index, init, dtype): the same bytes "
                + "on every backend, for any shard or tile.")
public final class Main implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (backends, fill, model or bench); see --help");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        // ./tensorinit says whether stderr is a terminal; run directly, fall back to the console check.
        String p = System.getProperty("tensorinit.progress");
        boolean tty = p != null ? Boolean.parseBoolean(p) : System.console() != null && System.console().isTerminal();
        int code = execute(out, err, tty, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line in this JVM; returns the exit code. {@code progress} enables the stderr bar. */
    public static int execute(PrintWriter out, PrintWriter err, boolean progress, String... args) {
        CommandLine cl = new CommandLine(new Main());
        addSubcommands(cl, args);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        boolean verbose = verbose(args);
        cl.getSubcommands().values().forEach(sub -> {
            if (sub.getCommand() instanceof Context.Aware a) a.context(new Context(out, err, progress));
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            report(err, ex, verbose);
            return CommandLine.ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, pr) -> {
            report(err, ex, verbose);
            return CommandLine.ExitCode.SOFTWARE;
        });
        return cl.execute(args);
    }

    /** The subcommands, in the order --help lists them. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("backends", BackendsCommand::new);
        m.put("fill", FillCommand::new);
        m.put("model", ModelCommand::new);
        m.put("bench", BenchCommand::new);
        m.put("aot-training", TrainCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        return Collections.unmodifiableMap(m);
    }

    /**
     * Only the subcommand the line names, when it names one: picocli reads a command's annotations when it is
     * added, and that is most of its start-up (measured: 170-230 ms for fill alone against 220-290 ms for all, in
     * a fresh JVM). Everything else (no subcommand, help, a misspelt name) gets all of them.
     */
    private static void addSubcommands(CommandLine cl, String[] args) {
        Supplier<Object> named = args.length > 0 && !args[0].equals("help") ? SUBCOMMANDS.get(args[0]) : null;
        if (named != null) {
            cl.addSubcommand(args[0], named.get());
        } else {
            SUBCOMMANDS.forEach((name, make) -> cl.addSubcommand(name, make.get()));
        }
    }

    private static boolean verbose(String[] args) {
        for (String a : args) {
            if (a.equals("--")) return false;
            if (a.equals("-v") || a.equals("--verbose")) return true;
        }
        return false;
    }

    /** One line, unless verbose: then the whole message and the stack trace. */
    static void report(PrintWriter err, Throwable ex, boolean verbose) {
        if (verbose) {
            err.println("tensorinit: " + message(ex, true));
            ex.printStackTrace(err);
        } else {
            err.println("tensorinit: " + message(ex, false));
        }
        err.flush();
    }

    static String message(Throwable ex, boolean full) {
        String m = ex.getMessage();
        if (m == null || m.isBlank()) m = ex.getClass().getSimpleName();
        if (ex instanceof java.nio.file.AccessDeniedException) m = "permission denied: " + m;
        else if (ex instanceof java.nio.file.NoSuchFileException) m = "no such file or folder: " + m;
        else if (ex instanceof OutOfMemoryError) m = "out of memory: " + m;
        if (full) return m;
        List<String> lines = m.lines().toList();
        return lines.isEmpty() ? m : lines.get(0);
    }
}

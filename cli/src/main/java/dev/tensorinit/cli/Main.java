package dev.tensorinit.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code tensorinit} command. Every failure ends as one line "tensorinit: message" on stderr
 * (the full stack trace only with -v/--verbose); usage errors exit 2, runtime failures exit 1.
 */
public final class Main {
    private Main() {}

    static final String PROGRAM = "tensorinit";
    static final List<String> DESCRIPTION = List.of("Fills tensors with Xavier/Glorot, Kaiming/He, LeCun, variance-scaling, "
            + "uniform, normal and truncated normal values that depend only on (seed, stream, index, init, dtype): the same "
            + "bytes on every backend, for any shard or tile.");
    /** The subcommands --help lists, in its order (aot-training is the launcher's, not listed). */
    static final List<String> LISTED = List.of("backends", "fill", "model", "bench");

    public static void main(String[] args) {
        HandedStderr.adopt();
        Stdout stdout = new Stdout();
        PrintWriter out = new PrintWriter(stdout, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        // ./tensorinit says whether stderr is a terminal; run directly, fall back to the console check.
        String p = System.getProperty("tensorinit.progress");
        boolean tty = p != null ? Boolean.parseBoolean(p) : System.console() != null && System.console().isTerminal();
        String garbled = undecoded(args, System.getProperty("sun.jnu.encoding", "UTF-8"));
        int code;
        if (garbled != null) {
            err.println("tensorinit: " + garbled);
            code = 2;
        } else {
            code = execute(out, err, tty, args);
        }
        out.flush();
        if (stdout.failure != null && code == 0 && !stdout.readerLeft()) {
            // The command itself succeeded: a file it wrote is complete and stays (a retry without --force is refused).
            err.println("tensorinit: writing to standard output failed: " + stdout.failure.getMessage()
                    + " (the command itself completed, and any file it wrote is complete; only its report was lost)");
            code = 1;
        }
        err.flush();
        System.exit(code);
    }

    /**
     * Standard output that keeps its first write error: System.out (a PrintStream) keeps them to itself, so with
     * stdout on a full disk (>/dev/full) or closed the report (all of `backends`, `model --dry-run`, --version) was
     * lost and the command still exited 0.
     */
    static final class Stdout extends FilterOutputStream {
        IOException failure;

        Stdout() {
            super(new FileOutputStream(FileDescriptor.out));
        }

        @Override public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        private IOException failed(IOException e) {
            if (failure == null) failure = e;
            return e;
        }

        /**
         * A reader that stopped reading (| head -1): EPIPE, "Broken pipe" (glibc's translations keep the word: "(broken
         * pipe)", "(pipe)"), is no failure, as the rest is not wanted. Any other error on a pipe or socket (EAGAIN from
         * a descriptor another process made non-blocking, a reset connection) still is: the output was cut short.
         */
        boolean readerLeft() {
            return String.valueOf(failure.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("pipe");
        }
    }

    /**
     * Why the command line cannot be trusted, or null: some bytes could not be decoded in the JVM's charset (ASCII
     * under a C or POSIX locale; invalid sequences under UTF-8) and became U+FFFD. A --name so garbled is another
     * stream, other values, and every such name the same one, so the run stops instead. (A name typed with a literal
     * U+FFFD is refused too: it would collide with those.) ./tensorinit sets a UTF-8 locale where the charset is ASCII.
     */
    static String undecoded(String[] args, String charset) {
        for (String a : args) {
            if (a.indexOf('\uFFFD') >= 0) {
                return "the argument '" + a + "' holds bytes that the locale's charset (" + charset + ") cannot decode "
                        + "(shown as \uFFFD); run with a locale whose charset matches them, e.g. LC_ALL=C.UTF-8";
            }
        }
        return null;
    }

    /** A new instance of the subcommand called {@code name}; null if there is none. */
    static Subcommand subcommand(String name) {
        return switch (name) {
            case "backends" -> new BackendsCommand();
            case "fill" -> new FillCommand();
            case "model" -> new ModelCommand();
            case "bench" -> new BenchCommand();
            case "aot-training" -> new TrainCommand();
            default -> null;
        };
    }

    /** Runs one command line in this JVM; returns the exit code. {@code progress} enables the stderr bar. */
    public static int execute(PrintWriter out, PrintWriter err, boolean progress, String... args) {
        boolean verbose = verbose(args);
        try {
            if (args.length == 0) throw new UsageException("missing subcommand (backends, fill, model or bench); see --help");
            String first = args[0];
            switch (first) {
                case "-h", "--help" -> {
                    out.print(usage());
                    return 0;
                }
                case "-V", "--version" -> {
                    version(out);
                    return 0;
                }
                case "help" -> {
                    return help(out, args);
                }
                default -> { }
            }
            Subcommand cmd = subcommand(first);
            if (cmd == null) {
                String near = ArgParser.closest(first, LISTED);
                throw new UsageException(first.startsWith("-") ? "unknown option '" + first + "' (see --help)"
                        : "unknown subcommand '" + first + "' (" + (near != null ? "did you mean " + near + "? " : "")
                        + "expected backends, fill, model or bench; see --help)");
            }
            if (cmd instanceof Context.Aware a) a.context(new Context(out, err, progress));
            switch (ArgParser.parse(cmd, args, 1)) {
                case HELP -> {
                    out.print(cmd.spec().usage(PROGRAM));
                    return 0;
                }
                case VERSION -> {
                    version(out);
                    return 0;
                }
                case RUN -> {
                    return cmd.call();
                }
            }
            throw new AssertionError();
        } catch (UsageException e) {
            report(err, e, verbose);
            return 2;
        } catch (Exception | OutOfMemoryError | LinkageError e) {   // LinkageError: a backend's native library asked for by name
            report(err, e, verbose);
            return 1;
        } finally {
            out.flush();
        }
    }

    /** {@code help} alone: the command's usage; {@code help SUBCOMMAND}: that one's. */
    private static int help(PrintWriter out, String[] args) {
        if (args.length > 2) throw new UsageException("help takes at most one subcommand, got " + (args.length - 1) + " arguments");
        if (args.length == 1) {
            out.print(usage());
            return 0;
        }
        Subcommand cmd = subcommand(args[1]);
        if (cmd == null) throw new UsageException("unknown subcommand '" + args[1] + "' (expected backends, fill, model or bench)");
        out.print(cmd.spec().usage(PROGRAM));
        return 0;
    }

    /** The top-level --help. */
    static String usage() {
        StringBuilder b = new StringBuilder("Usage: ").append(PROGRAM).append(" [-h | -V] SUBCOMMAND [OPTIONS]\n");
        for (String p : DESCRIPTION) CommandSpec.wrap(b, p, 0, true);
        b.append("Options:\n");
        CommandSpec.optionRows(b, List.of(CommandSpec.HELP, CommandSpec.VERSION));
        b.append("Subcommands:\n");
        for (String name : LISTED) {
            b.append("  ").append(name).append(" ".repeat(10 - name.length()));
            CommandSpec.wrap(b, subcommand(name).spec().description().getFirst(), 12, false);
        }
        b.append("  help      ");
        CommandSpec.wrap(b, "Shows a subcommand's options: " + PROGRAM + " help fill (or " + PROGRAM + " fill --help).", 12, false);
        return b.toString();
    }

    static void version(PrintWriter out) {
        out.println(PROGRAM + " " + Version.get());
        out.println("JVM " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + " (" + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")");
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

    /**
     * An error as the command words it: file system errors as "no such file or folder: PATH", "permission denied: PATH"
     * (names escaped), else the message or the exception's name; its first line unless {@code full}.
     */
    static String message(Throwable ex, boolean full) {
        String m = ex.getMessage();
        // A file name may hold a line break, and only the first line of a message is printed: "FILE: exists; add
        // --force" lost its reason. Control characters in the names are written escaped instead.
        if (ex instanceof java.nio.file.FileSystemException fse && fse.getFile() != null) {
            m = escaped(fse.getFile()) + (fse.getOtherFile() == null ? "" : " -> " + escaped(fse.getOtherFile()))
                    + (fse.getReason() == null ? "" : ": " + fse.getReason());
        }
        if (m == null || m.isBlank()) m = ex.getClass().getSimpleName();
        if (ex instanceof java.nio.file.AccessDeniedException) m = "permission denied: " + m;
        else if (ex instanceof java.nio.file.NoSuchFileException) m = "no such file or folder: " + m;
        else if (ex instanceof OutOfMemoryError) m = "out of memory: " + m;
        if (full) return m;
        List<String> lines = m.lines().toList();
        return lines.isEmpty() ? m : lines.get(0);
    }

    /** {@code s} as it is, or as a JSON string (quoted, line breaks as backslash n) when it holds a control character. */
    static String escaped(String s) {
        return s.chars().anyMatch(c -> c < 0x20) ? dev.tensorinit.cli.model.Json.write(s) : s;
    }
}

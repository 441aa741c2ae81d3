package dev.tensorinit.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Hands a subcommand's options to it: {@code --name VALUE}, {@code --name=VALUE}, flags, short names (-v). Each
 * option at most once; no positional arguments; a value that is itself one of the command's options is refused (so
 * {@code --out --force} is not a file called "--force"), while other values starting with '-' ({@code --mean -1})
 * are values. Required options are checked after the whole line is read; -h/--help and -V/--version win over
 * everything else, as picocli's did.
 */
final class ArgParser {
    private ArgParser() {}

    /** What the command line asks for. */
    enum Outcome { RUN, HELP, VERSION }

    /** Reads {@code args[from..]} into {@code cmd} (through {@link Subcommand#set}). */
    static Outcome parse(Subcommand cmd, String[] args, int from) {
        CommandSpec spec = cmd.spec();
        for (int i = from; i < args.length; i++) {
            Opt o = spec.option(nameOf(args[i]));
            if (o == CommandSpec.HELP) return Outcome.HELP;
            if (o == CommandSpec.VERSION) return Outcome.VERSION;
        }
        // Indexed by position, not a Set<Opt>: a record's hashCode bootstraps method handles, 20-30 ms in a cold JVM.
        boolean[] seen = new boolean[spec.options().size()];
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            String name = nameOf(a);
            Opt o = spec.option(name);
            if (o == null) {
                if (!a.startsWith("-")) {
                    throw new UsageException("unexpected argument '" + a + "' (" + spec.name() + " takes options only; see --help)");
                }
                java.util.List<String> names = new java.util.ArrayList<>();
                for (Opt known : spec.options()) if (!known.hidden()) names.add(known.name());
                String near = closest(name, names);
                throw new UsageException("unknown option '" + name + "' for " + spec.name()
                        + (near != null ? " (did you mean " + near + "?)" : " (see --help)"));
            }
            int at = spec.position(o);
            if (seen[at]) throw new UsageException("option " + o.display() + " should be given only once");
            seen[at] = true;
            String value;
            int eq = a.indexOf('=');
            if (o.isFlag()) {
                if (eq >= 0) throw new UsageException("option " + o.name() + " takes no value, got '" + a.substring(eq + 1) + "'");
                value = null;
            } else if (eq >= 0) {
                value = a.substring(eq + 1);
            } else {
                if (i + 1 >= args.length) throw new UsageException("option " + o.display() + " needs a value");
                value = args[++i];
                if (value.startsWith("-") && spec.option(nameOf(value)) != null) {
                    throw new UsageException("option " + o.display() + " needs a value, found the option '" + value + "'");
                }
            }
            cmd.set(o.name(), value);
        }
        StringBuilder missing = new StringBuilder();
        int count = 0;
        for (int i = 0; i < seen.length; i++) {
            Opt o = spec.options().get(i);
            if (o.required() && !seen[i]) missing.append(count++ == 0 ? "" : ", ").append(o.display());
        }
        if (count > 0) throw new UsageException("missing required option" + (count > 1 ? "s" : "") + ": " + missing);
        return Outcome.RUN;
    }

    /**
     * The one of {@code candidates} a typo most likely meant: the nearest by edit distance, if it is at most 2 edits
     * away (1 for words of 4 letters or fewer) and no other candidate is as near; else null.
     */
    static String closest(String typed, java.util.List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        boolean tie = false;
        for (String c : candidates) {
            int d = editDistance(typed, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
                tie = false;
            } else if (d == bestDistance) {
                tie = true;
            }
        }
        int allowed = typed.replace("-", "").length() <= 4 ? 1 : 2;
        return best != null && !tie && bestDistance <= allowed ? best : null;
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character each. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** "--name" of "--name=value"; anything else as it is. */
    private static String nameOf(String arg) {
        int eq = arg.indexOf('=');
        return arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
    }

    static int intValue(String option, String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            if (v.strip().matches("[+-]?\\d+")) {   // an integer, only too large for the option
                throw new UsageException("option " + option + " must be between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE
                        + ", got '" + v + "'", e);
            }
            throw new UsageException("option " + option + " must be an integer, got '" + v + "'", e);
        }
    }

    static long longValue(String option, String v) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("option " + option + " must be an integer, got '" + v + "'", e);
        }
    }

    static double doubleValue(String option, String v) {
        try {
            return dev.tensorinit.Inits.number("option " + option, v);
        } catch (IllegalArgumentException e) {
            throw new UsageException("option " + option + " must be a number, got '" + v + "'", e);
        }
    }

    static Path pathValue(String option, String v) {
        if (v.isEmpty()) throw new UsageException("option " + option + " needs a path, got ''");
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw new UsageException("option " + option + " is not a valid path: " + e.getMessage(), e);
        }
    }

    /**
     * A path that must name a file. Checked on the text: Path.of drops a trailing '/', which names a folder to the
     * kernel (open("x.npy/") fails), and {@code --out x.npy/} had written a file x.npy.
     */
    static Path filePathValue(String option, String v) {
        if (v.endsWith("/")) throw new UsageException("option " + option + " '" + v + "' ends in '/', which names a folder; give a file");
        return pathValue(option, v);
    }
}

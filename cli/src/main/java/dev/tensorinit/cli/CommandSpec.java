package dev.tensorinit.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * What --help says about a subcommand, and the options {@link ArgParser} accepts for it: name, description
 * paragraphs, options in the order --help lists them, and a footer (examples) printed as it is.
 * Every subcommand also takes -h/--help and -V/--version.
 */
record CommandSpec(String name, List<String> description, List<Opt> options, List<String> footer) {
    /** Help text is wrapped to this many columns. */
    static final int WIDTH = 80;
    static final Opt HELP = new Opt("--help", "-h", null, "Show this help message and exit.", false, false);
    static final Opt VERSION = new Opt("--version", "-V", null, "Print version information and exit.", false, false);

    CommandSpec {
        description = List.copyOf(description);
        options = List.copyOf(options);
        footer = List.copyOf(footer);
    }

    /** The option named {@code name} (long or short), including -h/--help and -V/--version; null if none. */
    Opt option(String name) {
        for (Opt o : options) {
            if (o.name().equals(name) || name.equals(o.shortName())) return o;
        }
        if (name.equals("--help") || name.equals("-h")) return HELP;
        if (name.equals("--version") || name.equals("-V")) return VERSION;
        return null;
    }

    /** Where {@code o} stands in {@link #options()}, by identity (a record's equals would bootstrap method handles). */
    int position(Opt o) {
        for (int i = 0; i < options.size(); i++) if (options.get(i) == o) return i;
        throw new IllegalArgumentException(o.name() + " is not an option of " + name);
    }

    /** The --help text: usage line, description, options (required first in the usage line), footer. */
    String usage(String program) {
        StringBuilder b = new StringBuilder("Usage: ").append(program).append(' ').append(name);
        for (Opt o : options) if (o.required()) b.append(' ').append(o.display());
        b.append(" [OPTIONS]\n");
        for (String p : description) wrap(b, p, 0, true);
        List<Opt> shown = new ArrayList<>();
        for (Opt o : options) if (!o.hidden()) shown.add(o);
        shown.add(HELP);
        shown.add(VERSION);
        b.append("Options:\n");
        optionRows(b, shown);
        for (String f : footer) b.append(f).append('\n');
        return b.toString();
    }

    /** Rows of "  -v, --name=LABEL   text", the text wrapped in its own column. */
    static void optionRows(StringBuilder b, List<Opt> shown) {
        int col = 0;
        for (Opt o : shown) col = Math.max(col, left(o).length());
        col = Math.min(col + 2, 32);
        for (Opt o : shown) {
            String l = left(o);
            String text = o.description() + (o.required() ? " Required." : "");
            if (l.length() + 2 > col) {
                b.append(l).append('\n');
                wrap(b, text, col, true);
            } else {
                b.append(l).append(" ".repeat(col - l.length()));
                wrap(b, text, col, false);
            }
        }
    }

    private static String left(Opt o) {
        return (o.shortName() != null ? "  " + o.shortName() + ", " : "      ") + o.display();
    }

    /**
     * Appends {@code text} as lines of at most {@link #WIDTH} columns, indented by {@code indent}; when not
     * {@code freshLine}, the caller has already filled the first line's indent (an option's left column).
     */
    static void wrap(StringBuilder b, String text, int indent, boolean freshLine) {
        int width = Math.max(20, WIDTH - indent);
        String pad = " ".repeat(indent);
        boolean first = true;
        String rest = text.strip();
        do {
            int cut = rest.length();
            if (cut > width) {
                cut = rest.lastIndexOf(' ', width);
                if (cut <= 0) cut = rest.indexOf(' ') > 0 ? rest.indexOf(' ') : rest.length(); // one long word: its own line
            }
            if (!first || freshLine) b.append(pad);
            b.append(rest, 0, cut).append('\n');
            rest = rest.substring(cut).strip();
            first = false;
        } while (!rest.isEmpty());
    }
}

package dev.tensorinit.cli;

import java.io.PrintWriter;

/** Where a subcommand prints, and whether it may draw a progress bar (stderr is a terminal). */
record Context(PrintWriter out, PrintWriter err, boolean progress) {

    /** Subcommands that receive the context before they run. */
    interface Aware {
        void context(Context c);
    }
}

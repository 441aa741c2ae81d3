package dev.tensorinit.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in this JVM and captures what it prints. */
final class Cli {
    private Cli() {}

    record Result(int code, String out, String err) {
        /** The error output's lines (without blank ones). */
        java.util.List<String> errLines() { return err.lines().filter(l -> !l.isBlank()).toList(); }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), false, args);
        return new Result(code, out.toString(), err.toString());
    }
}

package dev.tensorinit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command-line parser and --help, on the real subcommands and on a small recording one. */
class ArgParserTest {
    static final List<String> ALL = List.of("backends", "fill", "model", "bench", "aot-training");

    /** Records what the parser hands over, in order. */
    static final class Recorder implements Subcommand {
        static final CommandSpec SPEC = new CommandSpec("rec", List.of("A test command."), List.of(
                Opt.value("--shape", "DIMS", "Shape.").asRequired(),
                Opt.value("--out", "FILE", "Output.").asRequired(),
                Opt.value("--mean", "X", "Mean."),
                Opt.flag("--force", "Force."),
                Opt.VERBOSE,
                Opt.value("--secret", "S", "Not listed.").asHidden()), List.of("Example: rec --shape 2 --out f"));
        final List<String> got = new ArrayList<>();

        @Override public CommandSpec spec() { return SPEC; }

        @Override public void set(String option, String value) { got.add(option + "=" + value); }

        @Override public int call() { return 0; }
    }

    static Recorder parse(String... args) {
        Recorder r = new Recorder();
        assertEquals(ArgParser.Outcome.RUN, ArgParser.parse(r, args, 0));
        return r;
    }

    @Test void valuesFlagsAndShortNames() {
        assertEquals(List.of("--shape=4x4", "--out=f.npy", "--mean=-1", "--force=null", "--verbose=null", "--secret="),
                parse("--shape", "4x4", "--out=f.npy", "--mean", "-1", "--force", "-v", "--secret=").got);
        assertEquals(List.of("--shape=a=b", "--out="), parse("--shape=a=b", "--out", "").got, "'=' in a value; an empty value");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--shape 4 --out f --shape 5      | option --shape=DIMS should be given only once",
            "--shape 4 --out                  | option --out=FILE needs a value",
            "--shape --out f                  | option --shape=DIMS needs a value, found the option '--out'",
            "--shape 4 --out f --frob         | unknown option '--frob' for rec (see --help)",
            "--shape 4 --out f --frob=1       | unknown option '--frob' for rec (see --help)",
            "--shape 4 --out f extra          | unexpected argument 'extra' (rec takes options only; see --help)",
            "--shape 4 --out f --force=yes    | option --force takes no value, got 'yes'",
            "--shape 4                        | missing required option: --out=FILE",
            "--mean 1                         | missing required options: --shape=DIMS, --out=FILE",
            "-x                               | unknown option '-x' for rec (see --help)",
    })
    void badLinesAreUsageErrorsSayingWhat(String line, String message) {
        Recorder r = new Recorder();
        UsageException e = assertThrows(UsageException.class, () -> ArgParser.parse(r, line.strip().split("\\s+"), 0));
        assertEquals(message, e.getMessage());
    }

    @Test void helpAndVersionWinOverEverythingElse() {
        assertEquals(ArgParser.Outcome.HELP, ArgParser.parse(new Recorder(), new String[] {"--frob", "--shape", "-h"}, 0));
        assertEquals(ArgParser.Outcome.HELP, ArgParser.parse(new Recorder(), new String[] {"--help"}, 0));
        assertEquals(ArgParser.Outcome.VERSION, ArgParser.parse(new Recorder(), new String[] {"--mean", "1", "-V"}, 0));
        Recorder r = new Recorder();
        ArgParser.parse(r, new String[] {"--shape", "1", "--help"}, 0);
        assertEquals(List.of(), r.got, "nothing is set when help is asked for");
    }

    @Test void typedValuesNameTheOptionAndTheValue() {
        assertEquals(7, ArgParser.intValue("--threads", " 7"));
        assertEquals("option --threads must be an integer, got 'seven'",
                assertThrows(UsageException.class, () -> ArgParser.intValue("--threads", "seven")).getMessage());
        assertEquals("option --threads must be between -2147483648 and 2147483647, got '99999999999'",
                assertThrows(UsageException.class, () -> ArgParser.intValue("--threads", "99999999999")).getMessage());
        assertEquals(-3L, ArgParser.longValue("--fill-piece", "-3"));
        assertEquals(0.5, ArgParser.doubleValue("--seconds", "0.5"));
        assertEquals("option --seconds must be a number, got 'x'",
                assertThrows(UsageException.class, () -> ArgParser.doubleValue("--seconds", "x")).getMessage());
        assertEquals(Path.of("a/b.npy"), ArgParser.pathValue("--out", "a/b.npy"));
        assertTrue(assertThrows(UsageException.class, () -> ArgParser.pathValue("--out", "a\0b")).getMessage()
                .startsWith("option --out is not a valid path"));
        assertEquals("option --out needs a path, got ''", assertThrows(UsageException.class, () -> ArgParser.pathValue("--out", "")).getMessage());
    }

    /** Every option a subcommand lists is one its set() takes: a forgotten case would fail only when a user types it. */
    @Test void everyListedOptionIsTakenBySet() {
        for (String name : ALL) {
            Subcommand cmd = Main.subcommand(name);
            for (Opt o : cmd.spec().options()) {
                String value = o.isFlag() ? null : "1";
                cmd.set(o.name(), value); // IllegalStateException if the switch has no case for it
            }
            assertThrows(IllegalStateException.class, () -> cmd.set("--no-such-option", "1"), name);
        }
    }

    /** Help lists every option but the hidden ones, marks required ones, and keeps to 80 columns. */
    @Test void helpListsTheOptionsWithinEightyColumns() {
        for (String name : ALL) {
            CommandSpec spec = Main.subcommand(name).spec();
            String help = spec.usage("tensorinit");
            assertTrue(help.startsWith("Usage: tensorinit " + name), help);
            for (Opt o : spec.options()) {
                assertEquals(!o.hidden(), help.contains(o.display()), name + ": " + o.display() + " in\n" + help);
            }
            assertTrue(help.contains("-h, --help") && help.contains("-V, --version"), help);
            for (String line : help.lines().toList()) {
                boolean footer = spec.footer().contains(line);
                assertTrue(footer || line.length() <= CommandSpec.WIDTH || !line.strip().contains(" "), name + ": too long: " + line);
            }
        }
        String rec = Recorder.SPEC.usage("tensorinit");
        assertTrue(rec.startsWith("Usage: tensorinit rec --shape=DIMS --out=FILE [OPTIONS]\n"), rec);
        assertTrue(rec.contains("Shape. Required."), rec);
        assertFalse(rec.contains("--secret"), rec);
        assertTrue(rec.endsWith("Example: rec --shape 2 --out f\n"), rec);
        String top = Main.usage();
        for (String name : Main.LISTED) assertTrue(top.contains("\n  " + name + " "), top);
        assertFalse(top.contains("aot-training"), top);
    }

    @Test void theTopLevel() {
        assertEquals(0, Cli.run("--help").code());
        assertEquals(Main.usage(), Cli.run("help").out());
        assertEquals(FillCommand.SPEC.usage("tensorinit"), Cli.run("help", "fill").out());
        assertEquals(FillCommand.SPEC.usage("tensorinit"), Cli.run("fill", "--init", "nope", "--help").out());
        Cli.Result v = Cli.run("model", "-V");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("tensorinit " + Version.get() + "\nJVM "), v.out());
        usage(Cli.run(), "tensorinit: missing subcommand (backends, fill, model or bench); see --help");
        usage(Cli.run("fil"), "tensorinit: unknown subcommand 'fil' (did you mean fill? expected backends, fill, model or bench; see --help)");
        usage(Cli.run("train"), "tensorinit: unknown subcommand 'train' (expected backends, fill, model or bench; see --help)");
        usage(Cli.run("--frob"), "tensorinit: unknown option '--frob' (see --help)");
        usage(Cli.run("help", "nope"), "tensorinit: unknown subcommand 'nope' (expected backends, fill, model or bench)");
        usage(Cli.run("fill", "--shape", "4"), "tensorinit: missing required options: --init=NAME, --out=FILE");
        usage(Cli.run("fill", "--threads", "many"), "tensorinit: option --threads must be an integer, got 'many'");
    }

    /** A misspelt option gets the one it most likely meant, when one is clearly nearest. */
    @Test void typosGetASuggestion() {
        usage(Cli.run("fill", "--shape", "4", "--init", "zeros", "--out", "w.npy", "--sead", "1"),
                "tensorinit: unknown option '--sead' for fill (did you mean --seed?)");
        usage(Cli.run("fill", "--shpe=4", "--init", "zeros", "--out", "w.npy"), "tensorinit: unknown option '--shpe' for fill (did you mean --shape?)");
        usage(Cli.run("model", "--config", "c.json", "--out", "d", "--dryrun"), "tensorinit: unknown option '--dryrun' for model (did you mean --dry-run?)");
        usage(Cli.run("fill", "--c", "1"), "tensorinit: unknown option '--c' for fill (see --help)"); // --a and --b are as near
        usage(Cli.run("fill", "--write-chunks", "1"), "tensorinit: unknown option '--write-chunks' for fill (see --help)"); // hidden ones are not offered
        assertEquals(3, ArgParser.editDistance("kitten", "sitting"));
        assertEquals(0, ArgParser.editDistance("", ""));
        assertEquals(4, ArgParser.editDistance("", "abcd"));
        assertEquals("--out", ArgParser.closest("--outt", List.of("--out", "--shape")));
        assertNull(ArgParser.closest("--xyzzy", List.of("--out", "--shape")));
        assertNull(ArgParser.closest("--ot", List.of("--out", "--at")), "a tie");
    }

    private static void usage(Cli.Result r, String line) {
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of(line), r.errLines());
        assertEquals("", r.out());
    }

    /** A command line the JVM could not decode (ASCII charset, or invalid UTF-8), with bytes lost: refused, naming the argument. */
    @Test void undecodedBytesStopTheRun() {
        String garbled = "\uFFFD\uFFFD.w";
        String why = Main.undecoded(new String[] {"fill", "--name", garbled}, "ANSI_X3.4-1968");
        assertTrue(why != null && why.contains(garbled) && why.contains("ANSI_X3.4-1968") && why.contains("LC_ALL=C.UTF-8"), why);
        assertNull(Main.undecoded(new String[] {"fill", "--name", "ü.w"}, "ANSI_X3.4-1968"), "nothing lost");
        why = Main.undecoded(new String[] {"fill", "--name", garbled}, "UTF-8");
        assertTrue(why != null && why.contains("UTF-8"), "invalid UTF-8 bytes decode to U+FFFD too: " + why);
    }
}

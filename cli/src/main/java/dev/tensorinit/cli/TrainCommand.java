package dev.tensorinit.cli;


import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run of the launcher's start-up cache: ./tensorinit runs this once per build under
 * -XX:ArchiveClassesAtExit (a dynamic CDS archive), and later runs start from the classes it loaded, including the
 * lambda classes the JVM generates. It does what users do: fills of every distribution kind and dtype, in every file
 * format, through the same command code, into a temporary folder that it removes. Hidden: not for users. (The packaged
 * GPU check records a JDK 25 AOT cache from it instead: its jlinked JDK has no CDS archive of its own to build on.
 * Why not the AOT cache here: with the Vector API's incubator module in the boot layer JDK 25 links no class ahead of
 * time and keeps no lambda classes or method profiles; cli/README.md, "Start-up cache".)
 */
final class TrainCommand implements Subcommand, Context.Aware {
    static final CommandSpec SPEC = new CommandSpec("aot-training", List.of("Internal: the launcher's AOT training run."),
            List.of(Opt.value("--dir", "DIR", "Folder for the temporary files (default: the system's temporary folder).")), List.of());

    private Context ctx;

    Path dir;

    @Override public CommandSpec spec() { return SPEC; }

    @Override public void set(String option, String v) {
        if (!option.equals("--dir")) throw new IllegalStateException("aot-training has no option " + option);
        dir = ArgParser.pathValue(option, v);
    }

    @Override public void context(Context c) { ctx = c; }

    /**
     * Every kind, dtype, format and region type once, at sizes that keep the run to seconds: what the cache holds is
     * the classes loaded along these paths. The vector kernel is not among them: fills this small never warm it up.
     * An AOT cache trained with a 2^28 normal fill, which does, made a later 2^28 fill no faster (medians of 6
     * alternating runs, 3.23 against 3.25 s): JDK 25 keeps no compiled code. A dynamic archive trained so (2026-12-01)
     * keeps the Vector API's lambda classes too, and had the kernel warm 0.07-0.12 s sooner in a 2^28 fill (medians of
     * 6 alternating runs), but warming it here would need fills of hundreds of MiB per kind and dtype.
     */
    static List<List<String>> workload() {
        List<List<String>> runs = new ArrayList<>();
        runs.add(List.of("--shape", "4096x1024", "--init", "xavier_normal", "--out", "a.npy"));
        runs.add(List.of("--shape", "4096x1024", "--init", "xavier_uniform", "--out", "b.npy"));
        runs.add(List.of("--shape", "2048x1024", "--init", "glorot_normal", "--layout", "jax", "--out", "c.npy"));
        runs.add(List.of("--shape", "2048x1024", "--init", "normal", "--std", "0.02", "--dtype", "bf16", "--name", "embed", "--out", "d.safetensors"));
        runs.add(List.of("--shape", "1024x1024", "--init", "kaiming_uniform", "--dtype", "f16", "--out", "e.npy"));
        runs.add(List.of("--shape", "1024x512", "--init", "he_normal", "--dtype", "f64", "--out", "f.bin"));
        runs.add(List.of("--shape", "4096x1024", "--init", "trunc_normal", "--std", "0.02", "--range", "1000:2000000", "--out", "g.npy"));
        runs.add(List.of("--shape", "4096x1024", "--init", "xavier_normal", "--rows", "5:3000", "--cols", "7:1000", "--out", "h.npy"));
        runs.add(List.of("--shape", "64x64", "--init", "zeros", "--out", "i.npy"));
        return runs;
    }

    @Override public int call() throws IOException {
        Path work = Files.createTempDirectory(dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir")), "tensorinit-aot-");
        try {
            for (List<String> run : workload()) {
                List<String> args = new ArrayList<>(List.of("fill"));
                args.addAll(run);
                int last = args.size() - 1;
                args.set(last, work.resolve(args.get(last)).toString());
                StringWriter out = new StringWriter(), err = new StringWriter();
                int code = Main.execute(new PrintWriter(out), new PrintWriter(err), false, args.toArray(String[]::new));
                if (code != 0) {
                    ctx.err().println("tensorinit: the AOT training run failed on " + String.join(" ", args) + ": " + err.toString().strip());
                    return 1;
                }
            }
            return 0;
        } finally {
            try (var files = Files.list(work)) {
                files.forEach(AtomicFile::deleteQuietly);
            } catch (IOException | UncheckedIOException e) {
                // best effort
            }
            AtomicFile.deleteQuietly(work);
        }
    }
}

package dev.tensorinit.cli;


import dev.tensorinit.DType;
import dev.tensorinit.Dispatcher;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Shape;
import dev.tensorinit.spi.Backend;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
     * alternating runs, 3.23 against 3.25 s): JDK 25 keeps no compiled code. The dynamic archive keeps the Vector API's
     * lambda classes as well, so the training warms the vector kernel on its own ({@link #vectorPaths}).
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

    /**
     * Requests that stand for big fills of every (kind, dtype) the vector kernel warms up for: announced to the CPU backend
     * ({@link Backend#prepare}) as the whole of a 2^40-element tensor, each starts the vector kernel's warm-up at once
     * (none is ever filled). The warm-up's first calls run in the interpreter and load the classes and the Vector API's
     * lambda classes of that (kind, dtype)'s path, which the archive then holds. Measured on 2 cores (2026-12-01, whole
     * runs to disk alternating between archives recorded with and without these warm-ups, 8 each): a 2^28 normal fill
     * 1.73 → 1.67 s (the command's fill time 0.73 → 0.67 s), a 64x64 and a 4096x4096 fill unchanged within noise; the
     * training took 4.1 s instead of 1.5 s, and the archive is 8.8 MB instead of 4.1.
     */
    static List<FillRequest> vectorPaths() {
        List<FillRequest> paths = new ArrayList<>();
        for (InitSpec init : List.of(InitSpec.xavierNormal(), InitSpec.xavierUniform(), InitSpec.truncNormal())) {
            for (DType dtype : DType.values()) paths.add(FillRequest.of(Shape.of(1L << 20, 1L << 20), init).withDType(dtype));
        }
        return paths;
    }

    /**
     * Starts the vector kernel's warm-ups ({@link #vectorPaths}) on a CPU backend, which stays open while the fills run
     * beside it, and ends them with a small fill of each path: on 2 cores such a fill waits for the warm-up (3 s at
     * most, counted from the warm-up's start), so by then every warm-up has run its first calls. Null, and nothing
     * warmed, where the CPU backend cannot be opened: the archive then holds the fills' classes only.
     */
    private static Backend startVectorWarmUps() {
        try {
            Backend cpu = Dispatcher.standard().choose("cpu").provider().create();
            for (FillRequest r : vectorPaths()) cpu.prepare(r);
            return cpu;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void finishVectorWarmUps(Backend cpu) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(8L << 12, 64);
            for (FillRequest r : vectorPaths()) cpu.fill(FillRequest.of(Shape.of(64, 64), r.init()).withDType(r.dtype()), dst);
        }
    }

    @Override public int call() throws IOException {
        Path work = Files.createTempDirectory(dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir")), "tensorinit-aot-");
        Backend cpu = startVectorWarmUps();
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
            if (cpu != null) finishVectorWarmUps(cpu);
            return 0;
        } finally {
            if (cpu != null) cpu.close();
            try (var files = Files.list(work)) {
                files.forEach(AtomicFile::deleteQuietly);
            } catch (IOException | UncheckedIOException e) {
                // best effort
            }
            AtomicFile.deleteQuietly(work);
        }
    }
}

package dev.tensorinit.cli;

import dev.tensorinit.FillRequest;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendStatus;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Fills one tensor (or a shard or tile of it) and writes it atomically to .npy, .safetensors or .bin. */
final class FillCommand implements Subcommand, Context.Aware {
    static final CommandSpec SPEC = new CommandSpec("fill",
            List.of("Fills a tensor and writes it to a file, atomically (temporary file, flush, then link, or rename with --force).",
                    "Values depend only on (seed, stream, global index, init, dtype): a shard or tile holds exactly "
                            + "the same values as that part of the whole tensor, on every backend and thread count."),
            options(),
            List.of("", "Examples:",
                    "  tensorinit fill --shape 4096x1024 --init xavier_uniform --seed 42 --out w.npy",
                    "  tensorinit fill --shape 50000x768 --init normal --std 0.02 --dtype bf16 \\",
                    "      --name embed.weight --out embed.safetensors",
                    "  tensorinit fill --shape 4096x1024 --init xavier_normal --range 0:2097152 \\",
                    "      --out shard0.npy",
                    "  tensorinit fill --shape 1024x4096 --init he_normal --layout jax \\",
                    "      --rows 0:512 --cols 2048:4096 --out tile.npy"));

    private static List<Opt> options() {
        List<Opt> o = new ArrayList<>(List.of(
                Opt.value("--shape", "DIMS", "Full tensor shape, e.g. 4096x1024 or 64,3,7,7.").asRequired(),
                Opt.value("--layout", "torch|jax", "Where the fans are: torch [out, in, *k] (default) or jax [*k, in, out]."),
                Opt.value("--init", "NAME", "xavier_uniform, xavier_normal, kaiming_uniform, "
                        + "kaiming_normal, trunc_normal, glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_uniform, lecun_normal, "
                        + "variance_scaling, uniform, normal, log_of_uniform, constant, zeros, ones.").asRequired(),
                Opt.value("--gain", "GAIN", "xavier_*: a number or linear|sigmoid|tanh|relu|leaky_relu:SLOPE|selu (default 1)."),
                Opt.value("--mode", "MODE", "kaiming_*: fan_in|fan_out; variance_scaling: fan_in|fan_out|fan_avg (default fan_in)."),
                Opt.value("--nonlinearity", "NAME", "kaiming_*: relu, leaky_relu (default), tanh, ..."),
                Opt.value("--distribution", "DIST", "variance_scaling: truncated_normal (default), normal (untruncated, JAX) "
                        + "= untruncated_normal (Keras), uniform."),
                Opt.value("--scale", "X", "variance_scaling: scale (default 1)."),
                Opt.value("--mean", "X", "normal, trunc_normal: mean (default 0)."),
                Opt.value("--std", "X", "normal, trunc_normal: standard deviation (default 1)."),
                Opt.value("--a", "X", "trunc_normal: lower bound (default -2, absolute); kaiming_*: negative slope (default 0)."),
                Opt.value("--b", "X", "trunc_normal: upper bound (default 2, absolute)."),
                Opt.value("--low", "X", "uniform: lower bound (default 0); log_of_uniform: required, above 0."),
                Opt.value("--high", "X", "uniform: upper bound (default 1); log_of_uniform: required."),
                Opt.value("--value", "X", "constant: the value (required)."),
                Opt.value("--seed", "N", "64-bit seed, decimal or 0x hex (default 0)."),
                Opt.value("--stream", "N", "64-bit stream id (default 0); one per tensor under a seed."),
                Opt.value("--name", "TENSOR_NAME", "Stream = first 8 bytes of SHA-256(name); also the safetensors tensor name (default weight)."),
                Opt.value("--dtype", "f32|f64|bf16|f16", "Element type (default f32)."),
                Opt.value("--backend", "auto|cpu|opencl|cuda", "Backend (default auto: the best available, "
                        + "or TENSORINIT_BACKEND when set)."),
                Opt.value("--threads", "N", "CPU backend threads (default: all processors, or TENSORINIT_CPU_THREADS)."),
                Opt.value("--range", "START:END", "Write only flat elements [START, END) of the row-major tensor (1-D file)."),
                Opt.value("--rows", "R0:R1", "With --cols: write the 2-D tile rows [R0, R1) x cols [C0, C1)."),
                Opt.value("--cols", "C0:C1", "With --rows: the tile's columns."),
                Opt.value("--out", "FILE", ".npy (f32, f64, f16), .safetensors (every dtype) or .bin (raw little-endian).").asRequired(),
                Opt.flag("--force", "Overwrite FILE if it exists."),
                Opt.VERBOSE,
                Opt.value("--buffer-memory", "SIZE", "Host memory for fill buffers, e.g. 64M or 1G "
                        + "(default 64M, or env TENSORINIT_BUFFER_MEMORY); the tensor streams through it, whatever its size."),
                // Hidden knobs so tests can exercise the piecewise paths on small tensors.
                Opt.value("--fill-piece", "N", "Elements per piece (default: from --buffer-memory).").asHidden(),
                Opt.value("--write-chunk", "BYTES", "Bytes per write call.").asHidden()));
        o.addAll(DeviceOptions.OPTIONS);
        return o;
    }

    private Context ctx;

    String shape, layout, init, gain, mode, nonlinearity, distribution, scale, mean, std, a, b, low, high, value, seed, stream,
            name, dtype, backend, range, rows, cols, bufferMemory;
    Integer threads;
    Path out;
    boolean force;
    long fillPiece; // elements per piece; 0: from --buffer-memory
    long writeChunk = SegmentWriter.DEFAULT_CHUNK;
    final DeviceOptions devices = new DeviceOptions();

    @Override public CommandSpec spec() { return SPEC; }

    @Override public void set(String option, String v) {
        switch (option) {
            case "--shape" -> shape = v;
            case "--layout" -> layout = v;
            case "--init" -> init = v;
            case "--gain" -> gain = v;
            case "--mode" -> mode = v;
            case "--nonlinearity" -> nonlinearity = v;
            case "--distribution" -> distribution = v;
            case "--scale" -> scale = v;
            case "--mean" -> mean = v;
            case "--std" -> std = v;
            case "--a" -> a = v;
            case "--b" -> b = v;
            case "--low" -> low = v;
            case "--high" -> high = v;
            case "--value" -> value = v;
            case "--seed" -> seed = v;
            case "--stream" -> stream = v;
            case "--name" -> name = v;
            case "--dtype" -> dtype = v;
            case "--backend" -> backend = v;
            case "--threads" -> threads = ArgParser.intValue(option, v);
            case "--range" -> range = v;
            case "--rows" -> rows = v;
            case "--cols" -> cols = v;
            case "--out" -> out = ArgParser.filePathValue(option, v);
            case "--force" -> force = true;
            case "--verbose" -> { } // Main reads -v/--verbose from the arguments: it must know even when parsing fails
            case "--buffer-memory" -> bufferMemory = v;
            case "--fill-piece" -> fillPiece = ArgParser.longValue(option, v);
            case "--write-chunk" -> writeChunk = ArgParser.longValue(option, v);
            default -> {
                if (!devices.set(option, v)) throw new IllegalStateException("fill has no option " + option);
            }
        }
    }

    @Override public void context(Context c) { ctx = c; }

    @Override public int call() throws IOException {
        FillPlan plan;
        BackendStatus chosen;
        StreamMemory memory;
        SegmentWriter segments;
        BackendOpener opener;
        try {
            plan = FillPlan.of(new FillPlan.Flags(shape, layout, init, initParams(), seed, stream, name, dtype, range, rows, cols, out));
            opener = new BackendOpener(devices.options(threads));
            AtomicFile.checkSettings();
            memory = StreamMemory.of(bufferMemory);
            if (fillPiece < 0) throw new IllegalArgumentException("--fill-piece must be >= 1, got " + fillPiece);
            if (fillPiece > 0) memory = new StreamMemory(Math.multiplyExact(fillPiece, plan.request().dtype().bytes()), memory.buffers());
            else memory.requireAvailable(bufferMemory, plan.request().byteSize(), dev.tensorinit.MachineMemory::available);
            segments = new SegmentWriter(writeChunk);
            opener.refuseMalformedSettings(backend);
            chosen = opener.choose(backend);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new UsageException(Main.message(e, true), e);
        }
        for (String note : opener.unusedDeviceFlags(backend, chosen, devices, threads)) ctx.err().println("tensorinit: note: " + note);
        long total = plan.header().length + plan.request().byteSize();   // fits: FillPlan checked it
        try (InterruptNotice interrupted = new InterruptNotice(ctx.err(), "nothing is written at " + Main.escaped(plan.out().toString())
                     + (force ? " (a file that was there stays as it was)" : "") + ", and the temporary file is removed");
             AtomicFile file = AtomicFile.create(plan.out(), force, note -> ctx.err().println("tensorinit: " + note))) {
            file.requireSpace(total); // before a backend (a GPU context, say) is even opened
            try (Backend be = opener.open(chosen, backend, note -> ctx.err().println("tensorinit: note: " + note));
                 TensorStream data = new TensorStream(be, memory, segments)) {
                write(file, plan, be, data, interrupted);
            }
        }
        return 0;
    }

    /**
     * Header first, then the data streamed through {@code data}, then the commit (fsync and rename), which ends
     * {@code interrupted} (an interrupt after it loses nothing), then the report.
     */
    private void write(AtomicFile file, FillPlan plan, Backend be, TensorStream data, InterruptNotice interrupted) throws IOException {
        FillRequest req = plan.request();
        byte[] header = plan.header();
        long t0 = System.nanoTime();
        ByteBuffer hb = ByteBuffer.wrap(header);
        while (hb.hasRemaining()) file.writer().write(hb);
        SampleStats.Collector sample = new SampleStats.Collector(req.dtype(), req.count(), SampleStats.DEFAULT_LIMIT);
        Progress bar = new Progress(ctx.err(), ctx.progress(), "write", header.length + req.byteSize());
        data.write(req, file.writer(), done -> bar.update(header.length + done), sample);
        long t1 = System.nanoTime();
        boolean direct = file.writesDirect();
        file.commit();
        interrupted.close();
        long t2 = System.nanoTime();
        bar.finish();
        report(ctx.out(), plan, file.target(), be, data.bufferBytes(), data.stats(), t2 - t0, t2 - t1, direct, sample.result());
    }

    /** Only the flags the user gave: core rejects a parameter its init does not take. */
    private Map<String, String> initParams() {
        Map<String, String> m = new LinkedHashMap<>();
        String[][] kv = {{"gain", gain}, {"mode", mode}, {"nonlinearity", nonlinearity}, {"distribution", distribution},
                {"scale", scale}, {"mean", mean}, {"std", std}, {"a", a}, {"b", b}, {"low", low}, {"high", high}, {"value", value}};
        for (String[] e : kv) if (e[1] != null) m.put(e[0], e[1]);
        return m;
    }

    private static void report(PrintWriter o, FillPlan p, Path written, Backend be, long bufferBytes, TensorStream.Stats st,
                               long totalNs, long flushNs, boolean direct, SampleStats s) {
        FillRequest r = p.request();
        long bytes = r.byteSize() + p.header().length;
        o.printf(Locale.ROOT, "backend   %s (%s)%n", be.name(), be.description());
        // Names and paths escaped as the error messages escape them: a line break in --name or --out split a report line.
        o.printf(Locale.ROOT, "tensor    %s %s %s, layout %s, seed %s, stream %s%n", Main.escaped(p.tensorName()), r.shape(), r.dtype().id(),
                r.layout().id(), Long.toUnsignedString(r.seed()), Long.toUnsignedString(r.stream()));
        o.printf(Locale.ROOT, "init      %s %s -> %s%n", r.init().name(), r.init().parameters(), p.distribution());
        o.printf(Locale.ROOT, "region    %s -> file shape %s%n", r.region(), java.util.Arrays.toString(p.fileShape()));
        o.printf(Locale.ROOT, "elements  %d%n", r.count());
        o.printf(Locale.ROOT, "bytes     %d data + %d header (%s)%n", r.byteSize(), p.header().length, Units.bytes(bytes));
        o.printf(Locale.ROOT, "fill      %s  %s  %s  (time in the backend)%n", Units.seconds(st.fillNanos()),
                Units.rate(r.count(), st.fillNanos(), "elements/s"), Units.rate(r.byteSize(), st.fillNanos(), "B/s"));
        o.printf(Locale.ROOT, "write     %s  %s  (first fill to file on disk, %s, %d piece(s): %s waiting for fills, %s flushing)%n",
                Units.seconds(totalNs), Units.rate(bytes, totalNs, "B/s"), direct ? "direct I/O" : "page cache", st.pieces(),
                Units.seconds(st.waitNanos()), Units.seconds(flushNs));
        java.util.OptionalLong peak = PeakMemory.bytes();
        o.printf(Locale.ROOT, "memory    %s buffers; peak resident %s (the whole process)%n",
                Units.bytes(bufferBytes),
                peak.isPresent() ? Units.bytes(peak.getAsLong()) : "unknown");
        Moments m = Moments.of(p.distribution());
        o.printf(Locale.ROOT, "sample    mean %+.6g  std %.6g  min %+.6g  max %+.6g  (%d evenly spaced elements)%n",
                s.mean(), s.std(), s.min(), s.max(), s.n());
        // The reach too: f32 ends a normal at ±5.29σ and clamps a truncated normal's far tail at 5.54σ, so a support of
        // [4.1, 10] showed values up to 5.54 only (0.07% of them exactly there) with nothing said.
        // (Normals only: a uniform's lattice ends a 2^-24 of its span inside its bounds, which says nothing.)
        var k = r.kernelArgs();
        double[] reach = k.reach();
        boolean tails = k.kind() == dev.tensorinit.kernel.KernelArgs.Kind.NORMAL || k.kind() == dev.tensorinit.kernel.KernelArgs.Kind.TRUNC_NORMAL;
        o.printf(Locale.ROOT, "expected  mean %+.6g  std %.6g  support [%.6g, %.6g]%s%n", m.mean(), m.std(), m.low(), m.high(),
                tails && (reach[0] > m.low() || reach[1] < m.high())
                        ? String.format(Locale.ROOT, ", values reach [%.6g, %.6g] in %s (docs/determinism.md)", reach[0], reach[1], r.dtype().id())
                        : "");
        o.printf(Locale.ROOT, "wrote     %s%n", Main.escaped(written.toString())); // --out's folder resolved through the file system
    }
}

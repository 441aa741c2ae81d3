package dev.tensorinit.cli;

import dev.tensorinit.DType;
import dev.tensorinit.Settings;
import dev.tensorinit.cli.model.CheckpointWriter;
import dev.tensorinit.cli.model.DryRun;
import dev.tensorinit.cli.model.IndexFile;
import dev.tensorinit.cli.model.Leftover;
import dev.tensorinit.cli.model.MaxShardSize;
import dev.tensorinit.cli.model.ModelPlan;
import dev.tensorinit.cli.model.PlannedFile;
import dev.tensorinit.cli.model.RateProgress;
import dev.tensorinit.cli.model.Scheme;
import dev.tensorinit.cli.model.ShardSelection;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendOptions;
import dev.tensorinit.spi.BackendStatus;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Writes a whole Hugging Face checkpoint (safetensors shards, index, config.json) for a config.json.
 * The planning lives in {@code dev.tensorinit.cli.model}; this class holds the flags and connects the
 * plan to the CLI's backend, TensorStream and AtomicFile (package-private here, so it sits beside them).
 */
final class ModelCommand implements Subcommand, Context.Aware {
    static final CommandSpec SPEC = new CommandSpec("model",
            List.of("Writes a freshly initialized Hugging Face checkpoint for a config.json (llama, mistral, qwen2, qwen3, gemma, gemma2, gemma3_text, phi3, olmo2, olmo3, smollm3, granite, granitemoe, granitemoeshared, ministral3, seed_oss, nanochat, mixtral, qwen2_moe, qwen3_moe, olmoe, minimax_m2, deepseek_v2, deepseek_v3, deepseek_v32, glm4_moe_lite, glm4_moe, gpt_oss, llama4_text, gpt2, qwen3_next, qwen3_5_text, qwen3_5_moe_text, bert, gemma4_text, gpt_neox, phi, starcoder2): "
                    + "the tensors, names, shapes and dtype of the model class's state_dict, in safetensors shards as save_pretrained "
                    + "writes them, plus the index and a copy of config.json.",
                    "Each tensor's stream is the SHA-256 of its name: any tensor equals `tensorinit fill --name NAME` with the same "
                            + "init and seed. Reruns keep the files that are already complete; --shard I/N splits the work between machines."),
            options(),
            List.of("", "Examples:",
                    "  tensorinit model --config llama3-8b.json --out ckpt --dtype bf16 --seed 42",
                    "  tensorinit model --config config.json --out ckpt --dry-run",
                    "  for i in 1 2 3 4; do tensorinit model --config config.json --out ckpt --shard $i/4 & done; wait"));

    private static List<Opt> options() {
        List<Opt> o = new ArrayList<>(List.of(
                Opt.value("--config", "FILE", "A Hugging Face config.json (local file), or a folder holding one.").asRequired(),
                Opt.value("--out", "DIR", "Output folder (created if missing).").asRequired(),
                Opt.value("--dtype", "f32|bf16|f16", "Element type (default: the config's dtype/torch_dtype, else f32)."),
                Opt.value("--scheme", "NAME", "hf (default: what the class's _init_weights does), xavier_uniform, "
                        + "xavier_normal, kaiming_uniform, kaiming_normal, glorot_uniform, glorot_normal, he_normal, lecun_normal."),
                Opt.value("--seed", "N", "64-bit seed, decimal or 0x hex (default 0)."),
                Opt.value("--max-shard-size", "SIZE", "Largest shard, Hugging Face units: 5GB = 5*10^9 bytes, "
                        + "5GiB = 5*2^30, or bytes (default 5GB). A larger tensor gets a shard of its own."),
                Opt.value("--shard", "I/N", "Write only the shards of machine I of N (shards I, I+N, ...)."),
                Opt.value("--backend", "auto|cpu|opencl|cuda", "Backend (default auto: the best available, or TENSORINIT_BACKEND when set)."),
                Opt.value("--threads", "N", "CPU backend threads (default: all processors, or TENSORINIT_CPU_THREADS)."),
                Opt.value("--buffer-memory", "SIZE", "Memory for the streaming buffers in all, e.g. 64M or 1G "
                        + "(default 64M, or env TENSORINIT_BUFFER_MEMORY); every tensor streams through it, whatever its size."),
                Opt.flag("--dry-run", "Print the tensor table and totals; write nothing."),
                Opt.flag("--force", "Rewrite files that already exist and remove another shard layout's (default: keep "
                        + "complete ones from the same run, refuse others)."),
                Opt.VERBOSE));
        o.addAll(DeviceOptions.OPTIONS);
        return o;
    }

    private Context ctx;

    Path config, out;
    String dtype, scheme, seed, shard, backend, bufferMemory;
    String maxShardSize = "5GB";
    Integer threads;
    boolean dryRun, force;
    final DeviceOptions devices = new DeviceOptions();

    @Override public CommandSpec spec() { return SPEC; }

    @Override public void set(String option, String v) {
        switch (option) {
            case "--config" -> {   // a file, or a model folder with a config.json
                config = ArgParser.pathValue(option, v);
                if (v.endsWith("/") && !java.nio.file.Files.isDirectory(config)) {
                    throw new UsageException("option " + option + " '" + v + "' ends in '/', which names a folder, and there is none; "
                            + "give a config.json or a folder holding one");
                }
            }
            case "--out" -> out = ArgParser.pathValue(option, v);
            case "--dtype" -> dtype = v;
            case "--scheme" -> scheme = v;
            case "--seed" -> seed = v;
            case "--max-shard-size" -> maxShardSize = v;
            case "--shard" -> shard = v;
            case "--backend" -> backend = v;
            case "--threads" -> threads = ArgParser.intValue(option, v);
            case "--buffer-memory" -> bufferMemory = v;
            case "--dry-run" -> dryRun = true;
            case "--force" -> force = true;
            case "--verbose" -> { } // Main reads -v/--verbose from the arguments: it must know even when parsing fails
            default -> {
                if (!devices.set(option, v)) throw new IllegalStateException("model has no option " + option);
            }
        }
    }

    @Override public void context(Context c) { ctx = c; }

    /**
     * A checkpoint's tensors are the philox engine's values: each equals {@code fill --name} on any backend, and its
     * shards, whose headers record seed, scheme and config, can be checked against each other. cuRAND's engine (not
     * bit-identical) would break both unseen, so --cuda-engine curand is refused and the setting does not apply here.
     */
    private BackendOptions philoxOnly(BackendOptions o) {
        if (o.cudaEngine() != null && !o.cudaEngine().strip().equalsIgnoreCase("philox")) {
            throw new IllegalArgumentException("--cuda-engine " + o.cudaEngine() + ": model writes the philox engine's values (each "
                    + "tensor equals fill --name, on every backend); the curand engine is for fill");
        }
        String setting = Settings.get(Settings.CUDA_ENGINE);
        if (setting != null && !setting.equalsIgnoreCase("philox")) {
            ctx.err().println("tensorinit: note: model uses the philox engine (each tensor equals fill --name); "
                    + Settings.envName(Settings.CUDA_ENGINE) + "=" + setting + " applies to fill only");
        }
        return o.withCudaEngine("philox");
    }

    /** The folders this call made for the checkpoint: removed at its end if it left nothing in them. */
    private MadeFolders madeFolders;

    @Override public int call() throws IOException {
        try {
            return write();
        } finally {
            if (madeFolders != null) madeFolders.close();
            madeFolders = null;
        }
    }

    private int write() throws IOException {
        ModelPlan plan;
        BackendOpener opener;
        BackendStatus chosen = null;
        StreamMemory memory;
        try {
            opener = new BackendOpener(philoxOnly(devices.options(threads)));
            memory = StreamMemory.of(bufferMemory);
            ModelPlan.Flags flags = new ModelPlan.Flags(config, dtype == null ? null : DType.parse(dtype),
                    scheme == null ? Scheme.HF : Scheme.parse(scheme), seed == null ? 0 : Numbers.u64("--seed", seed),
                    MaxShardSize.parse(maxShardSize), shard == null ? ShardSelection.ALL : ShardSelection.parse(shard));
            try {
                plan = ModelPlan.of(flags);
            } catch (java.io.UncheckedIOException e) {   // the config could not be read: worded as the command's other file errors
                throw new UsageException(e.getMessage() + " (" + Main.message(e.getCause(), false) + ")", e);
            }
            // Resolved through the file system, as the kernel would (links, ..); a file in the way is a usage error.
            out = OutputPaths.folder(out);
            AtomicFile.checkSettings();   // a malformed file setting stops the run before the folder is made
            if (!dryRun) {
                opener.refuseMalformedSettings(backend);
                chosen = opener.choose(backend);
            }
            if (plan.droppedQuantization()) {
                ctx.err().println("tensorinit: note: the config's quantization_config is left out of the checkpoint's config.json: "
                        + "the weights are written unquantized (" + plan.dtype().id() + "), and a loader reading it would expect "
                        + "quantized tensors");
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new UsageException(Main.message(e, true), e);
        }
        if (chosen != null) {
            for (String note : opener.unusedDeviceFlags(backend, chosen, devices, threads)) ctx.err().println("tensorinit: note: " + note);
        }
        PrintWriter o = ctx.out();
        if (dryRun) {
            DryRun.print(plan, o);
            // What the real run would find in the way (it refuses those without --force, and removes them with it).
            for (Leftover l : Leftover.find(plan, out)) {
                o.println("note      " + l.file() + " " + l.why() + (l.misleading() ? "; the run refuses it without --force"
                        : "") + "; --force removes it");
            }
            for (var f : plan.files(out)) {   // the run's own names: a folder is refused, a file that differs needs --force
                if (Files.isDirectory(f.target(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    o.println("note      " + f.target() + " is a folder, which the run refuses with or without --force");
                } else if (!force && f.state() instanceof dev.tensorinit.cli.model.FileState.Differs d) {
                    o.println("note      " + f.target() + " exists and " + d.why() + "; the run refuses it without --force, "
                            + "which rewrites it");
                }
            }
            if (!force && !plan.selection().isAll()) {   // another machine's shard that this machine's flags do not match
                for (var m : CheckpointWriter.mismatched(plan.otherMachinesShards(out), plan.selection())) {
                    o.println("note      " + m.file() + " " + m.why() + "; the run refuses it without --force");
                }
            }
            return 0;
        }
        // Refusals first, before anything in the folder changes.
        List<Leftover> leftovers = Leftover.find(plan, out);
        if (!force) Leftover.refuseMisleading(leftovers);
        // Another machine's shard first: its refusal names the flag that differs, where config.json's (whose copy names
        // the dtype) could only say that it differs.
        boolean checkOthers = !force && !plan.selection().isAll();
        if (checkOthers) {
            CheckpointWriter.refuseMixed(plan.otherMachinesShards(out), plan.selection(), false);
            CheckpointWriter.refuseOtherLayout(leftovers, plan);
        }
        List<CheckpointWriter.Step> steps = CheckpointWriter.decide(plan.files(out), force);
        // Before the space check: a killed run's temporary file may be what fills the disk.
        if (Files.isDirectory(out)) StaleTemps.clean(out, this::notice);
        long toWriteAll = steps.stream().filter(s -> s.action() == CheckpointWriter.Action.WRITE).mapToLong(s -> s.file().bytes()).sum();
        // Before the folder is made: a checkpoint that cannot fit leaves nothing behind.
        DiskSpace.require(out, toWriteAll, "writing the checkpoint");
        long toWrite = steps.stream().filter(s -> s.action() == CheckpointWriter.Action.WRITE && s.file() instanceof PlannedFile.ShardFile)
                .mapToLong(s -> s.file().bytes()).sum();
        try {   // what this machine writes, not the whole plan: a resumed run or another machine's part may write nothing
            memory.requireAvailable(bufferMemory, toWrite, dev.tensorinit.MachineMemory::available);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        // Before the folder is made too: a backend that cannot start (no fallback left) leaves no empty folder behind.
        Backend be = toWrite > 0 ? opener.open(chosen, backend, note -> ctx.err().println("tensorinit: note: " + note)) : null;
        try {
            madeFolders = MadeFolders.create(out);
        } catch (IOException | RuntimeException e) {
            if (be != null) {
                try {
                    be.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);   // the folder's failure is the one to report
                }
            }
            throw e;
        }
        o.printf(Locale.ROOT, "model     %s -> %s, %d tensors, %d parameters, %s, scheme %s, seed %s%n", plan.config().type().id(),
                plan.config().type().hfClass(), plan.tensors().size(), plan.parameters(), plan.dtype().id(), plan.scheme().id(),
                Long.toUnsignedString(plan.seed()));
        if (!plan.selection().isAll()) {
            long mine = steps.stream().filter(s -> s.file() instanceof PlannedFile.ShardFile).count();
            o.printf(Locale.ROOT, "machine   %s of the run: %d of %d shard(s)%n", plan.selection(), mine, plan.shards().size());
        }
        Path index = out.resolve(IndexFile.NAME);
        boolean indexRemoved = false;
        long t0 = System.nanoTime();
        long written = 0;
        int wrote = 0, kept = 0, removed = 0;
        List<Path> mine = new ArrayList<>();   // the layout's files this run wrote (not config.json, which layouts share)
        // One TensorStream for the whole run: it owns how tensor bytes are produced and streamed, and its buffers.
        try (InterruptNotice interrupted = new InterruptNotice(ctx.err(), whatStays(0));
             TensorStream stream = be == null ? null : new TensorStream(be, memory)) {
            // --force rewrites the files in place one by one, and the index names the same files whatever the seed: kept
            // until the end, an interrupted or failed run (disk full) left a folder that loaded silently with shards of two
            // runs. Without an index it does not load until a run completes and writes it again.
            indexRemoved = force && plan.shards().size() > 1 && Files.deleteIfExists(index);
            if (be != null) o.printf(Locale.ROOT, "backend   %s (%s)%n", be.name(), be.description());
            CheckpointWriter writer = new CheckpointWriter(
                    (requests, channel, progress) -> stream.writeAll(requests, channel, progress),   // null when nothing is written
                    (target, bytes) -> sink(target, bytes, force, this::notice), force);
            RateProgress progress = new RateProgress(ctx.err(), ctx.progress(), toWrite);
            for (CheckpointWriter.Step s : steps) {
                if (s.action() == CheckpointWriter.Action.KEEP) {
                    kept++;
                    interrupted.whatStays(whatStays(wrote + kept));
                    progress.clear();
                    o.printf(Locale.ROOT, "kept      %s (already complete)%n", s.file().target());
                    continue;
                }
                if (force && s.file().target().equals(index)) {
                    // A forced --shard machine: another machine's shard may still be the old run's (that machine stopped
                    // midway, or has not reached it). The index would make that mix load; the last machine writes it.
                    Path stale = firstShardNotThisRuns(plan);
                    if (stale != null && plan.selection().isAll()) {
                        // No other machine of this run writes here: another run replaced this run's shard meanwhile.
                        throw new IOException(stale + " is not this run's any more (another run writing this folder at the same "
                                + "time?); the index is not written, so the folder does not load a mix of the two");
                    }
                    if (stale != null) {
                        progress.clear();
                        o.printf(Locale.ROOT, "skipped   %s: %s is not this run's yet; the machine that completes the checkpoint "
                                + "writes the index%n", index, stale);
                        continue;
                    }
                }
                try {
                    writer.write(s.file(), progress::advance);
                } catch (IOException e) {
                    progress.clear();   // the error's line starts a line of its own
                    // Another run's file at one of this run's names: was it writing another layout? Then withdraw.
                    if (e instanceof FileAlreadyExistsException) withdrawIfAnotherLayoutAppeared(leftovers, plan, mine, e);
                    // Name the file and what stays: complete files are kept, and a rerun keeps them.
                    int complete = wrote + kept;
                    String m = Main.message(e, false), target = Main.escaped(s.file().target().toString());
                    if (!m.contains(target)) m = "writing " + target + ": " + m; // AtomicFile's name it
                    String stay = indexRemoved
                            ? " (the old index is removed: the folder does not load until a run with --force completes it"
                            + (complete == 0 ? ")" : "; the " + complete + " file(s) before it are complete)")
                            : complete == 0 ? "" : " (the " + complete + " complete file(s) before it stay; a rerun keeps them)";
                    throw new IOException(m + stay, e);
                }
                if (!s.file().target().equals(out.resolve(ModelPlan.CONFIG_NAME))) mine.add(s.file().target());
                written += s.file().bytes();
                wrote++;
                interrupted.whatStays(whatStays(wrote + kept));
                progress.clear();
                o.printf(Locale.ROOT, "wrote     %s  %d bytes%n", Main.escaped(s.file().target().toString()), s.file().bytes());
            }
            progress.finish();
        } finally {
            if (be != null) be.close();
        }
        // Again now: a machine with other flags may have renamed its shards in meanwhile. Of two such machines in one
        // folder, the later to finish sees the other's files here, so the mix never goes unreported.
        if (checkOthers) CheckpointWriter.refuseMixed(plan.otherMachinesShards(out), plan.selection(), true);
        withdrawIfAnotherLayoutAppeared(leftovers, plan, mine, null);
        double secs = (System.nanoTime() - t0) / 1e9;
        // Only now that this run's files are complete: until here an interrupted run left the old layout loadable.
        for (Leftover l : force ? leftovers : List.<Leftover>of()) {
            try {
                if (!Files.deleteIfExists(l.file())) continue; // another machine of a --shard run was first
            } catch (IOException e) {
                throw new IOException("this run's files are complete, but " + l.file() + " " + l.why() + " and cannot be removed ("
                        + Main.message(e, false) + ")", e);
            }
            removed++;
            o.printf(Locale.ROOT, "removed   %s: it %s%n", l.file(), l.why());
        }
        // Left alone without --force, but said: a plain rerun after an interrupted --force re-shard kept 16 GB of the old
        // layout's shards beside the new ones with nothing printed (a dry run names them).
        if (!force) {
            for (Leftover l : leftovers) {
                if (Files.exists(l.file(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    o.printf(Locale.ROOT, "note      %s %s; left alone: delete it, or rerun with --force (which also rewrites "
                            + "this run's files)%n", Main.escaped(l.file().toString()), l.why());
                }
            }
        }
        String removedText = removed == 0 ? "" : ", " + removed + " removed";
        if (written == 0) {
            o.printf(Locale.ROOT, "done      0 file(s) written, %d kept%s%n", kept, removedText);
        } else {
            o.printf(Locale.ROOT, "done      %d file(s) written, %d kept%s; %d bytes in %.2f s (%.3f GB/s, flushed to disk)%n", wrote, kept,
                    removedText, written, secs, written / secs / 1e9);
        }
        return 0;
    }

    /**
     * Another run that wrote another layout into this folder while this one ran (another --max-shard-size or --dtype,
     * same seed or not): each had checked the folder before writing, and both reported success over a folder that
     * loaded one run's single file (transformers takes model.safetensors before an index) under the other's name. The
     * run that finds the other's files at its end withdraws the layout files it wrote, so the folder holds the other
     * run's checkpoint alone, and fails; of two runs finishing at once both may withdraw, and both fail. {@code cause}:
     * the conflict that stopped this run (its config.json differed), or null at the end of a complete run.
     */
    private void withdrawIfAnotherLayoutAppeared(List<Leftover> atStart, ModelPlan plan, List<Path> mine, IOException cause)
            throws IOException {
        List<Leftover> appeared;
        try {
            appeared = Leftover.appearedSince(atStart, plan, out);
        } catch (IOException | RuntimeException listing) {
            if (cause == null) throw listing;
            cause.addSuppressed(listing);   // the conflict that stopped the run is the one to report
            return;
        }
        if (appeared.isEmpty()) return;
        List<String> withdrawn = new ArrayList<>(), stuck = new ArrayList<>();
        for (Path f : mine) {
            try {
                if (Files.deleteIfExists(f)) withdrawn.add(f.getFileName().toString());
            } catch (IOException e) {
                stuck.add(f.getFileName() + " (" + Main.message(e, false) + ")");
            }
        }
        Leftover first = appeared.get(0);
        String outcome = !stuck.isEmpty()
                ? "this run could not remove " + String.join(", ", stuck) + ", so the folder holds files of both runs: remove one run's"
                : (withdrawn.isEmpty() ? "this run wrote none of its layout's files" : "this run removed the " + withdrawn.size()
                        + " file(s) it wrote (" + String.join(", ", withdrawn) + ")") + ", so the folder holds the other run's checkpoint";
        IOException e = new IOException(first.file() + " appeared while this run wrote its files and " + first.why()
                + " (another run writing into this folder with another --max-shard-size or --dtype); " + outcome);
        if (cause != null) e.addSuppressed(cause);
        throw e;
    }

    /** The first shard of the whole plan in the folder whose size or header is not this run's (missing ones pass), or null. */
    private Path firstShardNotThisRuns(ModelPlan plan) throws IOException {
        List<PlannedFile.ShardFile> all = new ArrayList<>(plan.otherMachinesShards(out));
        for (PlannedFile f : plan.files(out)) if (f instanceof PlannedFile.ShardFile s) all.add(s);
        for (PlannedFile.ShardFile f : all) {
            if (Files.isRegularFile(f.target()) && f.state() instanceof dev.tensorinit.cli.model.FileState.Differs) return f.target();
        }
        return null;
    }

    /** As fill's: a temporary file of a killed run that is removed is said on stderr. */
    /** What an interrupt leaves, once {@code complete} of this run's files are complete. */
    private String whatStays(int complete) {
        return complete + " file(s) of this run are complete and stay; " + (force
                ? "the folder may not load until the same command (which rewrites them) completes"
                : "the same command again keeps them and writes the rest");
    }

    private void notice(String note) {
        ctx.err().println("tensorinit: " + note);
    }

    /**
     * AtomicFile as the model writer's sink. With {@code force} it replaces what is at the name; without, the plan found
     * the name free, and the commit refuses (FileAlreadyExistsException) a file that took it meanwhile, for the writer
     * to judge (another identical run's file is fine). Each file checks its own space too: the disk may have filled
     * since the run's check.
     */
    static CheckpointWriter.Sink sink(Path target, long bytes, boolean force, Consumer<String> notices) throws IOException {
        AtomicFile f = force ? AtomicFile.create(target, true, notices) : AtomicFile.createNoReplace(target, notices);
        try {
            f.requireSpace(bytes);
        } catch (IOException e) {
            f.close();
            throw e;
        }
        return new CheckpointWriter.Sink() {
            @Override public WritableByteChannel channel() { return f.writer(); }   // written behind, as fill's
            @Override public void commit() throws IOException { f.commit(); }
            @Override public void close() { f.close(); }
        };
    }
}

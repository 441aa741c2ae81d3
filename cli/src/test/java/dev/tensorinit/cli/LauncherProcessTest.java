package dev.tensorinit.cli;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.Streams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Through a real ./tensorinit process (the script at the repository root), with TENSORINIT_NO_BUILD=1
 * so it runs the classes this build just compiled instead of rebuilding inside the test.
 */
class LauncherProcessTest {
    static final Path SCRIPT = Path.of("..", "tensorinit").toAbsolutePath().normalize();

    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    static Process startWith(Path cwd, String backendEnv, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().put("TENSORINIT_NO_BUILD", "1");
        pb.environment().remove("TENSORINIT_BACKEND");
        pb.environment().remove("LD_PRELOAD"); // as a user's shell: the launcher must add libjsig itself
        if (backendEnv != null) pb.environment().put("TENSORINIT_BACKEND", backendEnv);
        return pb.start();
    }

    static Run run(Path cwd, String... args) throws Exception {
        return runWith(cwd, null, args);
    }

    static Run runWith(Path cwd, String backendEnv, String... args) throws Exception {
        return finish(startWith(cwd, backendEnv, args));
    }

    static Run finish(Process p) throws Exception {
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process finished");
        return new Run(p.exitValue(), out, err.get());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test void backendsAndVersion() throws Exception {
        Run b = run(dir, "backends");
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().lines().anyMatch(l -> l.matches("cpu +available +\\d+ .*")), b.out());
        assertEquals("", b.err(), "nothing on stderr (the JVM's incubator notice is filtered when stderr is not a terminal)");
        Run v = run(dir, "--version");
        assertTrue(v.out().startsWith("tensorinit " + Version.get()), v.out());
    }

    @Test void fillThroughTheLauncherMatchesTheReference() throws Exception {
        Run r = run(dir, "fill", "--shape", "96x80", "--init", "xavier_normal", "--gain", "tanh", "--name", "enc.w",
                "--seed", "77", "--out", "w.npy");
        assertEquals(0, r.code(), r.err());
        FillRequest req = new FillRequest(Shape.of(96, 80), Layout.TORCH, InitSpec.xavierNormal(5.0 / 3.0), DType.F32, 77,
                Streams.ofName("enc.w"), Region.whole());
        TensorFiles.Parsed p = TensorFiles.npy(dir.resolve("w.npy"));
        assertArrayEquals(TensorFiles.reference(req), p.data());
        for (String key : List.of("backend", "elements", "bytes", "fill", "write", "memory", "sample", "expected")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(key + " ")), key + " line in:\n" + r.out());
        }
        assertTrue(r.out().contains("elements/s"), r.out());
    }

    /** Under a C locale the JVM decoded a non-ASCII --name as U+FFFD: another stream, and three names gave one tensor. */
    @Test void aNonAsciiNameKeepsItsStreamUnderACLocale() throws Exception {
        // The last: a UTF-8 locale that is named but not installed here (the C library falls back to ASCII).
        // And a UTF-8 character type beside a category that is not installed, which makes the C library drop all of them.
        for (String[] locale : new String[][] {{"LC_ALL", "C"}, {"LANG", "POSIX"}, {"LC_ALL", ""}, {"LANG", "xx_YY.UTF-8"},
                {"LC_MESSAGES", "xx_YY.UTF-8", "LANG", "C.UTF-8"}}) {
            ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "fill", "--shape", "8x8", "--init", "normal",
                    "--name", "ü.w", "--out", "n.npy", "--force").directory(dir.toFile());
            pb.environment().put("TENSORINIT_NO_BUILD", "1");
            pb.environment().remove("LD_PRELOAD");
            for (String v : List.of("LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LANG")) pb.environment().remove(v);
            for (int i = 0; i < locale.length; i += 2) pb.environment().put(locale[i], locale[i + 1]);
            Run r = finish(pb.start());
            assertEquals(0, r.code(), r.err());
            FillRequest req = FillRequest.of(Shape.of(8, 8), InitSpec.normal(0, 1)).withName("ü.w");
            assertArrayEquals(TensorFiles.reference(req), TensorFiles.npy(dir.resolve("n.npy")).data(), locale[0] + "=" + locale[1]);
        }
    }

    /**
     * The launcher's stderr filter is a process of its own, which could still be writing after the command had exited
     * (an empty {@code 2>err.txt} at exit, 1 run in 40 under load). The command's own lines bypass it: with a filter
     * that swallows everything (a grep first on PATH), the error line still arrives, and at once.
     */
    @Test void theCommandsOwnLinesDoNotWaitForTheFilter() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("grep"), "#!/bin/sh\ncat >/dev/null\n").toFile().setExecutable(true);
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "fill", "--shape", "8x8", "--init", "glorot",
                "--out", "n.npy").directory(dir.toFile());
        pb.environment().put("TENSORINIT_NO_BUILD", "1");
        pb.environment().remove("LD_PRELOAD");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Run r = finish(pb.start());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("tensorinit: unknown init 'glorot'"), r.err());
    }

    /** A locale(1) that fails must not end the launcher (set -e): it then runs the JVM with C.UTF-8 as for ASCII. */
    @Test void aFailingLocaleProgramDoesNotStopTheLauncher() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fake = Files.writeString(bin.resolve("locale"), "#!/bin/sh\necho broken >&2\nexit 3\n");
        fake.toFile().setExecutable(true);
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "fill", "--shape", "8x8", "--init", "normal",
                "--name", "ü.w", "--out", "n.npy").directory(dir.toFile());
        pb.environment().put("TENSORINIT_NO_BUILD", "1");
        pb.environment().remove("LD_PRELOAD");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Run r = finish(pb.start());
        assertEquals(0, r.code(), r.err());
        FillRequest req = FillRequest.of(Shape.of(8, 8), InitSpec.normal(0, 1)).withName("ü.w");
        assertArrayEquals(TensorFiles.reference(req), TensorFiles.npy(dir.resolve("n.npy")).data());
    }

    /** cron, systemd units and env -i leave HOME unset: find-jdk.sh (sourced under set -u) stopped on "$HOME". */
    @Test void theLauncherRunsWithoutHome() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "--version").directory(dir.toFile());
        pb.environment().put("TENSORINIT_NO_BUILD", "1");
        pb.environment().remove("HOME");
        Run r = finish(pb.start());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("tensorinit " + Version.get()), r.out());
    }

    /**
     * Through a chain of symlinks (~/bin/tensorinit -> the checkout's, one of them relative) the launcher looked for
     * scripts/find-jdk.sh beside the link. And an exported CDPATH made its cd print the folder into ROOT.
     */
    @Test void theLauncherRunsThroughASymlinkAndUnderCdpath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("ti"), SCRIPT);
        Files.createSymbolicLink(bin.resolve("ti2"), Path.of("ti"));
        ProcessBuilder pb = new ProcessBuilder(bin.resolve("ti2").toString(), "--version").directory(dir.toFile());
        pb.environment().put("TENSORINIT_NO_BUILD", "1");
        Run r = finish(pb.start());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("tensorinit " + Version.get()), r.out());

        Path checkout = SCRIPT.getParent();
        pb = new ProcessBuilder(checkout.getFileName() + "/tensorinit", "--version").directory(checkout.getParent().toFile());
        pb.environment().put("TENSORINIT_NO_BUILD", "1");
        pb.environment().put("CDPATH", checkout.getParent().toString());
        r = finish(pb.start());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("tensorinit " + Version.get()), r.out());
    }

    /** With stdout and stderr closed (>&- 2>&-) the launcher's `3>&2` failed: exit 1 before the command ran. Now it runs. */
    @Test void closedStandardDescriptorsDoNotStopTheLauncher() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "exec \"$0\" \"$@\" <&- >&- 2>&-", SCRIPT.toString(),
                "fill", "--shape", "8x8", "--init", "ones", "--out", "o.npy").directory(dir.toFile());
        pb.environment().put("TENSORINIT_NO_BUILD", "1");
        Run r = finish(pb.start());
        assertEquals(1, r.code(), "the command ran, and its report could not be written");
        assertArrayEquals(TensorFiles.reference(FillRequest.of(Shape.of(8, 8), InitSpec.ones())),
                TensorFiles.npy(dir.resolve("o.npy")).data());
        pb = new ProcessBuilder("bash", "-c", "exec \"$0\" \"$@\" >&-", SCRIPT.toString(), "--version").directory(dir.toFile());
        pb.environment().put("TENSORINIT_NO_BUILD", "1");
        r = finish(pb.start());
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("tensorinit: writing to standard output failed: "), r.err());   // (strerror's words)
    }

    /** Output that cannot be written (a full disk: /dev/full) is a failure: one line, exit 1, not a silent 0. */
    @Test void aStdoutThatCannotBeWrittenFailsTheCommand() throws Exception {
        for (String cmd : List.of("backends", "--version")) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", "exec \"$0\" \"$@\" >/dev/full", SCRIPT.toString(), cmd)
                    .directory(dir.toFile());
            pb.environment().put("TENSORINIT_NO_BUILD", "1");
            Run r = finish(pb.start());
            assertEquals(1, r.code(), cmd + ": " + r.err());
            assertEquals(1, r.err().lines().count(), cmd + ": " + r.err());
            assertTrue(r.err().startsWith("tensorinit: writing to standard output failed: "), cmd + ": " + r.err());
        }
        // A reader that stops early (| head -1) wants no more: that is no failure.
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "\"$0\" \"$@\" | head -c 1 >/dev/null; exit ${PIPESTATUS[0]}",
                SCRIPT.toString(), "backends").directory(dir.toFile());
        pb.environment().put("TENSORINIT_NO_BUILD", "1");
        Run r = finish(pb.start());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
    }

    /** ld.so splits LD_PRELOAD at spaces: JAVA_HOME through a path with one gave ld.so errors and no libjsig. */
    @Test void aJavaHomeWithASpaceStillGetsSignalChaining() throws Exception {
        Path jdk = Files.createSymbolicLink(dir.resolve("my jdk"), Path.of(System.getProperty("java.home")));
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "backends").directory(dir.toFile());
        pb.environment().put("TENSORINIT_NO_BUILD", "1");
        pb.environment().remove("LD_PRELOAD");
        pb.environment().put("JAVA_HOME", jdk.toString());
        Run r = finish(pb.start());
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("LD_PRELOAD"), r.err());
        if (Files.exists(jdk.resolve("lib/libjsig.so"))) assertTrue(r.out().contains("signal chaining (libjsig) active"), r.out());
    }

    @Test void badFlagThroughTheLauncherIsOneLine() throws Exception {
        Run r = run(dir, "fill", "--shape", "96x80", "--init", "glorot", "--out", "w.npy");
        assertEquals(2, r.code());
        assertEquals(List.of("tensorinit: unknown init 'glorot' (expected one of " + String.join(", ", dev.tensorinit.Inits.NAMES) + ")"),
                r.err().lines().toList());
        assertEquals(List.of(), FillCommandTest.list(dir));
    }

    /**
     * A disk that refuses a write (here the file-size limit, EFBIG, standing in for a full disk: both reach the writer
     * as an IOException from the kernel) ends the command with one line naming the file, exit 1, and no file left:
     * neither the target nor the temporary file. 4 MiB stays in the page cache; 48 MiB goes through direct writes.
     */
    @Test void aRefusedWriteNamesTheFileAndLeavesNothing() throws Exception {
        for (String shape : List.of("1024x1024", "4096x3072")) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", "ulimit -f 1024 && exec \"$0\" \"$@\"", SCRIPT.toString(),
                    "fill", "--shape", shape, "--init", "normal", "--out", "w.npy").directory(dir.toFile());
            pb.environment().put("TENSORINIT_NO_BUILD", "1");
            Run r = finish(pb.start());
            assertEquals(1, r.code(), r.err());
            assertEquals(List.of("tensorinit: writing " + dir.toRealPath().resolve("w.npy")
                    + " failed: File too large"), r.err().lines().toList(), shape);
            assertEquals(List.of(), FillCommandTest.list(dir), shape);
        }
        // tensorinit model names the shard once (its own "writing F: ..." no longer wraps the writer's).
        Path config = Path.of("src/test/resources/model/llama-gqa.json").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "ulimit -f 300 && exec \"$0\" \"$@\"", SCRIPT.toString(),
                "model", "--config", config.toString(), "--out", "ckpt", "--dtype", "f32", "--max-shard-size", "400KB").directory(dir.toFile());
        pb.environment().put("TENSORINIT_NO_BUILD", "1");
        Run r = finish(pb.start());
        assertEquals(1, r.code(), r.err());
        assertEquals(List.of("tensorinit: writing " + dir.toRealPath().resolve("ckpt/model-00001-of-00003.safetensors")
                + " failed: File too large"), r.err().lines().toList());
        // The run made ckpt and ended with nothing in it, so it removes ckpt too.
        assertEquals(List.of(), FillCommandTest.list(dir), "no shard, no temporary file, no folder the run made");
    }

    /**
     * Under an address-space cap (ulimit -v, as batch schedulers set it): the JVM reserved about 2 GB before any data
     * and glibc 64 MiB per malloc arena, and a 4096x4096 fill died under 2.6 GB, with a JIT crash (hs_err) or "unable to
     * create native thread". The launcher's options and arena cap keep it well under 1.5 GB.
     */
    @Test void aFillRunsUnderAnAddressSpaceCap() throws Exception {
        for (int i = 0; i < 3; i++) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", "ulimit -v 1500000 && exec \"$0\" \"$@\"", SCRIPT.toString(),
                    "fill", "--shape", "4096x4096", "--init", "normal", "--backend", "cpu", "--out", "w" + i + ".npy").directory(dir.toFile());
            pb.environment().put("TENSORINIT_NO_BUILD", "1");
            pb.environment().remove("MALLOC_ARENA_MAX");
            Run r = finish(pb.start());
            assertEquals(0, r.code(), r.err());
            assertEquals(128 + 4096L * 4096 * 4, Files.size(dir.resolve("w" + i + ".npy")));
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList(), "no JVM crash file");
        }
    }

    /** auto honours TENSORINIT_BACKEND (an unknown name fails loudly); an explicit --backend wins over it. */
    @Test void backendEnvironmentVariable() throws Exception {
        Run bad = runWith(dir, "nosuch", "fill", "--shape", "8x8", "--init", "zeros", "--out", "z.bin");
        assertEquals(2, bad.code());
        assertEquals(1, bad.err().lines().count(), bad.err());
        assertTrue(bad.err().startsWith("tensorinit: tensorinit.backend (or TENSORINIT_BACKEND) 'nosuch': unknown backend 'nosuch'"), bad.err());
        assertEquals(List.of(), FillCommandTest.list(dir));
        Run ok = runWith(dir, "nosuch", "fill", "--shape", "8x8", "--init", "zeros", "--backend", "cpu", "--out", "z.bin");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().startsWith("backend   cpu"), ok.out());
        Run list = runWith(dir, "nosuch", "backends");
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("override: TENSORINIT_BACKEND/-Dtensorinit.backend = nosuch"), list.out());
        assertTrue(list.out().contains("auto: tensorinit.backend (or TENSORINIT_BACKEND) 'nosuch': unknown backend 'nosuch'"), list.out());
        Run env = runWith(dir, "cpu", "fill", "--shape", "8x8", "--init", "zeros", "--out", "z2.bin");
        assertEquals(0, env.code(), env.err());
    }

    /**
     * Peak memory is the buffers', not the tensor's: a 256 MiB tensor streamed through 16 MiB of buffers raises the
     * process's peak resident memory (VmHWM, printed by the command) by far less than 256 MiB over a 16 KiB tensor's.
     * The whole-buffer path this replaced added at least the tensor's 256 MiB. -Xmx64m keeps the JVM's heap (which
     * grows with the garbage of cold Vector API code, not with the tensor) out of the comparison.
     */
    @Test void peakMemoryIsBoundedByTheBuffersNotTheTensor() throws Exception {
        long tiny = peak(dir, "64x64"), big = peak(dir, "16384x4096");
        assertTrue(big - tiny < 160L << 20, "peak resident grew by " + (big - tiny) / 1048576 + " MiB for a 256 MiB tensor"
                + " with 16 MiB of buffers (tiny: " + tiny / 1048576 + " MiB, big: " + big / 1048576 + " MiB)");
    }

    private static long peak(Path dir, String shape) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "fill", "--shape", shape, "--init", "uniform", "--buffer-memory", "16M",
                "--out", "m.bin", "--force").directory(dir.toFile());
        pb.environment().put("TENSORINIT_NO_BUILD", "1");
        pb.environment().put("TENSORINIT_JAVA_OPTS", "-Xmx64m");
        Run r = finish(pb.start());
        assertEquals(0, r.code(), r.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("peak resident ([0-9.]+) (KiB|MiB|GiB)").matcher(r.out());
        org.junit.jupiter.api.Assumptions.assumeTrue(m.find(), "needs /proc/self/status (Linux): " + r.out());
        double v = Double.parseDouble(m.group(1));
        return (long) (v * switch (m.group(2)) { case "KiB" -> 1024; case "MiB" -> 1 << 20; default -> 1 << 30; });
    }

    /** SIGKILL runs no shutdown hook, so its temporary file stays; the next run in the folder removes it and says so. */
    @Test void theNextRunRemovesTheTemporaryFileOfAKilledRun() throws Exception {
        Process p = startWith(dir, null, "fill", "--shape", "16384x16384", "--init", "normal", "--out", "big.npy");
        Path temp = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (temp == null && System.nanoTime() < deadline && p.isAlive()) {
            temp = FillCommandTest.list(dir).stream().filter(f -> f.toString().endsWith(".tmp")).findFirst().orElse(null);
            Thread.sleep(5);
        }
        Path maps = Path.of("/proc", Long.toString(p.pid()), "maps");
        Path jsig = Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
        if (p.isAlive() && Files.exists(jsig) && Files.isReadable(maps)) {
            // The launcher execs the JVM (same pid) with libjsig, so PoCL's signal handlers cannot displace the JVM's.
            assertTrue(Files.readString(maps).contains("libjsig.so"), "the JVM runs with libjsig preloaded");
        }
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(temp != null, "the temporary file appeared");
        assertTrue(temp.toString().contains(".tensorinit-" + p.pid() + "-"), "its name carries the pid: " + temp);
        assertTrue(Files.exists(dir.resolve(temp)), "SIGKILL left it behind");
        Run soon = run(dir, "fill", "--shape", "8x8", "--init", "ones", "--out", "soon.npy");
        assertTrue(Files.exists(dir.resolve(temp)), "a file written moments ago is kept (its writer may not have locked it yet)");
        Files.delete(dir.resolve("soon.npy"));
        FillCommandTest.age(dir.resolve(temp));
        Run next = run(dir, "fill", "--shape", "8x8", "--init", "ones", "--out", "small.npy");
        assertEquals(0, next.code(), next.err());
        assertEquals(List.of(Path.of("small.npy")), FillCommandTest.list(dir));
        assertTrue(next.err().contains("left by process " + p.pid() + " which no longer runs"), next.err());
    }

    /** Ctrl-C while filling: the shutdown hook deletes the temporary file; nothing is left behind. */
    @Test void interruptLeavesNoFile() throws Exception {
        // 2^28 f32 normals: far longer than the few milliseconds between the temp file appearing and the signal.
        Process p = startWith(dir, null, "fill", "--shape", "16384x16384", "--init", "normal", "--out", "big.npy");
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean sawTemp = false;
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (FillCommandTest.list(dir).stream().anyMatch(f -> f.toString().endsWith(".tmp"))) {
                sawTemp = true;
                break;
            }
            Thread.sleep(5);
        }
        if (!sawTemp) {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(sawTemp, () -> "the temporary file appeared in the target folder; exit " + (p.isAlive() ? "-" : p.exitValue())
                + "\nstdout: " + out.join() + "\nstderr: " + err.join());
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start().waitFor();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            // A parent that started us in the background without job control makes SIGINT ignored; SIGTERM runs
            // the same shutdown hook.
            p.destroy();
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(dir.resolve("big.npy")), "no file at the target");
        assertEquals(List.of(), FillCommandTest.list(dir), "no temporary file left");
        assertTrue(p.exitValue() != 0, "interrupted run exits non-zero");
        // and says so, with what stays (it ended silently with exit 130)
        assertTrue(err.join().contains("tensorinit: interrupted; nothing is written at "), err.join());
    }
}

package dev.tensorinit.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad flag: non-zero exit, one line "tensorinit: ..." naming the problem, no stack trace, no file. */
class BadFlagsTest {
    @TempDir Path dir;

    /** Runs fill with a valid base command line whose flags are replaced or extended by {@code flags}. */
    private Cli.Result fill(String out, String... flags) {
        List<String> a = new ArrayList<>(List.of("fill"));
        List<String> given = List.of(flags);
        if (!given.contains("--shape")) a.addAll(List.of("--shape", "64x32"));
        if (!given.contains("--init")) a.addAll(List.of("--init", "xavier_uniform"));
        a.addAll(given);
        if (out != null) a.addAll(List.of("--out", out));
        return Cli.run(a.toArray(String[]::new));
    }

    static void assertOneLineError(Cli.Result r, int code, String fragment) {
        assertEquals(code, r.code(), () -> "exit code; stderr: " + r.err());
        assertEquals(1, r.errLines().size(), () -> "one line expected: " + r.err());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("tensorinit: "), line);
        assertTrue(line.contains(fragment), () -> "'" + fragment + "' expected in: " + line);
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertEquals("", r.out(), "nothing on stdout");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown init          | 2 | unknown init 'foo'       | --init foo",
            "bad shape             | 2 | dimension 'abc'          | --shape 64xabc",
            "zero dimension        | 2 | must be positive         | --shape 64x0",
            "element overflow      | 2 | more than 2^63-1 elements | --shape 4294967296x4294967296",
            "byte overflow         | 2 | more than 2^63-1 bytes   | --shape 2147483648x2147483648",
            "NaN gain              | 2 | gain 'NaN' is not a finite number | --gain NaN",
            "overflowing gain      | 2 | gain '1e400' is not a finite number | --gain 1e400",
            "negative gain         | 2 | gain must be positive and finite, got -1.0 | --gain -1",
            "unknown gain          | 2 | unknown nonlinearity 'swish' | --gain swish",
            "a >= b                | 2 | a (1.0) must be below b (1.0) | --init trunc_normal --a 1 --b 1",
            "low >= high           | 2 | low (2.0) must be below high (1.0) | --init uniform --low 2 --high 1",
            "param not taken       | 2 | takes no parameter 'std' | --std 0.1",
            "range outside         | 2 | outside the tensor       | --range 100:2049",
            "bad range             | 2 | must have 0 <= START < END | --range 10:10",
            "range past 64 bits    | 2 | '9223372036854775808' is outside 0 to 2^63-1 | --range 0:9223372036854775808",
            "range not a number    | 2 | '1e3' is not an integer  | --range 0:1e3",
            "tile outside          | 2 | outside the tensor       | --rows 0:65 --cols 0:8",
            "tile of 3-D           | 2 | needs a 2-D tensor       | --shape 4x4x4 --rows 0:1 --cols 0:1",
            "half a tile           | 2 | needs both --rows and --cols | --rows 0:1",
            "range and tile        | 2 | not both                 | --range 0:1 --rows 0:1 --cols 0:1",
            "stream and name       | 2 | not both                 | --stream 1 --name w",
            "bad seed              | 2 | --seed 'x1'              | --seed x1",
            "unknown backend       | 2 | unknown backend 'tpu'    | --backend tpu",
            "zero threads          | 2 | --threads must be at least 1 | --threads 0",
            "absurd threads        | 2 | --threads 100000 is more than 1024 | --threads 100000",
            "NaN leaky slope       | 2 | slope 'NaN' is not a finite number | --gain leaky_relu:NaN",
            "bad buffer memory     | 2 | --buffer-memory 'lots' is not a size | --buffer-memory lots",
            "tiny buffer memory    | 2 | buffer memory 1.00 KiB is outside | --buffer-memory 1K",
            "unknown dtype         | 2 | unknown dtype 'f8'       | --dtype f8",
            "unknown layout        | 2 | unknown layout 'tf'      | --layout tf",
            "torch fans of 1-D     | 2 | fewer than 2 dimensions  | --shape 100",
            "unknown option        | 2 | --frobnicate             | --frobnicate",
    })
    void badFlagExitsWithOneLineAndLeavesNoFile(String what, int code, String fragment, String flags) throws IOException {
        Cli.Result r = fill(dir.resolve("w.npy").toString(), flags.strip().split("\\s+"));
        assertOneLineError(r, code, fragment.strip());
        assertEquals(List.of(), FillCommandTest.list(dir), "folder unchanged");
    }

    @Test void bf16ToNpyIsRefusedWithAHint() throws IOException {
        assertOneLineError(fill(dir.resolve("w.npy").toString(), "--dtype", "bf16"), 2, "use .safetensors");
        assertEquals(List.of(), FillCommandTest.list(dir));
    }

    @Test void unknownExtensionIsRefused() throws IOException {
        assertOneLineError(fill(dir.resolve("w.pt").toString()), 2, "must end in .npy, .safetensors or .bin");
        assertEquals(List.of(), FillCommandTest.list(dir));
    }

    @Test void missingOutIsAUsageError() {
        Cli.Result r = fill(null);
        assertOneLineError(r, 2, "--out");
    }

    @Test void existingFileIsKeptWithoutForce() throws IOException {
        Path out = dir.resolve("w.npy");
        Files.writeString(out, "precious");
        assertOneLineError(fill(out.toString()), 1, "add --force");
        assertEquals("precious", Files.readString(out));
        assertEquals(List.of(out.getFileName()), FillCommandTest.list(dir));
    }

    /** A line break in the file name used to cut the one-line message after the name, dropping "exists; add --force". */
    @Test void aFileNameWithALineBreakIsWrittenEscapedAndTheReasonKept() throws IOException {
        Path out = dir.resolve("new\nline.npy");
        Files.writeString(out, "precious");
        assertOneLineError(fill(out.toString()), 1, "new\\nline.npy\": exists");
        assertTrue(fill(out.toString()).err().contains("add --force"));
        assertEquals("precious", Files.readString(out));
    }

    @Test void missingFolderFails() throws IOException {
        assertOneLineError(fill(dir.resolve("nope/w.npy").toString()), 1, "does not exist");
        assertEquals(List.of(), FillCommandTest.list(dir));
    }

    /** A missing folder before a .. is missing: the kernel does not skip it, and --out had been simplified as text. */
    @Test void missingFolderBeforeDotDotFails() throws IOException {
        assertOneLineError(fill(dir + "/nosuchdir/../y.npy"), 1, dir.resolve("nosuchdir") + ": the folder does not exist");
        assertEquals(List.of(), FillCommandTest.list(dir));
    }

    /** A file where --out needs a folder is a usage error naming that part, as model's --out (it was exit 1). */
    @Test void folderThatIsAFileIsAUsageError() throws IOException {
        Path f = dir.resolve("file");
        Files.writeString(f, "x");
        assertOneLineError(fill(f.resolve("w.npy").toString()), 2, "--out " + f.resolve("w.npy") + ": " + f + " is a file, not a folder");
        assertOneLineError(fill(f.resolve("sub/w.npy").toString()), 2, ": " + f + " is a file, not a folder");
        assertEquals(List.of(f.getFileName()), FillCommandTest.list(dir));
    }

    /** A trailing '/' names a folder: Path.of drops it, and a file x.npy had been written. */
    @Test void outEndingInASlashIsAUsageError() throws IOException {
        assertOneLineError(fill(dir + "/x.npy/"), 2, "'" + dir + "/x.npy/' ends in '/', which names a folder");
        assertEquals(List.of(), FillCommandTest.list(dir));
    }

    @Test void unwritableFolderFails() throws IOException {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Assumptions.assumeFalse(Files.isWritable(ro), "running as root: permissions do not stop writes");
            assertOneLineError(fill(ro.resolve("w.npy").toString()), 1, "permission denied");
            assertEquals(List.of(), FillCommandTest.list(ro));
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Root ignores permission bits, but not /proc, where no regular file can be created. */
    @Test void folderWhereNoFileCanBeCreatedFails() throws IOException {
        Path proc = Path.of("/proc");
        Assumptions.assumeTrue(Files.isDirectory(proc.resolve("self")), "needs Linux /proc");
        Cli.Result r = fill(proc.resolve("tensorinit-test.npy").toString());
        assertOneLineError(r, 1, "/proc");
        assertTrue(r.errLines().get(0).contains("cannot create a file in the output folder"), r.err());
        assertTrue(r.errLines().get(0).contains("no such file or directory"), "says why, not only the path: " + r.err());
        assertFalse(Files.exists(proc.resolve("tensorinit-test.npy")));
    }

    /** 2^62 bytes: valid flags, but no disk holds it; refused before any fill, and the temporary file goes. */
    @Test void aFileLargerThanTheFreeSpaceIsRefusedBeforeFilling() throws IOException {
        Cli.Result r = fill(dir.resolve("w.bin").toString(), "--shape", "1073741824x1073741824", "--init", "zeros");
        assertOneLineError(r, 1, "the file needs 4.00 EiB but only");
        assertEquals(List.of(), FillCommandTest.list(dir));
    }

    /** A thread count that used to hang for minutes is refused at once. */
    @Test void absurdThreadCountFailsFast() {
        long t0 = System.nanoTime();
        assertOneLineError(fill(dir.resolve("w.npy").toString(), "--threads", "100000"), 2, "is more than 1024");
        assertTrue(System.nanoTime() - t0 < 30_000_000_000L);
    }

    @Test void emptyShapeIsRefused() throws IOException {
        assertOneLineError(fill(dir.resolve("w.npy").toString(), "--shape", ""), 2, "shape '' is empty");
        assertEquals(List.of(), FillCommandTest.list(dir));
    }

    /** safetensors reserves __metadata__: refused while checking the flags (exit 2), not after the fill. */
    @Test void metadataAsTensorNameIsAUsageError() throws IOException {
        Cli.Result r = fill(dir.resolve("w.safetensors").toString(), "--shape", "4096x4096", "--name", "__metadata__");
        assertOneLineError(r, 2, "--name __metadata__ cannot name a safetensors tensor");
        assertEquals(List.of(), FillCommandTest.list(dir));
        // In .npy the name only picks the stream: allowed.
        assertEquals(0, fill(dir.resolve("w.npy").toString(), "--name", "__metadata__").code());
    }

    /** A folder at --out is a bad --out, exit 2 as "w.npy/" is (QA: it was exit 1), with or without --force; it stays. */
    @Test void aFolderAtOutIsAUsageError() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("w.npy"));
        assertOneLineError(fill(folder.toString()), 2, "is a folder; name a file");
        assertOneLineError(fill(folder.toString(), "--force"), 2, "is a folder; name a file");
        assertTrue(Files.isDirectory(folder));
        assertEquals(List.of(folder.getFileName()), FillCommandTest.list(dir));
    }

    /** Bounds whose width rounds to 0 in f32 are too narrow, not "empty" (QA: the range [-4.9E-301, 4.9E-301) is not empty). */
    @Test void aUniformTooNarrowForF32SaysSo() throws IOException {
        Cli.Result r = fill(dir.resolve("w.npy").toString(), "--init", "uniform", "--low", "-1e-301", "--high", "1e-301");
        assertOneLineError(r, 2, "is too narrow for f32: its width rounds to 0");
        assertEquals(List.of(), FillCommandTest.list(dir));
    }

    /** A dangling symbolic link at --out is an existing file: kept without --force, replaced with it. */
    @Test void danglingSymlinkCountsAsExisting() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("w.npy"), dir.resolve("missing.npy"));
        assertOneLineError(fill(link.toString()), 1, "exists (a symbolic link to a missing file); add --force");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(List.of(link.getFileName()), FillCommandTest.list(dir));
        Cli.Result forced = fill(link.toString(), "--force");
        assertEquals(0, forced.code(), forced.err());
        assertFalse(Files.isSymbolicLink(link), "the link itself is replaced by the file");
        assertFalse(Files.exists(dir.resolve("missing.npy")), "nothing is written through the link");
    }

    /**
     * A symbolic link to a folder at --out is an existing file as well, not a folder: kept without --force (exit 1),
     * replaced with it, the folder untouched. QA: both runs said "--out W is a folder; name a file", exit 2, and --force
     * could not replace the link (model failed so at a shard's name halfway through a run, after "add --force").
     */
    @Test void aSymlinkToAFolderCountsAsExisting() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        Path link = Files.createSymbolicLink(dir.resolve("w.npy"), folder);
        assertOneLineError(fill(link.toString()), 1, "exists; add --force");
        assertTrue(Files.isSymbolicLink(link));
        Cli.Result forced = fill(link.toString(), "--force");
        assertEquals(0, forced.code(), forced.err());
        assertTrue(Files.isRegularFile(link, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the link itself is replaced by the file");
        assertEquals(List.of(), FillCommandTest.list(folder), "nothing is written into the folder");
    }

    @Test void verboseShowsTheStackTrace() {
        Cli.Result r = fill(dir.resolve("w.npy").toString(), "--init", "foo", "-v");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }
}

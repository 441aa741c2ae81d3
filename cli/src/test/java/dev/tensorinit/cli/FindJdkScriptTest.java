package dev.tensorinit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/find-jdk.sh, sourced as ./tensorinit, ./run-tests and .ci/run do: which folder it exports as JAVA_HOME. It reads
 * a JDK's version from its release file with the shell's own read (no sed or subshell), and asks the JDK's java only
 * when that file says nothing.
 */
class FindJdkScriptTest {
    static final Path SCRIPT = Path.of("..", "scripts", "find-jdk.sh").toAbsolutePath().normalize();

    @TempDir Path dir;

    /** A folder that looks like a JDK: bin/java (printing {@code specVersion} as java does, if given) and bin/javac. */
    private Path fakeJdk(String name, String release, String specVersion) throws Exception {
        Path jdk = dir.resolve(name), bin = Files.createDirectories(jdk.resolve("bin"));
        String java = "#!/bin/sh\n" + (specVersion == null ? "exit 1\n"
                : "echo '    java.specification.version = " + specVersion + "' >&2\n");
        for (String tool : new String[] {"java", "javac"}) {
            Path p = bin.resolve(tool);
            Files.writeString(p, tool.equals("java") ? java : "#!/bin/sh\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        if (release != null) Files.writeString(jdk.resolve("release"), release);
        return jdk;
    }

    /** The JAVA_HOME the script exports when JAVA_HOME is {@code javaHome}, and its exit status. */
    private LauncherProcessTest.Run find(Path javaHome) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -euo pipefail; . \"$1\"; printf '%s' \"$JAVA_HOME\"", "find", SCRIPT.toString());
        pb.environment().put("JAVA_HOME", javaHome.toString());
        return LauncherProcessTest.finish(pb.start());
    }

    @Test void aReleaseFileOf25OrNewerIsTaken() throws Exception {
        for (String release : new String[] {
                "JAVA_VERSION=\"25.0.3\"\n",
                "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"26\"\nJAVA_RUNTIME_VERSION=\"17\"\n",
                "JAVA_VERSION=\"25.0.1\"",   // no line end at the end of the file
                "JAVA_VERSION=\"25.0.1\"\r\n"}) {
            Path jdk = fakeJdk("jdk" + release.hashCode(), release, null);
            LauncherProcessTest.Run r = find(jdk);
            assertEquals(0, r.code(), r.err());
            assertEquals(jdk.toString(), r.out(), release);
        }
    }

    @Test void anOlderOrUnreadableVersionIsPassedOver() throws Exception {
        for (String release : new String[] {"JAVA_VERSION=\"17.0.15\"\n", "JAVA_VERSION=\"1.8.0_402\"\n", "JAVA_VERSION=\"\"\n"}) {
            Path jdk = fakeJdk("old" + release.hashCode(), release, "17");
            LauncherProcessTest.Run r = find(jdk);
            // Passed over: another JDK 25 of this machine (the build's own), or none with the message naming this one.
            if (r.code() == 0) assertTrue(!r.out().equals(jdk.toString()) && !r.out().isEmpty(), r.out());
            else assertTrue(r.err().contains(jdk + "(17)") || r.err().contains(jdk + "(1)") || r.err().contains(jdk + "(not a JDK)"), r.err());
        }
    }

    @Test void withoutAReleaseFileTheJdksJavaIsAsked() throws Exception {
        Path jdk = fakeJdk("norelease", null, "27");
        LauncherProcessTest.Run r = find(jdk);
        assertEquals(0, r.code(), r.err());
        assertEquals(jdk.toString(), r.out());
        Path silent = fakeJdk("silent", "IMPLEMENTOR=\"x\"\n", "25");
        r = find(silent);
        assertEquals(0, r.code(), r.err());
        assertEquals(silent.toString(), r.out(), "a release file without JAVA_VERSION: java is asked too");
    }
}

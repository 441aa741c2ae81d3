package dev.tensorinit.spi;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Looks for a shared library before a backend's binding touches it: with the dynamic loader (JCuda's own loader,
 * once it fails, leaves its classes unusable for the rest of the JVM's life: NoClassDefFoundError), or from files
 * alone, so that a machine without the library pays neither a dlopen nor the signal snapshot ({@link JvmSignals})
 * that must precede one.
 */
public final class NativeLibraries {
    private NativeLibraries() {}

    /** The glibc loader's cache of library names, and the folders it searches without one (64-bit Linux, multiarch). */
    public static final Path LD_SO_CACHE = Path.of("/etc/ld.so.cache");
    public static final List<Path> DEFAULT_DIRS = List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64", "/lib/x86_64-linux-gnu",
            "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu").stream().map(Path::of).toList();

    /** Null when {@code name} loads, else the loader's message. The library is unloaded again. */
    @SuppressWarnings("restricted") // libraryLookup is the point: find the library before the binding tries
    public static String whyMissing(String name) {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(name, arena);
            return null;
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return String.valueOf(e.getMessage());
        }
    }

    /**
     * Why {@code name} cannot be on the dynamic loader's path, from files alone, or null when it may be (then only
     * {@link #whyMissing} can tell). Why: a default run on a machine without a GPU or OpenCL probes those backends first, and a
     * real probe first saves the JVM's signal handlers, which links FFM downcalls (0.1-0.16 s of a 0.4 s run). Sure of
     * absence only on glibc Linux: the process has no such library mapped, the name is in no LD_LIBRARY_PATH folder,
     * not in /etc/ld.so.cache, and in none of the loader's default folders. Anything unreadable counts as "may be
     * there".
     */
    public static String surelyAbsent(String name) {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) return null;
        if (loadedAlready(name)) return null; // dlopen finds a loaded library by its name, wherever it came from
        try {
            return surelyAbsent(name, System.getenv("LD_LIBRARY_PATH"), LD_SO_CACHE, DEFAULT_DIRS);
        } catch (RuntimeException e) {
            return null; // a path this JVM cannot even name: let the loader decide
        }
    }

    /** Whether this process has {@code name} mapped (LD_PRELOAD, or another library loaded it); true when unsure. */
    private static boolean loadedAlready(String name) {
        try {
            return Files.readString(Path.of("/proc/self/maps"), StandardCharsets.ISO_8859_1).contains("/" + name);
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    public static String surelyAbsent(String name, String ldLibraryPath, Path cache, List<Path> defaultDirs) {
        if (ldLibraryPath != null) {
            for (String dir : ldLibraryPath.split("[:;]")) {
                if (dir.contains("$")) return null; // $ORIGIN, $LIB, $PLATFORM: the loader expands them, we do not
                // an empty entry means the current folder, which the loader searches too
                if (Files.exists(Path.of(dir.isEmpty() ? "." : dir).resolve(name))) return null;
            }
        }
        for (Path dir : defaultDirs) if (Files.exists(dir.resolve(name))) return null;
        byte[] table;
        try {
            table = Files.readAllBytes(cache);
        } catch (IOException | RuntimeException e) {
            return null; // no cache to rule it out (musl, or an unreadable file)
        }
        if (indexOf(table, (name + "\0").getBytes(StandardCharsets.US_ASCII)) >= 0) return null;
        return "not in LD_LIBRARY_PATH, " + cache + " or the default library folders";
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}

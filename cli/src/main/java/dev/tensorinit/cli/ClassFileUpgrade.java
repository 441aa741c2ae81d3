package dev.tensorinit.cli;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Copies jars whose class files predate Java 6 (major version below 50) with those classes rewritten as Java 8
 * class files: the same code, plus the stack maps that newer class files carry. Why: JDK 25's ahead-of-time cache
 * skips pre-Java-6 classes ("Old class has been linked"), and picocli 4.7 is compiled for Java 5, so every run
 * loaded and verified its ~170 classes from the jar: 0.1 s of a 0.5 s run. The launcher runs this once per build,
 * before it records the cache, and starts the JVM on the copies; the tests and a library user keep the original jar.
 *
 * <p>Usage: {@code ClassFileUpgrade OUT_DIR CLASS_PATH} prints CLASS_PATH with each such jar replaced by its copy in
 * OUT_DIR (made when missing or older than the jar); other entries, and signed jars (a rewrite would break their
 * signature), stay as they are. Each copy is checked before it is used: every rewritten class is loaded and linked,
 * so the JVM's verifier has accepted the new stack maps; any failure leaves the original jar in the class path.
 */
public final class ClassFileUpgrade {
    /** Class files below this major version (Java 6) carry no stack maps, and the AOT cache skips them. */
    static final int FIRST_WITH_STACK_MAPS = 50;
    /** What old classes become: Java 8, whose verifier checks the generated stack maps (no fallback to inference). */
    static final int TARGET_MAJOR = 52;

    private ClassFileUpgrade() { }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ClassFileUpgrade OUT_DIR CLASS_PATH");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        List<String> entries = new ArrayList<>();
        for (String e : args[1].split(java.io.File.pathSeparator, -1)) {
            entries.add(upgradedOrSame(e, out));
        }
        System.out.print(String.join(java.io.File.pathSeparator, entries));
    }

    /** The path of {@code entry}'s upgraded copy in {@code outDir}, or {@code entry} itself (nothing to do, or it failed). */
    static String upgradedOrSame(String entry, Path outDir) {
        if (!entry.endsWith(".jar")) return entry;
        Path jar = Path.of(entry);
        try {
            if (!Files.isRegularFile(jar) || !hasOldClasses(jar)) return entry;
            Path copy = outDir.resolve(jar.getFileName());
            if (Files.isRegularFile(copy) && Files.getLastModifiedTime(copy).compareTo(Files.getLastModifiedTime(jar)) > 0) {
                return copy.toString();
            }
            Files.createDirectories(outDir);
            Path tmp = Files.createTempFile(outDir, ".upgrade", ".jar");
            try {
                int n = upgrade(jar, tmp);
                checkLinks(tmp);
                try {
                    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(jar)); // a temp file is private
                } catch (UnsupportedOperationException notPosix) {
                    // readable as created
                }
                Files.move(tmp, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                System.err.println("upgraded " + n + " class files of " + jar + " to Java " + (TARGET_MAJOR - 44));
                return copy.toString();
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            System.err.println("kept " + jar + ": " + e);
            return entry;
        }
    }

    /** Whether the jar holds a class file older than Java 6 and no signature. */
    static boolean hasOldClasses(Path jar) throws IOException {
        boolean old = false;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                String name = e.getName();
                if (name.startsWith("META-INF/") && (name.endsWith(".SF") || name.endsWith(".RSA") || name.endsWith(".DSA")
                        || name.endsWith(".EC"))) {
                    return false; // signed
                }
                if (!old && isClass(name)) old = major(in.readAllBytes()) < FIRST_WITH_STACK_MAPS;
            }
        }
        return old;
    }

    /**
     * Writes {@code src} to {@code dst} with its old class files rewritten; every other entry (resources, newer
     * classes, the manifest) byte for byte. Returns how many class files were rewritten.
     */
    static int upgrade(Path src, Path dst) throws IOException {
        try (URLClassLoader jarOnly = new URLClassLoader(new URL[] {src.toUri().toURL()}, null)) {
            // Stack maps name the common supertype where control flow merges: look classes up in the jar, then the JDK.
            ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                    ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofResourceParsing(jarOnly))));
            int n = 0;
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(src));
                 ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(dst))) {
                for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    byte[] bytes = in.readAllBytes();
                    if (isClass(e.getName()) && major(bytes) < FIRST_WITH_STACK_MAPS) {
                        bytes = upgradeClass(cf, bytes);
                        n++;
                    }
                    ZipEntry copy = new ZipEntry(e.getName());
                    copy.setTime(e.getTime());
                    out.putNextEntry(copy);
                    out.write(bytes);
                    out.closeEntry();
                }
            }
            return n;
        }
    }

    /** One class file at {@link #TARGET_MAJOR}: every method body is rebuilt, which generates its stack map table. */
    static byte[] upgradeClass(ClassFile cf, byte[] bytes) {
        ClassModel m = cf.parse(bytes);
        ClassTransform version = (cb, e) -> {
            if (e instanceof ClassFileVersion) cb.withVersion(TARGET_MAJOR, 0);
            else cb.with(e);
        };
        // The rebuilt bodies first: the version last sets the class file's, from which the stack maps are then made.
        return cf.transformClass(m, ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL).andThen(version));
    }

    /**
     * Loads, links and initializes every class of the jar in a loader of its own: linking runs the verifier, so a
     * stack map it rejects fails here (VerifyError), before the copy is used.
     */
    static void checkLinks(Path jar) throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
             ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (!isClass(e.getName())) continue;
                String name = e.getName().substring(0, e.getName().length() - ".class".length()).replace('/', '.');
                try {
                    Class.forName(name, true, loader);
                } catch (ExceptionInInitializerError | NoClassDefFoundError | ClassNotFoundException notVerification) {
                    // a static initializer that fails outside its program, or a class it needs that is not on this
                    // class path (an optional dependency): the original jar behaves the same
                }
            }
        }
    }

    private static boolean isClass(String name) {
        return name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class");
    }

    /** The class file's major version (bytes 6-7), or Integer.MAX_VALUE when it is not a class file. */
    static int major(byte[] b) {
        if (b.length < 8 || (b[0] & 0xff) != 0xCA || (b[1] & 0xff) != 0xFE || (b[2] & 0xff) != 0xBA || (b[3] & 0xff) != 0xBE) {
            return Integer.MAX_VALUE;
        }
        return (b[6] & 0xff) << 8 | (b[7] & 0xff);
    }
}

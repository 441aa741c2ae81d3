package dev.tensorinit.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.BranchInstruction;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's copy of picocli for the start-up cache: Java 8 class files the verifier accepts, and the same program. */
class ClassFileUpgradeTest {
    static Path picocli;

    @TempDir Path dir;

    @BeforeAll static void findPicocli() throws Exception {
        picocli = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(picocli.toString().endsWith(".jar"), "picocli comes from a jar: " + picocli);
    }

    @Test void picocliIsOldAndItsCopyIsJava8WithStackMaps() throws Exception {
        Map<String, byte[]> before = entries(picocli);
        assertTrue(ClassFileUpgrade.hasOldClasses(picocli), "picocli 4.7 is compiled for Java 5; if not, this step is moot");

        Path copy = Path.of(ClassFileUpgrade.upgradedOrSame(picocli.toString(), dir));
        assertEquals(dir.resolve(picocli.getFileName()), copy);
        Map<String, byte[]> after = entries(copy);
        assertEquals(new ArrayList<>(before.keySet()), new ArrayList<>(after.keySet()), "the same entries, in the same order");

        int upgraded = 0, branchy = 0;
        for (var e : before.entrySet()) {
            byte[] old = e.getValue(), now = after.get(e.getKey());
            boolean isClass = e.getKey().endsWith(".class") && !e.getKey().startsWith("META-INF/");
            if (!isClass || ClassFileUpgrade.major(old) >= ClassFileUpgrade.FIRST_WITH_STACK_MAPS) {
                assertArrayEquals(old, now, e.getKey() + " is copied byte for byte");
                continue;
            }
            upgraded++;
            ClassModel was = ClassFile.of().parse(old), is = ClassFile.of().parse(now);
            assertEquals(ClassFileUpgrade.TARGET_MAJOR, is.majorVersion(), e.getKey());
            assertEquals(was.thisClass().asInternalName(), is.thisClass().asInternalName());
            assertEquals(names(was.methods()), names(is.methods()), e.getKey() + ": the same methods");
            for (int i = 0; i < was.methods().size(); i++) {
                MethodModel m0 = was.methods().get(i), m1 = is.methods().get(i);
                List<String> code0 = instructions(m0), code1 = instructions(m1);
                assertEquals(code0, code1, e.getKey() + "." + m0.methodName() + ": the same instructions");
                boolean branches = m1.code().map(c -> c.elementStream().anyMatch(x -> x instanceof BranchInstruction)).orElse(false);
                if (branches) {
                    branchy++;
                    assertTrue(m1.code().orElseThrow().findAttribute(Attributes.stackMapTable()).isPresent(),
                            e.getKey() + "." + m1.methodName() + " branches, so it needs a stack map table");
                }
            }
        }
        assertTrue(upgraded > 200, "picocli's ~227 classes were rewritten, got " + upgraded);
        assertTrue(branchy > 500, "many methods with stack maps, got " + branchy);
    }

    /** Loaded in a loader of its own, the copy passes the verifier and renders the same help as the original. */
    @Test void theCopyVerifiesAndBehavesAsTheOriginal() throws Exception {
        Path copy = Path.of(ClassFileUpgrade.upgradedOrSame(picocli.toString(), dir));
        assertNotEquals(picocli, copy);
        try (URLClassLoader l = isolated(copy)) {
            for (String name : classNames(copy)) {
                try {
                    Class.forName(name, true, l); // links: the verifier checks the stack maps (no fallback at Java 8)
                } catch (ExceptionInInitializerError | NoClassDefFoundError notAVerifyError) {
                    // an optional dependency missing, the same with the original
                }
            }
        }
        assertEquals(usage(picocli), usage(copy));
        assertTrue(usage(copy).contains("picocli.AutoComplete"), usage(copy));
    }

    @Test void aCopyIsMadeOnceAndReused() throws Exception {
        Path copy = Path.of(ClassFileUpgrade.upgradedOrSame(picocli.toString(), dir));
        FileTime made = Files.getLastModifiedTime(copy);
        Thread.sleep(20);
        assertEquals(copy.toString(), ClassFileUpgrade.upgradedOrSame(picocli.toString(), dir));
        assertEquals(made, Files.getLastModifiedTime(copy), "not rewritten");
        assertEquals(List.of(copy.getFileName()), list(dir), "no temporary file left");
    }

    @Test void otherEntriesStayAsTheyAre() throws Exception {
        Path modern = jar("modern.jar", Map.of("a/B.class", classBytes(ClassFileUpgradeTest.class)));
        Path missing = dir.resolve("missing.jar");
        Path signed = jar("signed.jar", Map.of("META-INF/KEY.SF", new byte[] {1}, "picocli/CommandLine.class", classBytes(CommandLine.class)));
        Path out = dir.resolve("out");
        for (Path p : List.of(modern, missing, signed, dir)) {
            assertEquals(p.toString(), ClassFileUpgrade.upgradedOrSame(p.toString(), out), p.toString());
        }
        assertFalse(Files.exists(out), "nothing to copy");
    }

    /** The check that stands between a bad rewrite and the launcher: a Java 8 class without stack maps is refused. */
    @Test void theLinkCheckRejectsAClassWithoutStackMaps() throws Exception {
        byte[] old = classBytes(CommandLine.Range.class);
        assertTrue(ClassFileUpgrade.major(old) < ClassFileUpgrade.FIRST_WITH_STACK_MAPS);
        byte[] bad = old.clone();
        bad[6] = 0;
        bad[7] = (byte) ClassFileUpgrade.TARGET_MAJOR; // the version alone, no frames
        assertThrows(VerifyError.class, () -> ClassFileUpgrade.checkLinks(jar("bad.jar", Map.of("picocli/CommandLine$Range.class", bad))));

        byte[] good = ClassFileUpgrade.upgradeClass(ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                java.lang.classfile.ClassHierarchyResolver.defaultResolver().orElse(
                        java.lang.classfile.ClassHierarchyResolver.ofClassLoading(CommandLine.class.getClassLoader())))), old);
        ClassFileUpgrade.checkLinks(jar("good.jar", Map.of("picocli/CommandLine$Range.class", good)));
    }

    @Test void theClassPathIsPrintedWithTheCopyInPlace() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        var stdout = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        try {
            ClassFileUpgrade.main(new String[] {dir.resolve("copies").toString(), "/a/classes" + java.io.File.pathSeparator + picocli});
        } finally {
            System.setOut(stdout);
        }
        assertEquals("/a/classes" + java.io.File.pathSeparator + dir.resolve("copies").resolve(picocli.getFileName()), out.toString());
    }

    private static String usage(Path jar) throws Exception {
        try (URLClassLoader l = isolated(jar)) {
            Class<?> cl = Class.forName("picocli.CommandLine", true, l);
            Class<?> app = Class.forName("picocli.AutoComplete$App", true, l);
            var make = app.getDeclaredConstructor();
            make.setAccessible(true);
            Object cmd = cl.getConstructor(Object.class).newInstance(make.newInstance());
            return (String) cl.getMethod("getUsageMessage").invoke(cmd);
        }
    }

    private static URLClassLoader isolated(Path jar) throws IOException {
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    private static List<String> names(List<MethodModel> ms) {
        return ms.stream().map(m -> m.methodName().stringValue() + m.methodType().stringValue()).toList();
    }

    /** A method's instructions as text, labels and stack maps left out (their encoding may change, not the code). */
    private static List<String> instructions(MethodModel m) {
        return m.code().map(CodeModel::elementStream).map(s -> s.filter(x -> x instanceof Instruction)
                .map(x -> ((Instruction) x).opcode() + " " + (hasLabels(x) ? "" : x.toString())).toList()).orElse(List.of());
    }

    private static boolean hasLabels(Object x) {
        return x instanceof BranchInstruction || x instanceof java.lang.classfile.instruction.TableSwitchInstruction
                || x instanceof java.lang.classfile.instruction.LookupSwitchInstruction;
    }

    private static Map<String, byte[]> entries(Path jar) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) m.put(e.getName(), in.readAllBytes());
        }
        return m;
    }

    private static List<String> classNames(Path jar) throws IOException {
        return entries(jar).keySet().stream().filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
                .map(n -> n.substring(0, n.length() - 6).replace('/', '.')).toList();
    }

    private static byte[] classBytes(Class<?> c) throws IOException {
        try (var in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    private Path jar(String name, Map<String, byte[]> content) throws IOException {
        Path p = dir.resolve(name);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(p))) {
            for (var e : content.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return p;
    }

    private static List<Path> list(Path d) throws IOException {
        try (var s = Files.list(d)) {
            return s.map(Path::getFileName).toList();
        }
    }
}

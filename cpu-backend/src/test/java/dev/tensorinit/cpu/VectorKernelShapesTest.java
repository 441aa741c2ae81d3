package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.Distribution;
import dev.tensorinit.kernel.KernelArgs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vector kernel with forced vector shapes against the reference. VectorKernel's species are
 * static final (C2 needs constants), so each shape gets its own copy of the class, loaded
 * child-first with {@code tensorinit.cpu.vectorBits} set.
 *
 * <p>Runs in its own surefire execution (see cpu-backend/pom.xml): a second species in the same
 * JVM pollutes the JDK's shared Vector API profiles, after which C2 boxes some vectors of the
 * production species too, which the allocation test would (rightly) report.
 */
class VectorKernelShapesTest {
    private static final long SEED = 0x9E3779B97F4A7C15L;
    private static final long STREAM = 0x0000DEADBEEFCAFEL;

    /**
     * Forced vector shapes: VectorKernel's species are static final (C2 needs constants), so each
     * shape gets its own copy of the class, loaded child-first with {@code tensorinit.cpu.vectorBits} set.
     */
    @Test void matchesReferenceWith128BitVectors() throws Exception {
        VectorKernelTest.Filler k = kernelWithBits(128);
        VectorKernelTest.checkAll(k, 1L << 14);
    }

    @Test void matchesReferenceWith512BitVectors() throws Exception {
        // Not native on AVX2: runs the Vector API's Java fallback, slowly, but checks the lane-count-generic shuffles.
        VectorKernelTest.Filler k = kernelWithBits(512);
        for (DType dt : DType.values()) {
            for (Distribution d : VectorKernelTest.distributions()) {
                VectorKernelTest.assertSame(k, KernelArgs.of(d, dt, SEED, STREAM), 3, 301, 2);
            }
        }
    }

    /**
     * A width above the machine's widest is refused by name, not run at the widest (forBitSize maps 1024 there). At least
     * 1024: on an AVX2 machine twice the widest is 512, a real shape the Vector API runs in Java (as the test above does).
     */
    @Test void aWidthAboveTheMachinesIsRefused() {
        int bits = Math.max(1024, jdk.incubator.vector.VectorShape.S_Max_BIT.vectorBitSize() * 2);
        String old = System.getProperty(dev.tensorinit.Settings.VECTOR_BITS);
        System.setProperty(dev.tensorinit.Settings.VECTOR_BITS, Integer.toString(bits));
        try {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, VectorWidth::shape);
            assertTrue(e.getMessage().contains("'" + bits + "'"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty(dev.tensorinit.Settings.VECTOR_BITS); else System.setProperty(dev.tensorinit.Settings.VECTOR_BITS, old);
        }
    }

    private static VectorKernelTest.Filler kernelWithBits(int bits) throws Exception {
        String old = System.getProperty(dev.tensorinit.Settings.VECTOR_BITS);
        System.setProperty(dev.tensorinit.Settings.VECTOR_BITS, Integer.toString(bits));
        try {
            ClassLoader loader = new ChildFirst(VectorKernelTest.class.getClassLoader());
            Class<?> c = Class.forName(VectorKernel.class.getName(), true, loader);
            var ctor = c.getDeclaredConstructor();
            ctor.setAccessible(true);
            Object kernel = ctor.newInstance();
            Method m = c.getDeclaredMethod("fillRun", KernelArgs.class, long.class, long.class, MemorySegment.class, long.class);
            m.setAccessible(true);
            Method d = c.getDeclaredMethod("description");
            d.setAccessible(true);
            assertTrue(((String) d.invoke(kernel)).contains(bits + "-bit"), (String) d.invoke(kernel));
            return (a, first, count, dst, off) -> {
                try {
                    m.invoke(kernel, a, first, count, dst, off);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e.getCause() != null ? e.getCause() : e);
                }
            };
        } finally {
            if (old == null) System.clearProperty(dev.tensorinit.Settings.VECTOR_BITS); else System.setProperty(dev.tensorinit.Settings.VECTOR_BITS, old);
        }
    }

    /** Defines dev.tensorinit.cpu classes itself (a fresh copy, fresh static finals); delegates the rest. */
    private static final class ChildFirst extends ClassLoader {
        ChildFirst(ClassLoader parent) { super(parent); }

        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (!name.startsWith("dev.tensorinit.cpu.")) return super.loadClass(name, resolve);
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) throw new ClassNotFoundException(name);
                        byte[] b = in.readAllBytes();
                        c = defineClass(name, b, 0, b.length);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                if (resolve) resolveClass(c);
                return c;
            }
        }
    }
}

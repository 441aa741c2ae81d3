package dev.tensorinit.cpu;

import java.util.Optional;

/**
 * Chooses the kernel: the Vector API one when the {@code jdk.incubator.vector} module is present,
 * else the scalar kernel, with one warning naming the flag.
 */
final class Kernels {
    private Kernels() {}

    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final String FALLBACK_WARNING = "jdk.incubator.vector is not in the module graph: the CPU backend uses the"
            + " scalar kernel, several times slower. Start the JVM with --add-modules jdk.incubator.vector"
            + " to use the Vector API kernel (values are identical either way).";

    /** The decision and the warning it calls for (empty when none). */
    record Choice(RunKernel kernel, Optional<String> warning) {}

    /** Chosen once per class loader, so the warning is logged once. */
    private static final class Best {
        static final RunKernel KERNEL = chooseAndWarn();
    }

    static RunKernel best() {
        return Best.KERNEL;
    }

    private static RunKernel chooseAndWarn() {
        Choice c = choose(ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent());
        c.warning().ifPresent(w -> System.getLogger(Kernels.class.getName()).log(System.Logger.Level.WARNING, w));
        return c.kernel();
    }

    /**
     * VectorKernel is created reflectively: it is the only class that links against
     * jdk.incubator.vector, so without the module it is never loaded (no NoClassDefFoundError).
     */
    static Choice choose(boolean vectorPresent) {
        if (!vectorPresent) return new Choice(new ScalarKernel(), Optional.of(FALLBACK_WARNING));
        try {
            RunKernel k = (RunKernel) Class.forName("dev.tensorinit.cpu.VectorKernel")
                    .getDeclaredConstructor().newInstance();
            return new Choice(new WarmingKernel(k, new ScalarKernel()), Optional.empty());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            return new Choice(new ScalarKernel(), Optional.of("the Vector API kernel could not start (" + cause
                    + "); the CPU backend uses the scalar kernel, several times slower"));
        }
    }
}

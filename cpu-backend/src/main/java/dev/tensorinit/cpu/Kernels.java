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
        Choice c = choose(ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent(), System.getProperty("java.vm.info", ""));
        c.warning().ifPresent(w -> System.getLogger(Kernels.class.getName()).log(System.Logger.Level.WARNING, w));
        return c.kernel();
    }

    /**
     * VectorWidth and VectorKernel are the only classes that link against jdk.incubator.vector, and both are
     * reached only on the branch where the module is present (the JVM loads a class when code first uses it),
     * so without the module neither is loaded (no NoClassDefFoundError). The width is checked now, so a bad
     * setting falls back at once with its reason; the vector kernel is made when first needed (WarmingKernel).
     */
    static Choice choose(boolean vectorPresent) {
        return choose(vectorPresent, "mixed mode");
    }

    /**
     * As {@link #choose(boolean)}, on a JVM that describes itself by {@code vmInfo} (the property java.vm.info). One
     * without C2 ("interpreted mode": -Xint; "emulated-client": -XX:TieredStopAtLevel=1 or CompilationMode=quick-only)
     * never intrinsifies the Vector API: the vector kernel could never warm, and its warm-up spun a core for its 30 s
     * cap (a 2^28 bf16 normal fill with TieredStopAtLevel=1 on 2 cores: 31 s, against about 6 s scalar). So the
     * scalar kernel, silently: whoever chose such a JVM knows it is slow.
     */
    static Choice choose(boolean vectorPresent, String vmInfo) {
        if (!vectorPresent) return new Choice(new ScalarKernel(), Optional.of(FALLBACK_WARNING));
        if (vmInfo.contains("interpreted mode") || vmInfo.contains("emulated-client")) return new Choice(new ScalarKernel(), Optional.empty());
        try {
            String description = VectorWidth.checkedDescription();
            return new Choice(new WarmingKernel(Kernels::vectorKernel, description, new ScalarKernel()), VectorWidth.emulationWarning());
        } catch (LinkageError | RuntimeException e) {
            return new Choice(new ScalarKernel(), Optional.of(cannotStart(e)));
        }
    }

    /** The vector kernel, or, should it fail to start after all, null (WarmingKernel then stays scalar) and one warning. */
    private static RunKernel vectorKernel() {
        try {
            return (RunKernel) Class.forName("dev.tensorinit.cpu.VectorKernel").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            System.getLogger(Kernels.class.getName()).log(System.Logger.Level.WARNING, cannotStart(e));
            return null;
        }
    }

    private static String cannotStart(Throwable e) {
        Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
        return "the Vector API kernel could not start (" + cause + "); the CPU backend uses the scalar kernel, several times slower";
    }
}

package dev.tensorinit.opencl;

import dev.tensorinit.spi.JvmSignals;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Puts the JVM's signal handlers back after OpenCL calls that can let a driver take them: PoCL's
 * LLVM installs its own for SIGSEGV, SIGBUS, SIGILL, SIGINT and more when PoCL initializes its devices
 * and when it compiles a kernel, which crashed multithreaded JVMs (see {@link JvmSignals}). Called
 * before the first OpenCL call (to capture the JVM's handlers) and after every call that may load or
 * compile. The property {@value #PROPERTY}=false turns the repair off, for diagnosis only.
 */
final class SignalRepair {
    static final String PROPERTY = "tensorinit.signals.repair";
    private static final System.Logger LOG = System.getLogger(SignalRepair.class.getName());
    /** Only de-duplicates the warning; the repair itself runs every time. */
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private SignalRepair() {}

    /** Captures the JVM's handlers; call before any OpenCL call (later calls are free). */
    static void beforeFirstCall() {
        JvmSignals.original();
    }

    /** Restores any JVM handler replaced since the capture; warns once per JVM, naming the library. */
    static void after(String what) {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) return;
        List<String> restored = JvmSignals.original().restore();
        if (!restored.isEmpty() && WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "the OpenCL driver replaced the JVM's signal handlers during " + what
                    + " (" + String.join(", ", restored) + "); tensorinit put the JVM's back. Without that, multithreaded"
                    + " JVMs crash at a safepoint. Start the JVM with LD_PRELOAD=$JAVA_HOME/lib/libjsig.so (signal chaining)"
                    + " to close the remaining window; the tensorinit launcher does.");
        }
    }
}

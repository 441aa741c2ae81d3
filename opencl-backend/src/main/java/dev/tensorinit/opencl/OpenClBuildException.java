package dev.tensorinit.opencl;

/** The kernel source did not build on a device; {@link #buildLog()} is the compiler's log. */
public final class OpenClBuildException extends OpenClException {
    private final String buildLog;

    OpenClBuildException(String device, String options, int errorCode, String buildLog) {
        super("building the tensorinit kernels for " + device + " with options '" + options + "' failed: "
                + org.jocl.CL.stringFor_errorCode(errorCode) + withoutChaining() + "\n--- build log ---\n" + buildLog, errorCode, null);
        this.buildLog = buildLog;
    }

    public String buildLog() { return buildLog; }

    /**
     * The likely cause when the JVM runs without libjsig: the driver's compiler (LLVM) then holds the signal handlers
     * while it builds, and the JVM's own faults in other threads reach them (QA: 3 of 5 builds failed, "unable to rename
     * temporary ... .tmp", with 4 busy threads; 2 more runs died with SIGSEGV).
     */
    private static String withoutChaining() {
        return dev.tensorinit.spi.JvmSignals.chainingActive() ? ""
                : " (this JVM runs without signal chaining, which makes such failures and crashes likely while other threads"
                + " run: start it with LD_PRELOAD=$JAVA_HOME/lib/libjsig.so, as ./tensorinit does)";
    }
}

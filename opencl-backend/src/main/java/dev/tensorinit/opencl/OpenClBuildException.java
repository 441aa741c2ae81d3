package dev.tensorinit.opencl;

/** The kernel source did not build on a device; {@link #buildLog()} is the compiler's log. */
public final class OpenClBuildException extends OpenClException {
    private final String buildLog;

    OpenClBuildException(String device, String options, int errorCode, String buildLog) {
        super("building the tensorinit kernels for " + device + " with options '" + options + "' failed: "
                + org.jocl.CL.stringFor_errorCode(errorCode) + "\n--- build log ---\n" + buildLog, errorCode, null);
        this.buildLog = buildLog;
    }

    public String buildLog() { return buildLog; }
}

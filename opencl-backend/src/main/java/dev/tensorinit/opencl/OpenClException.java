package dev.tensorinit.opencl;

import org.jocl.CL;

/** An OpenCL call failed; the message names the call and the error code by name (e.g. CL_INVALID_VALUE). */
public class OpenClException extends RuntimeException {
    private final int errorCode;

    public OpenClException(String what, int errorCode) {
        super(what + " failed: " + CL.stringFor_errorCode(errorCode) + " (" + errorCode + ")");
        this.errorCode = errorCode;
    }

    OpenClException(String message, int errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /** The OpenCL error code, e.g. {@code CL.CL_INVALID_VALUE}. */
    public int errorCode() { return errorCode; }
}

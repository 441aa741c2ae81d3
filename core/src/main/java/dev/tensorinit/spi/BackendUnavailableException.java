package dev.tensorinit.spi;

/** A backend was asked for but cannot run here; the message says why, the cause is kept. */
public class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

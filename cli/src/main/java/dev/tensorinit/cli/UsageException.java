package dev.tensorinit.cli;

/** A command line the command cannot run: the user's to fix (exit code 2), one line naming what is wrong. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }

    UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}

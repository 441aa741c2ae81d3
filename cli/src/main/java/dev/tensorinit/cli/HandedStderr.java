package dev.tensorinit.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's own stderr, when ./tensorinit hands it over on another descriptor. In scripts the launcher sends
 * the JVM's descriptor 2 through a filter that drops the JVM's incubator notice; a filter is a separate process,
 * so a message written there could reach the caller's file after the command had exited (QA: 1 run in 40, with
 * {@code 2>err.txt}, left err.txt empty at exit). So the command writes its own lines to the descriptor the
 * launcher kept for the real stderr: the same open file (offsets shared with stdout under {@code 2>&1}), written
 * before the process exits. Only what the JVM writes natively, before or outside the command, still takes the filter.
 */
final class HandedStderr {
    private HandedStderr() {}

    /** The descriptor number, set by the launcher together with {@code --add-opens java.base/java.io=ALL-UNNAMED}. */
    static final String PROPERTY = "tensorinit.stderr.fd";

    /**
     * Points {@link System#err} at the handed-over descriptor, if the property names one that is open and the JVM
     * lets us build a stream on it; otherwise leaves System.err alone (the filtered descriptor 2 still works).
     */
    static void adopt() {
        String value = System.getProperty(PROPERTY);
        if (value == null) return;
        try {
            int fd = Integer.parseInt(value);
            if (fd < 3 || !Files.exists(Path.of("/proc/self/fd/" + fd))) return;
            FileDescriptor descriptor = new FileDescriptor();
            // No public constructor takes a number; a stream on a FileDescriptor object never closes it on its own.
            Field number = FileDescriptor.class.getDeclaredField("fd");
            number.setAccessible(true);
            number.setInt(descriptor, fd);
            System.setErr(new PrintStream(new FileOutputStream(descriptor), true, System.err.charset()));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not opened to us (run without the launcher's flags): keep the filtered stderr
        }
    }
}

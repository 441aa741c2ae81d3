package dev.tensorinit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The process's peak resident memory so far (Linux: VmHWM in /proc/self/status); empty elsewhere. */
final class PeakMemory {
    private PeakMemory() {}

    static OptionalLong bytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring(6).strip();
                    return OptionalLong.of(Long.parseLong(kb.substring(0, kb.indexOf(' '))) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc is not mounted
        }
        return OptionalLong.empty();
    }
}

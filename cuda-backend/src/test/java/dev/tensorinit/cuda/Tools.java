package dev.tensorinit.cuda;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a CUDA toolkit executable on the PATH, else in /usr/local/cuda/bin (test helper). */
final class Tools {
    private Tools() {}

    /** On the PATH only: what kernels.sh (command -v) sees. */
    static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name);
            }
        }
        return null;
    }

    static Path find(String name) {
        Path p = onPath(name);
        if (p != null) return p;
        Path standard = Path.of("/usr/local/cuda/bin", name);
        return Files.isExecutable(standard) ? standard : null;
    }
}

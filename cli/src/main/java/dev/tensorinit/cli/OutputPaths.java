package dev.tensorinit.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code --out} as the kernel resolves it, not as text. {@code Path.normalize()} drops {@code x/..} without
 * looking: {@code lnk/../w.npy}, lnk a link to {@code real/sub}, wrote {@code ./w.npy} where the shell and every
 * other program write {@code real/w.npy}, and {@code nosuchdir/../w.npy} succeeded. The folder is resolved through the
 * file system ({@code toRealPath}: links and {@code ..} component by component), then the file name is appended.
 */
final class OutputPaths {
    private OutputPaths() {}

    /**
     * The file {@code given} names, in its real folder. A missing folder is a runtime failure (NoSuchFileException);
     * a path whose folder part is a file, or that ends in {@code .} or {@code ..}, is a usage error.
     */
    static Path file(Path given) throws IOException {
        Path name = given.getFileName();
        if (name == null || name.toString().equals(".") || name.toString().equals("..")) {
            throw new UsageException("--out " + given + " names a folder; give a file name");
        }
        Path parent = given.toAbsolutePath().getParent(); // toAbsolutePath keeps the .. components; normalize would not
        Path real;
        try {
            real = parent.toRealPath();
        } catch (FileSystemException e) {
            throw problem(given, parent, e);
        }
        if (!Files.isDirectory(real)) throw fileInTheWay(given, parent);
        return real.resolve(name);
    }

    /**
     * The folder {@code given} names, resolved as far as it exists; the rest is appended (created later). A
     * {@code ..} after a missing folder is refused as the kernel refuses it ({@code mkdir -p} would create the folder
     * only to leave it); a file anywhere on the way is a usage error.
     */
    static Path folder(Path given) throws IOException {
        Path abs = given.toAbsolutePath();
        int k = abs.getNameCount();
        while (k > 0 && !Files.exists(prefix(abs, k))) {
            // A link whose target is missing (or a loop) is not a folder to create: createDirectories failed on it
            // with a bare path.
            Path p = prefix(abs, k);
            if (Files.isSymbolicLink(p)) {
                try {
                    p.toRealPath();
                } catch (NoSuchFileException missing) {
                    throw new UsageException("--out " + given + ": " + p + " is a link to a folder that does not exist");
                } catch (IOException other) {   // a loop, a permission: Files.exists said false for those too
                    throw new UsageException("--out " + given + ": " + p + ": " + Main.message(other, false));
                }
            }
            k--;
        }
        Path existing = prefix(abs, k);
        if (!Files.isDirectory(existing)) {
            if (k == abs.getNameCount()) throw new UsageException("--out " + given + " is a file; give a folder");
            throw fileInTheWay(given, existing);
        }
        Path real = existing.toRealPath();
        for (int i = k; i < abs.getNameCount(); i++) {
            String n = abs.getName(i).toString();
            if (n.equals("..")) throw missing(given, prefix(abs, k + 1));
            if (!n.equals(".")) real = real.resolve(n);
        }
        return real;
    }

    /** The first {@code n} names of an absolute path, with its root. */
    private static Path prefix(Path abs, int n) {
        return n == 0 ? abs.getRoot() : abs.getRoot().resolve(abs.subpath(0, n));
    }

    /** Why {@code parent} did not resolve: the first part of it that is missing (thrown when it is a file), else {@code e}. */
    private static IOException problem(Path given, Path parent, FileSystemException e) {
        for (int i = 1; i <= parent.getNameCount(); i++) {
            Path p = prefix(parent, i);
            try {
                if (!Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).isDirectory()) throw fileInTheWay(given, p);
            } catch (NoSuchFileException missing) {
                if (Files.isSymbolicLink(p)) {
                    return new NoSuchFileException(p.toString(), null, "a link to a folder that does not exist (--out " + given + ")");
                }
                return missing(given, p);
            } catch (IOException other) {
                // Not "missing": Files.exists said so for a permission, a name too long or a link loop (QA: "the folder
                // does not exist" for a folder that did). The file system's own words.
                return e;
            }
        }
        return e;
    }

    private static NoSuchFileException missing(Path given, Path folder) {
        return new NoSuchFileException(folder.toString(), null, "the folder does not exist (--out " + given + ")");
    }

    private static UsageException fileInTheWay(Path given, Path file) {
        return new UsageException("--out " + given + ": " + file + " is a file, not a folder");
    }
}

package dev.tensorinit.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folders a run made for its output, removed again when the run ends and nothing stayed in them: a `model` run
 * that failed (disk full) or was interrupted before its first complete file left an empty checkpoint folder. A folder
 * is only ever removed while empty (the system refuses to delete one that is not), so a complete file, or anything
 * another process put there meanwhile, keeps it. Closing ends the watch; a signal (Ctrl-C, SIGTERM) does the same from
 * a shutdown hook.
 */
final class MadeFolders implements AutoCloseable {
    /** How long the hook waits for this process's temporary files to go (another hook deletes them, in no set order). */
    static final long HOOK_WAIT_MILLIS = 500;

    private final List<Path> made;   // deepest first
    private final Thread hook;
    private final long pid = ProcessHandle.current().pid();

    private MadeFolders(List<Path> made) {
        this.made = made;
        this.hook = made.isEmpty() ? null : new Thread(this::removeAtExit, "tensorinit-folder-cleanup");
        if (hook != null) {
            try {
                Runtime.getRuntime().addShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // a signal came first: the command stops before it writes anything
            }
        }
    }

    /** Makes {@code dir} and the folders above it that are missing (Files.createDirectories), remembering which. */
    static MadeFolders create(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) missing.add(p);
        Files.createDirectories(dir);
        return new MadeFolders(missing);
    }

    /** The folders this run made, deepest first. */
    List<Path> made() { return made; }

    /** Removes the folders made that are empty, deepest first, and ends the watch. */
    @Override public void close() {
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hooks are running: the hook removes them
            }
        }
        removeEmpty();
    }

    private void removeEmpty() {
        for (Path p : made) {
            try {
                Files.delete(p);
            } catch (NoSuchFileException gone) {
                // removed or moved meanwhile: the folders above may still be empty
            } catch (IOException | RuntimeException e) {
                return;   // not empty (a complete file, another process's), or not ours to remove: the folders above stay too
            }
        }
    }

    /** At a signal: the temporary files of this process may not be gone yet; waits briefly while they are all it holds. */
    private void removeAtExit() {
        long deadline = System.nanoTime() + HOOK_WAIT_MILLIS * 1_000_000;
        while (!made.isEmpty() && onlyOurTemporaryFiles(made.getFirst()) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
        removeEmpty();
    }

    /** Whether {@code dir} holds at least one entry and nothing but this process's temporary files. */
    private boolean onlyOurTemporaryFiles(Path dir) {
        boolean any = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                if (!TempName.pid(e.getFileName().toString()).equals(java.util.Optional.of(pid))) return false;
                any = true;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return any;
    }
}

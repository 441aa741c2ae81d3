package dev.tensorinit.cli;

import java.io.IOException;
import java.nio.file.ClosedDirectoryStreamException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;

/**
 * A temporary file's name, with a handle on its folder to delete it by. Deleting by path missed the file when the
 * folder was renamed during the run (`mv out out2` while a fill wrote: exit 1, and a 1.2 GB temporary file stayed in
 * out2). On Linux a directory stream is a {@link SecureDirectoryStream}, whose deleteFile is unlinkat relative to the
 * open folder, wherever it has moved; elsewhere, or when the handle fails, the file is deleted by path.
 */
final class TempFile implements AutoCloseable {
    private final Path path;
    private final SecureDirectoryStream<Path> folder; // null: by path only
    /** Set by the shutdown hook's delete: a failure that follows is the process exiting, not the folder moving. */
    private volatile boolean exiting;

    private TempFile(Path path, SecureDirectoryStream<Path> folder) {
        this.path = path;
        this.folder = folder;
    }

    /** The file {@code name} in {@code dir} (not created here); opens the handle on {@code dir} now, before the file exists. */
    static TempFile in(Path dir, String name) {
        SecureDirectoryStream<Path> handle = null;
        try {
            DirectoryStream<Path> s = Files.newDirectoryStream(dir);
            if (s instanceof SecureDirectoryStream<Path> secure) handle = secure;
            else s.close();
        } catch (IOException | RuntimeException e) {
            // by path, then
        }
        return new TempFile(dir.resolve(name), handle);
    }

    Path path() { return path; }

    /** Deletes the file in the folder it was made in, wherever that folder is now; quietly, as a clean-up. */
    void delete() {
        if (folder != null) {
            try {
                folder.deleteFile(path.getFileName());
                return;
            } catch (IOException | ClosedDirectoryStreamException | SecurityException e) {
                // not there (made after a rename, or already gone) or the handle is closed: try the path
            }
        }
        AtomicFile.deleteQuietly(path);
    }

    /** The shutdown hook's delete (Ctrl-C, SIGTERM): as {@link #delete()}, and remembered. */
    void deleteAtExit() {
        exiting = true;
        delete();
    }

    /** Whether the shutdown hook has deleted (or is deleting) the file. */
    boolean exiting() { return exiting; }

    /** Closes the handle on the folder; the file itself is left as it is. */
    @Override public void close() {
        try {
            if (folder != null) folder.close();
        } catch (IOException e) {
            // a directory handle: nothing was written through it
        }
    }
}

package dev.tensorinit.cli;

import java.nio.channels.WritableByteChannel;

/**
 * A channel that appends to a file: where its next byte lands, and the alignment that memory should share with its
 * file position to be written without a copy. {@link TensorStream} places each piece in its buffer so that the
 * piece's address and file position agree modulo that alignment.
 */
interface FileAppender extends WritableByteChannel {
    long position();

    /** The alignment for the next {@code bytes} bytes written; 1 when any memory will do. */
    int alignment(long bytes);

    /**
     * Sets up now what writing the next {@code bytes} bytes will need (direct I/O's descriptor and staging block), so
     * that it is ready when they come: the caller has them filled meanwhile. Optional; nothing by default.
     */
    default void expect(long bytes) {}
}

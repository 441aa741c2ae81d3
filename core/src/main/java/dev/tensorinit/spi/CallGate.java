package dev.tensorinit.spi;

import java.util.concurrent.CancellationException;

/**
 * The lifecycle rules of {@link Backend} in one place: every public call enters the gate and leaves
 * it; {@link #close(Runnable)} refuses new calls, tells the calls inside to stop at their next
 * {@link Call#checkpoint()}, and waits until all of them have left. Only then may the backend free
 * what those calls could still be using.
 */
public final class CallGate {
    private final String backend;
    private int inside;
    private boolean closed;
    /** The first close's release has returned (or thrown). */
    private boolean released;
    /** Read by workers between pieces without taking the lock. */
    private volatile boolean closing;

    /** {@code backend} names the backend in messages ("cpu backend is closed"). */
    public CallGate(String backend) {
        this.backend = java.util.Objects.requireNonNull(backend, "backend");
    }

    /** Enters a call. Throws IllegalStateException when the backend is closed (or closing). */
    public synchronized Call enter() {
        if (closed) throw new IllegalStateException(backend + " backend is closed");
        inside++;
        return new Call();
    }

    /** Whether close() has begun: running calls should stop at their next piece. */
    public boolean closing() {
        return closing;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Closes the backend: marks it closed, waits until no call is inside (ignoring interrupts; the caller's interrupt
     * status is kept), then runs {@code release}, once, outside the lock (new calls are refused meanwhile, not blocked).
     * A close that finds the backend closed by another thread waits until that close's release has returned or
     * thrown: every close() returns only when the backend is idle and its resources are freed (a second close used to
     * return at once, while a fill still ran on the memory the first one was about to free). If the release throws, the
     * first caller gets the exception and the others return. {@code release} must not close this gate itself.
     */
    public void close(Runnable release) {
        java.util.Objects.requireNonNull(release, "release");
        if (!shut()) return;
        try {
            release.run();
        } finally {
            synchronized (this) {
                released = true;
                notifyAll();
            }
        }
    }

    /** True for the first caller, once no call is inside; false for later ones, once the first one's release is done. */
    private synchronized boolean shut() {
        boolean first = !closed;
        closed = true;
        closing = true;
        boolean interrupted = false;
        while (first ? inside > 0 : !released) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return first;
    }

    private synchronized void leave() {
        inside--;
        if (inside == 0) notifyAll();
    }

    /** One call inside the gate; close it (try-with-resources) when the call returns or throws. */
    public final class Call implements AutoCloseable {
        private boolean left;

        private Call() {}

        /** True when this call should stop: the backend is closing or the calling thread was interrupted. */
        public boolean stopRequested() {
            return closing || Thread.currentThread().isInterrupted();
        }

        /**
         * Throws when the call must stop: {@link CancellationException} when the calling thread was
         * interrupted (its interrupt status stays set), IllegalStateException when the backend is
         * closing. Call it on the calling thread only, between pieces, after the previous piece's
         * workers and device commands have finished.
         */
        public void checkpoint() {
            if (Thread.currentThread().isInterrupted()) throw interrupted();
            if (closing) throw closedDuringCall();
        }

        /** The exception for a call stopped by an interrupt (the caller keeps the interrupt status set). */
        public CancellationException interrupted() {
            return new CancellationException(backend + " fill or copy interrupted; the destination may be partly written");
        }

        /** The exception for a call stopped by close(). */
        public IllegalStateException closedDuringCall() {
            return new IllegalStateException(backend + " backend was closed during the call; the destination may be partly written");
        }

        @Override public void close() {
            if (left) return;
            left = true;
            leave();
        }
    }
}

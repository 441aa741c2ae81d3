package dev.tensorinit.spi;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The open/closed state of one {@link DeviceBuffer} and the lock that keeps it from being freed under a fill or copy.
 *
 * <p>Why not the buffer's monitor: a fill holds the lock for its whole duration (seconds), and a {@code synchronized}
 * isOpen() waited that long, while a second fill waiting for the busy buffer could be neither interrupted nor stopped
 * by the backend's close. Here isOpen() reads a volatile flag, and a call waiting for the buffer gives up at once on
 * an interrupt and soon after its backend begins to close, as a running fill would at its next piece.
 */
public final class BufferLock {
    /** How often a call waiting for a busy buffer looks whether its backend is closing (an interrupt ends the wait at once). */
    static final long POLL_MILLIS = 10;

    private final String what;
    private final ReentrantLock lock = new ReentrantLock();
    /** Written under the lock only, so a call holding the lock sees it open until the call ends. */
    private volatile boolean open = true;

    /** {@code what} names the buffer in messages, e.g. "OpenCL buffer of 256 f32 elements". */
    public BufferLock(String what) {
        this.what = Objects.requireNonNull(what, "what");
    }

    /** Whether the buffer is open; never waits. A close in progress counts as open until it has taken the lock. */
    public boolean isOpen() {
        return open;
    }

    /**
     * Runs {@code work} while the buffer cannot be closed. Waits for a fill or copy already using it; while waiting,
     * an interrupt throws {@link java.util.concurrent.CancellationException} (the interrupt status stays set) and a
     * closing backend IllegalStateException, as {@link CallGate.Call#checkpoint()} does. A closed buffer:
     * IllegalStateException.
     */
    public void use(CallGate.Call call, Runnable work) {
        Objects.requireNonNull(call, "call");
        try {
            while (!lock.tryLock(POLL_MILLIS, TimeUnit.MILLISECONDS)) call.checkpoint();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw call.interrupted();
        }
        try {
            if (!open) throw new IllegalStateException(what + " is closed");
            work.run();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks the buffer closed and runs {@code release} (which frees it), after any fill or copy using it has ended.
     * Waits ignoring interrupts (the interrupt status is kept): a close must not leave memory behind. Returns false,
     * running nothing, when the buffer was already closed.
     */
    public boolean close(Runnable release) {
        lock.lock();
        try {
            if (!open) return false;
            open = false;
            release.run();
            return true;
        } finally {
            lock.unlock();
        }
    }
}

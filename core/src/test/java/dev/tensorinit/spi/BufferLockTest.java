package dev.tensorinit.spi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A buffer busy with one fill: isOpen() answers at once, a second call's wait ends on an interrupt or a close, close waits. */
class BufferLockTest {
    private final BufferLock lock = new BufferLock("test buffer");
    private final CountDownLatch entered = new CountDownLatch(1), release = new CountDownLatch(1);

    /** A thread using the buffer until {@link #release} opens. */
    private Thread holdBusy() throws InterruptedException {
        CallGate gate = new CallGate("test");
        Thread t = Thread.ofPlatform().start(() -> {
            try (CallGate.Call call = gate.enter()) {
                lock.use(call, () -> {
                    entered.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
            }
        });
        entered.await();
        return t;
    }

    @Test
    void isOpenDoesNotWaitForAUse() throws Exception {
        Thread holder = holdBusy();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertTrue(lock.isOpen()));
        } finally {
            release.countDown();
            holder.join();
        }
    }

    @Test
    void aCallWaitingForTheBufferEndsOnAnInterrupt() throws Exception {
        Thread holder = holdBusy();
        try {
            CallGate gate = new CallGate("test");
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            AtomicBoolean ran = new AtomicBoolean(), flagAfter = new AtomicBoolean();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try (CallGate.Call call = gate.enter()) {
                    lock.use(call, () -> ran.set(true));
                } catch (Throwable t) {
                    outcome.set(t);
                }
                flagAfter.set(Thread.currentThread().isInterrupted());
            });
            awaitWaiting(waiter);
            waiter.interrupt();
            waiter.join(5_000);
            assertFalse(waiter.isAlive(), "the interrupted call still waits for the busy buffer");
            assertInstanceOf(CancellationException.class, outcome.get());
            assertTrue(flagAfter.get(), "the interrupt status stays set");
            assertFalse(ran.get());
        } finally {
            release.countDown();
            holder.join();
        }
    }

    @Test
    void aCallWaitingForTheBufferEndsWhenItsBackendCloses() throws Exception {
        Thread holder = holdBusy();
        try {
            CallGate gate = new CallGate("test");
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try (CallGate.Call call = gate.enter()) {
                    lock.use(call, () -> { });
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            awaitWaiting(waiter);
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> gate.close(() -> { }), "close waited for the buffer's other user");
            waiter.join();
            assertInstanceOf(IllegalStateException.class, outcome.get());
        } finally {
            release.countDown();
            holder.join();
        }
    }

    @Test
    void closeWaitsForTheUseThenReleasesOnce() throws Exception {
        Thread holder = holdBusy();
        AtomicInteger released = new AtomicInteger();
        Thread closer = Thread.ofPlatform().start(() -> lock.close(released::incrementAndGet));
        try {
            closer.join(200);
            assertTrue(closer.isAlive(), "close returned while the buffer was in use");
            assertEquals(0, released.get(), "released under a running use");
            assertTrue(lock.isOpen());
        } finally {
            release.countDown();
            holder.join();
        }
        closer.join();
        assertEquals(1, released.get());
        assertFalse(lock.isOpen());
        assertFalse(lock.close(released::incrementAndGet), "closing twice");
        assertEquals(1, released.get());
        try (CallGate.Call call = new CallGate("test").enter()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> lock.use(call, () -> { }));
            assertTrue(e.getMessage().contains("test buffer is closed"), e.getMessage());
        }
    }

    /** Until t waits (parks) for the lock. */
    static void awaitWaiting(Thread t) throws InterruptedException {
        while (t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.WAITING) {
            assertTrue(t.isAlive(), "the thread ended instead of waiting");
            Thread.sleep(1);
        }
    }
}

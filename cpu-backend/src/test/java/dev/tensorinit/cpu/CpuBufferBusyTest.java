package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Shape;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.spi.DeviceBuffer;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A buffer busy with a long fill: isOpen() answers at once (it waited 6.5 s for a fill to end), a second fill or a
 * copy waiting for the buffer ends at an interrupt (it ended only with the first fill, 9 s later), and closing the
 * buffer still waits for the fill.
 */
class CpuBufferBusyTest {
    private static final FillRequest R = FillRequest.of(Shape.of(1024), InitSpec.uniform(-1, 1));

    /** Fills nothing until released, so a fill holds its buffer as long as the test wants. */
    private static final class Gated implements RunKernel {
        final CountDownLatch entered = new CountDownLatch(1), release = new CountDownLatch(1);
        @Override public String description() { return "gated test kernel"; }
        @Override public void fillRun(KernelArgs args, long first, long count, MemorySegment dst, long dstOffset) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private interface Busy {
        void run(CpuBackend backend, DeviceBuffer buffer, Gated kernel) throws Exception;
    }

    /** Runs {@code test} while a fill on another thread holds a buffer of the backend. */
    private static void whileBusy(Busy test) throws Exception {
        Gated kernel = new Gated();
        try (CpuBackend backend = new CpuBackend(1, kernel)) {
            DeviceBuffer buf = backend.allocate(DType.F32, R.count());
            Thread filler = Thread.ofPlatform().start(() -> backend.fill(R, buf));
            try {
                kernel.entered.await();
                test.run(backend, buf, kernel);
            } finally {
                kernel.release.countDown();
                filler.join();
            }
        }
    }

    @Test
    void isOpenDoesNotWaitForAFill() throws Exception {
        whileBusy((backend, buf, kernel) -> assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertTrue(buf.isOpen()),
                "isOpen() waited for the fill in progress"));
    }

    @Test
    void aFillOrCopyWaitingForTheBufferEndsAtAnInterrupt() throws Exception {
        for (boolean copy : new boolean[] {false, true}) {
            whileBusy((backend, buf, kernel) -> {
                AtomicReference<Throwable> outcome = new AtomicReference<>();
                AtomicBoolean flagAfter = new AtomicBoolean();
                Thread waiter = Thread.ofPlatform().start(() -> {
                    try {
                        if (copy) backend.copyToHost(buf, 0, MemorySegment.ofArray(new float[16]));
                        else backend.fill(R, buf);
                    } catch (Throwable t) {
                        outcome.set(t);
                    }
                    flagAfter.set(Thread.currentThread().isInterrupted());
                });
                awaitWaiting(waiter);
                waiter.interrupt();
                waiter.join(5_000);
                String what = copy ? "copyToHost" : "fill";
                assertFalse(waiter.isAlive(), "an interrupted " + what + " still waits for the busy buffer");
                assertInstanceOf(CancellationException.class, outcome.get(), what);
                assertTrue(flagAfter.get(), what + ": the interrupt status stays set");
            });
        }
    }

    @Test
    void closingTheBufferWaitsForTheFill() throws Exception {
        whileBusy((backend, buf, kernel) -> {
            Thread closer = Thread.ofPlatform().start(buf::close);
            closer.join(200);
            assertTrue(closer.isAlive(), "the buffer was closed (its memory freed) under a running fill");
            kernel.release.countDown();
            closer.join();
            assertFalse(buf.isOpen());
        });
    }

    /** Until t waits (parks or blocks) for the buffer. */
    private static void awaitWaiting(Thread t) throws InterruptedException {
        while (t.getState() == Thread.State.NEW || t.getState() == Thread.State.RUNNABLE) {
            assertTrue(t.isAlive(), "the thread ended instead of waiting");
            Thread.sleep(1);
        }
    }
}

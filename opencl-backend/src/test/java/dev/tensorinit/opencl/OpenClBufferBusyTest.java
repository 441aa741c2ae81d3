package dev.tensorinit.opencl;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Shape;
import dev.tensorinit.spi.CallGate;
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
 * A buffer busy with another fill or copy (held here through its lock, as a fill holds it, for as long as the test
 * wants): isOpen() answers at once, and a fill or copy waiting for the buffer ends at an interrupt instead of when the
 * other one ends (9 s later in the QA run).
 */
class OpenClBufferBusyTest {
    private static final FillRequest R = FillRequest.of(Shape.of(1024), InitSpec.uniform(-1, 1));

    private interface Busy {
        void run(OpenClBackend backend, OpenClBuffer buffer) throws Exception;
    }

    private static void whileBusy(Busy test) throws Exception {
        try (OpenClBackend backend = OpenClTesting.backend()) {
            OpenClBuffer buf = (OpenClBuffer) backend.allocate(DType.F32, R.count());
            CountDownLatch entered = new CountDownLatch(1), release = new CountDownLatch(1);
            CallGate gate = new CallGate("test");
            Thread holder = Thread.ofPlatform().start(() -> {
                try (CallGate.Call call = gate.enter()) {
                    buf.lock().use(call, () -> {
                        entered.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
            });
            try {
                entered.await();
                test.run(backend, buf);
            } finally {
                release.countDown();
                holder.join();
            }
        }
    }

    @Test
    void isOpenDoesNotWaitForABusyBuffer() throws Exception {
        whileBusy((backend, buf) -> assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertTrue(buf.isOpen()),
                "isOpen() waited for the fill in progress"));
    }

    @Test
    void aFillOrCopyWaitingForTheBufferEndsAtAnInterrupt() throws Exception {
        for (boolean copy : new boolean[] {false, true}) {
            whileBusy((backend, buf) -> {
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
                while (waiter.getState() == Thread.State.NEW || waiter.getState() == Thread.State.RUNNABLE) {
                    assertTrue(waiter.isAlive(), "the call ended instead of waiting for the busy buffer");
                    Thread.sleep(1);
                }
                waiter.interrupt();
                waiter.join(5_000);
                String what = copy ? "copyToHost" : "fill";
                assertFalse(waiter.isAlive(), "an interrupted " + what + " still waits for the busy buffer");
                assertInstanceOf(CancellationException.class, outcome.get(), what);
                assertTrue(flagAfter.get(), what + ": the interrupt status stays set");
            });
        }
    }
}

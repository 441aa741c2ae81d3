package dev.tensorinit.cpu;

import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Shape;
import dev.tensorinit.kernel.KernelArgs;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * When a worker thread cannot be started (the process is out of threads: OutOfMemoryError "unable to create native
 * thread"), the fill must not throw while the workers already started still write the destination: the caller then
 * frees it (closing a confined arena) and the JVM died with SIGSEGV in a tensorinit-cpu thread.
 */
class CpuBackendWorkerStartFailureTest {

    /** A slow kernel that counts the runs in progress and the runs begun. */
    private static final class SlowKernel implements RunKernel {
        final AtomicInteger inFlight = new AtomicInteger(), begun = new AtomicInteger();

        @Override public String description() { return "slow test kernel"; }

        @Override public void fillRun(KernelArgs args, long first, long count, MemorySegment dst, long dstOffset) {
            inFlight.incrementAndGet();
            begun.incrementAndGet();
            try {
                long until = System.nanoTime() + 20_000_000;
                while (System.nanoTime() < until) Thread.onSpinWait();
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    @Test
    void aWorkerThatCannotStartStopsTheOthersBeforeTheFillThrows() throws Exception {
        AtomicInteger made = new AtomicInteger();
        ThreadFactory oneThenNone = r -> {
            if (made.getAndIncrement() > 0) throw new OutOfMemoryError("unable to create native thread (test)");
            Thread t = new Thread(r, "tensorinit-cpu");
            t.setDaemon(true);
            return t;
        };
        SlowKernel kernel = new SlowKernel();
        FillRequest r = FillRequest.of(Shape.of(64L * CpuBackend.CHUNK), InitSpec.uniform(-1, 1));
        try (CpuBackend backend = new CpuBackend(4, kernel, oneThenNone); Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(r.byteSize());
            assertThrows(OutOfMemoryError.class, () -> backend.fill(r, dst));
            assertEquals(0, kernel.inFlight.get(), "a worker still writes the destination after the fill threw");
            int begun = kernel.begun.get();
            Thread.sleep(100);
            assertEquals(begun, kernel.begun.get(), "a worker went on writing the destination after the fill threw");
        }
    }
}

package dev.tensorinit;

import dev.tensorinit.spi.SegmentHold;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentHoldTest {

    /** While the work runs, another thread cannot close the shared arena; once it returns, it can. */
    @Test
    void aSharedArenaCannotBeClosedDuringTheWork() throws Exception {
        Arena arena = Arena.ofShared();
        MemorySegment seg = arena.allocate(1 << 20);
        AtomicReference<Throwable> closeDuring = new AtomicReference<>();
        SegmentHold.during(seg, () -> {
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    arena.close();
                } catch (Throwable e) {
                    closeDuring.set(e);
                }
            });
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            seg.set(ValueLayout.JAVA_INT, 0, 42);   // still mapped: the close was refused
        });
        assertInstanceOf(IllegalStateException.class, closeDuring.get(), "the close during the work");
        assertEquals(42, seg.get(ValueLayout.JAVA_INT, 0));
        arena.close();
        assertFalse(seg.scope().isAlive());
    }

    @Test
    void theWorksFailuresComeOutUnchanged() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate(64);
            IllegalArgumentException iae = new IllegalArgumentException("bad");
            assertSame(iae, assertThrows(IllegalArgumentException.class, () -> SegmentHold.during(seg, () -> { throw iae; })));
            StackOverflowError soe = new StackOverflowError("deep");
            assertSame(soe, assertThrows(StackOverflowError.class, () -> SegmentHold.during(seg, () -> { throw soe; })));
            // and the hold is released after a failure
        }
    }

    @Test
    void nestedHoldsRunEachWorkOnce() {
        try (Arena a = Arena.ofShared(); Arena b = Arena.ofShared()) {
            MemorySegment x = a.allocate(8), y = b.allocate(8);
            int[] runs = new int[2];
            SegmentHold.during(x, () -> {
                runs[0]++;
                SegmentHold.during(y, () -> runs[1]++);
            });
            assertEquals(1, runs[0]);
            assertEquals(1, runs[1]);
        }
    }

    @Test
    void confinedHeapAndClosedSegments() throws Exception {
        int[] runs = new int[1];
        try (Arena confined = Arena.ofConfined()) {
            SegmentHold.during(confined.allocate(8), () -> runs[0]++);
        }
        SegmentHold.during(MemorySegment.ofArray(new float[4]), () -> runs[0]++);
        assertEquals(2, runs[0]);
        Arena closed = Arena.ofShared();
        MemorySegment gone = closed.allocate(8);
        closed.close();
        assertThrows(IllegalStateException.class, () -> SegmentHold.during(gone, () -> runs[0]++));
        // Confined to another thread: refused before the work runs.
        AtomicReference<MemorySegment> other = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> {
            Arena own = Arena.ofConfined();
            other.set(own.allocate(8));
            try {
                done.await();
            } catch (InterruptedException ignored) {
                // exit
            }
            own.close();
        });
        while (other.get() == null) Thread.onSpinWait();
        assertThrows(WrongThreadException.class, () -> SegmentHold.during(other.get(), () -> runs[0]++));
        done.countDown();
        t.join();
        assertEquals(2, runs[0], "no refused work ran");
    }
    /**
     * A segment whose shared arena is already closed: the message names the arena, not the JDK's bare "Already closed"
     * (a copy whose destination's arena closed between the backend's checks and the hold gave that one).
     */
    @Test
    void aClosedArenaIsNamedAsSuch() {
        Arena arena = Arena.ofShared();
        MemorySegment seg = arena.allocate(64);
        MemorySegment src = Arena.global().allocate(64);
        arena.close();
        boolean[] ran = {false};
        IllegalStateException held = assertThrows(IllegalStateException.class, () -> SegmentHold.during(seg, () -> ran[0] = true));
        assertTrue(held.getMessage().contains("arena is already closed"), held.getMessage());
        assertFalse(ran[0], "the work did not run");
        IllegalStateException accessed = assertThrows(IllegalStateException.class,
                () -> SegmentHold.accessing(seg, () -> MemorySegment.copy(src, 0, seg, 0, 64)));
        assertTrue(accessed.getMessage().contains("arena is already closed"), accessed.getMessage());
        IllegalStateException own = new IllegalStateException("the destination's arena is closed");
        assertSame(own, assertThrows(IllegalStateException.class, () -> SegmentHold.accessing(seg, () -> { throw own; })),
                "a message that already names the arena is kept");
    }
}

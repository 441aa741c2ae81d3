package dev.tensorinit.spi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;

/**
 * Runs native work that writes a host segment while the segment's arena cannot be closed.
 *
 * <p>Why: a device (or a JNI library such as JOCL or JCuda) writes host memory behind the FFM API's back, so
 * nothing stops another thread from closing a shared arena in the middle, and the device then writes freed
 * memory: the JVM died with SIGSEGV inside a PoCL kernel that way. Java code is safe (a segment access checks the
 * arena, and closing a shared arena waits out accesses in progress); native writes are not. The FFM API does keep
 * a segment passed to a native call alive until the call returns (closing its arena meanwhile throws
 * IllegalStateException), so for a segment that another thread could close the work runs inside such a call: the C
 * library's {@code bsearch} over one element, with the segment as the key, calls back into Java once to compare,
 * and that upcall is the work. A segment confined to the calling thread (only this thread, busy here, could close
 * it) or on the heap (kept alive by its array; devices never write it directly) runs the work directly.
 */
public final class SegmentHold {
    private SegmentHold() {}

    /** The work, any failure it threw, and whether it ran: the upcall has no other way to report. */
    private static final class Held {
        final Runnable work;
        Throwable failure;
        boolean ran;

        Held(Runnable work) { this.work = work; }
    }

    private static final ThreadLocal<Held> CURRENT = new ThreadLocal<>();

    /** bsearch and the upcall stub, linked on first use; null where the platform has no linker or bsearch. */
    private static final class Libc {
        static final MethodHandle BSEARCH;
        static final MemorySegment COMPARE, BASE;
        static {
            MethodHandle bsearch = null;
            MemorySegment compare = null, base = null;
            try {
                Linker linker = Linker.nativeLinker();
                bsearch = linker.downcallHandle(linker.defaultLookup().find("bsearch").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
                MethodHandle target = MethodHandles.lookup().findStatic(SegmentHold.class, "compare",
                        MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
                compare = linker.upcallStub(target, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                        Arena.global());
                base = Arena.global().allocate(1);
            } catch (RuntimeException | ReflectiveOperationException | LinkageError e) {
                bsearch = null;   // no native linker here: the work runs unheld, as it would without this class
            }
            BSEARCH = bsearch;
            COMPARE = compare;
            BASE = base;
        }
    }

    /** The upcall: runs the thread's work. It must not throw (an exception escaping an upcall ends the JVM). */
    private static int compare(MemorySegment key, MemorySegment element) {
        Held h = CURRENT.get();
        if (h != null && !h.ran) {
            h.ran = true;
            try {
                h.work.run();
            } catch (Throwable t) {
                h.failure = t;
            }
        }
        return 0;
    }

    /** Whether another thread could close {@code segment}'s arena while this thread works on it. */
    static boolean closableByOthers(MemorySegment segment) {
        return segment.isNative() && segment.isAccessibleBy(Others.THREAD);
    }

    private static final class Others {
        /** Never started: a segment it may access is not confined to the caller. */
        static final Thread THREAD = Thread.ofPlatform().unstarted(() -> { });
    }

    /**
     * Runs {@code work}, which accesses {@code segment} from Java on this thread. When another thread closes the
     * segment's shared arena meanwhile, the JDK stops the access with an asynchronous IllegalStateException and, as
     * HotSpot does when it installs any asynchronous exception, sets this thread's interrupt status too: an interrupt
     * nobody sent, which made the caller's next wait throw InterruptedException. So when the work ends that way on a
     * thread that was not interrupted before, the status is cleared again; the exception goes on. (A genuine interrupt
     * that arrives during the same work cannot be told apart, and is cleared too: the rarer of the two mistakes.)
     * The JDK's message is a bare "Already closed"; the exception thrown says whose arena, with the JDK's as cause.
     */
    public static void accessing(MemorySegment segment, Runnable work) {
        boolean interruptedBefore = Thread.currentThread().isInterrupted();
        // Closed before the call: the work's own check says so. A null segment is the work's to name, too.
        boolean aliveBefore = segment == null || segment.scope().isAlive();
        try {
            work.run();
        } catch (IllegalStateException e) {
            if (segment == null || segment.scope().isAlive()) throw e;
            if (!interruptedBefore) Thread.interrupted();
            if (aliveBefore) throw new IllegalStateException("the segment's arena was closed by another thread during the call", e);
            // Closed before the work: its own check names the arena (a fill's does); a copy's MemorySegment.copy gave only
            // the JDK's bare "Already closed" when the arena closed between the caller's checks and this call.
            if (String.valueOf(e.getMessage()).contains("arena")) throw e;
            throw new IllegalStateException("segment's arena is already closed", e);
        }
    }

    /**
     * Runs {@code work}, during which {@code segment}'s arena cannot be closed: another thread's {@code close()} throws
     * IllegalStateException instead of freeing memory the work writes. Throws what the work throws;
     * IllegalStateException if the arena is already closed, WrongThreadException if the segment is confined to
     * another thread (before the work starts).
     */
    public static void during(MemorySegment segment, Runnable work) {
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(work, "work");
        if (!closableByOthers(segment) || Libc.BSEARCH == null) {
            if (!segment.isAccessibleBy(Thread.currentThread())) {
                throw new WrongThreadException("segment is confined to another thread than " + Thread.currentThread().getName());
            }
            if (!segment.scope().isAlive()) throw new IllegalStateException("segment's arena is already closed");
            work.run();
            return;
        }
        Held held = new Held(work), outer = CURRENT.get();
        boolean aliveBefore = segment.scope().isAlive();
        CURRENT.set(held);
        try {
            // bsearch(key, base, 1 element, 1 byte, compare): compares the key with the one element, so calls compare
            // once. The key is the segment: the FFM API keeps its arena open until bsearch returns.
            MemorySegment ignored = (MemorySegment) Libc.BSEARCH.invokeExact(segment, Libc.BASE, 1L, 1L, Libc.COMPARE);
        } catch (IllegalStateException e) {
            // The FFM API could not hold a closed arena: its message is a bare "Already closed". Say whose.
            if (held.ran || segment.scope().isAlive()) throw e;
            throw new IllegalStateException(aliveBefore ? "the segment's arena was closed by another thread during the call"
                    : "segment's arena is already closed", e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            CURRENT.set(outer);
        }
        if (!held.ran) work.run();   // a C library whose bsearch skips a lone element: unheld, as before
        else if (held.failure instanceof RuntimeException e) throw e;
        else if (held.failure instanceof Error e) throw e;
        else if (held.failure != null) throw new IllegalStateException(held.failure);
    }
}

package dev.tensorinit.spi;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One backend, ready to fill. Every implementation follows the same rules, and core's test jar holds
 * one executable contract suite ({@code dev.tensorinit.testing.BackendContract}) that every backend
 * module runs against them.
 *
 * <h2>Threads</h2>
 * Implementations are thread-safe: several threads may fill different destinations through one
 * backend at once, and get exactly what sequential fills would give.
 *
 * <h2>Bad input</h2>
 * <ul>
 *   <li>A null argument: {@link NullPointerException} naming the parameter.</li>
 *   <li>Any other bad argument (a destination too small or read-only, a buffer of another dtype or
 *       backend, an index outside a buffer, a size whose bytes overflow a {@code long}):
 *       {@link IllegalArgumentException} naming the value.</li>
 *   <li>A destination whose arena is closed, a closed buffer, a closed backend: {@link IllegalStateException}.</li>
 *   <li>A destination confined to another thread: {@link WrongThreadException}, whatever the fill's size
 *       (the same rule as reading such a segment from this thread), for fills and copies alike.</li>
 *   <li>Another thread closing a shared arena while a fill or copy writes one of its segments: either that
 *       {@code close()} throws {@link IllegalStateException} (a device writing host memory holds the arena open
 *       through {@link SegmentHold}) or the call throws {@link IllegalStateException}; never a write into freed
 *       memory. The caller's interrupt status is left as it was, except that an interrupt sent in the same moment
 *       as that close cannot be told from the one the JDK adds to a stopped access, and is cleared with it.</li>
 *   <li>An allocation the device or host cannot satisfy: {@link DeviceOutOfMemoryException}, with
 *       nothing left allocated.</li>
 * </ul>
 *
 * <h2>When a fill or copy is interrupted or the backend closes under it</h2>
 * No method returns or throws while a thread or device command it started may still write the
 * destination. A fill, and a {@link #copyToHost copy}, checks between pieces of at most a few milliseconds
 * of work (tens for a copy), and while it waits for a {@link DeviceBuffer} that another fill or copy is using:
 * <ul>
 *   <li>whether its calling thread was interrupted: it then stops, waits for its workers and device
 *       commands, keeps the thread's interrupt status set, and throws
 *       {@link java.util.concurrent.CancellationException};</li>
 *   <li>whether {@link #close()} was called: it then stops the same way and throws
 *       {@link IllegalStateException}.</li>
 * </ul>
 * A stopped fill or copy leaves its destination partly written. {@link #close()} refuses new calls at once,
 * waits until every call in progress has returned (or thrown), then releases threads, contexts and
 * every buffer this backend allocated; closing twice is harmless, and a close()
 * that finds another thread's close in progress waits for it to finish. State that belongs to the JVM, not to one
 * backend, may outlive it: the CPU backend's warm-up of its vector kernel (a daemon thread per kind and dtype
 * that {@link #prepare} or a large fill started, running until the JIT has compiled the kernel, at most 30 s)
 * leaves compiled code that every later CPU backend of the JVM uses. {@link CallGate} implements
 * these rules for backend authors.
 */
public interface Backend extends AutoCloseable {

    String name();

    /** A one-line description of the device(s) in use. */
    String description();

    /**
     * Fills host memory: dst receives {@code request.count()} elements of {@code request.dtype()}, in the
     * region's row-major order, native byte order. Heap segments (e.g. {@code MemorySegment.ofArray})
     * and native segments of any size both work.
     */
    void fill(FillRequest request, MemorySegment dst);

    /**
     * Allocates host memory for the request and fills it, touching each fresh page once (the fill
     * itself is the first touch). The memory lives as long as {@code arena}; if the fill fails, it is
     * freed when the arena closes. A closed arena, a closed backend or a request that cannot run (its
     * {@link FillRequest#compile()} throws): the exception, and nothing allocated.
     */
    default MemorySegment allocateAndFill(Arena arena, FillRequest request) {
        java.util.Objects.requireNonNull(arena, "arena");
        java.util.Objects.requireNonNull(request, "request");
        request.compile();   // a request that cannot run allocates nothing (the arena may live long)
        MemorySegment seg = dev.tensorinit.NativeMemory.allocateUninitialized(arena, request.byteSize(), 64);
        fill(request, seg);
        return seg;
    }

    /**
     * A hint that fills of this request follow, perhaps in many pieces (a streaming writer's): the backend
     * may get ready for them, e.g. decide whether compiling a faster kernel pays for the whole tensor.
     * Optional, cheap, and never changes a value; the default does nothing.
     */
    default void prepare(FillRequest request) {
        java.util.Objects.requireNonNull(request, "request");
    }

    /**
     * Host memory this backend fills fastest, freed when {@code arena} closes (contents undefined):
     * page-locked memory for CUDA, whose device-to-host copies into it overlap the next kernel;
     * plain uninitialized memory elsewhere. A caller that fills the same host buffers again and
     * again (a streaming writer's pool) should take them from here.
     */
    default MemorySegment allocateHost(Arena arena, long bytes) {
        java.util.Objects.requireNonNull(arena, "arena");
        return dev.tensorinit.NativeMemory.allocateUninitialized(arena, bytes, 4096);
    }

    /** Allocates a buffer of {@code elements} (at least 1) on this backend's device. */
    DeviceBuffer allocate(DType dtype, long elements);

    /**
     * Fills a buffer of this backend: it receives {@code request.count()} elements from element 0. The
     * buffer must hold the request's dtype and at least its count.
     */
    void fill(FillRequest request, DeviceBuffer dst);

    /** Copies {@code dst.byteSize() / dtype bytes} elements from {@code src} starting at element {@code srcIndex} to host memory. */
    void copyToHost(DeviceBuffer src, long srcIndex, MemorySegment dst);

    @Override void close();
}

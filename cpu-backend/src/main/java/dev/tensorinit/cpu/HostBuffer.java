package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.spi.BufferLock;
import dev.tensorinit.spi.CallGate;
import dev.tensorinit.spi.DeviceBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * The CPU backend's "device" buffer: uninitialized host memory in its own shared arena. Fills and
 * copies hold its {@link BufferLock}, so closing it waits for them instead of freeing memory under a worker.
 */
final class HostBuffer implements DeviceBuffer {
    private final DType dtype;
    private final long elements;
    private final Arena arena;
    private final MemorySegment segment;
    private final Consumer<HostBuffer> onClose;
    private final BufferLock lock;

    HostBuffer(DType dtype, long elements, Consumer<HostBuffer> onClose) {
        this.dtype = dtype;
        this.elements = elements;
        this.onClose = onClose;
        this.lock = new BufferLock("buffer of " + elements + " " + dtype.id() + " elements");
        this.arena = Arena.ofShared();
        long bytes = Math.multiplyExact(elements, dtype.bytes());
        boolean large = bytes >= 4 * HugePages.SIZE;   // the first fill touches it: see CpuBackend.allocateAndFill
        try {
            this.segment = dev.tensorinit.NativeMemory.allocateUninitialized(arena, bytes, large ? HugePages.SIZE : 64);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        if (large) HugePages.advise(segment);
    }

    /** Runs {@code action} on the memory while holding the buffer open (see BufferLock.use for waiting on a busy buffer). */
    void use(CallGate.Call call, Consumer<MemorySegment> action) {
        lock.use(call, () -> action.accept(segment));
    }

    @Override public String backend() { return "cpu"; }
    @Override public DType dtype() { return dtype; }
    @Override public long elements() { return elements; }
    @Override public boolean isOpen() { return lock.isOpen(); }

    @Override public void close() {
        lock.close(() -> {
            arena.close();
            onClose.accept(this);
        });
    }
}

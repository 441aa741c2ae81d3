package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.spi.DeviceBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * The CPU backend's "device" buffer: uninitialized host memory in its own shared arena. Fills and
 * copies hold its lock, so closing it waits for them instead of freeing memory under a worker.
 */
final class HostBuffer implements DeviceBuffer {
    private final DType dtype;
    private final long elements;
    private final Arena arena;
    private final MemorySegment segment;
    private final Consumer<HostBuffer> onClose;
    private boolean open = true;

    HostBuffer(DType dtype, long elements, Consumer<HostBuffer> onClose) {
        this.dtype = dtype;
        this.elements = elements;
        this.onClose = onClose;
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

    /** Runs {@code action} on the memory while holding the buffer open. */
    synchronized void use(Consumer<MemorySegment> action) {
        if (!open) throw new IllegalStateException("buffer of " + elements + " " + dtype.id() + " elements is closed");
        action.accept(segment);
    }

    @Override public String backend() { return "cpu"; }
    @Override public DType dtype() { return dtype; }
    @Override public long elements() { return elements; }
    @Override public synchronized boolean isOpen() { return open; }

    @Override public synchronized void close() {
        if (open) {
            open = false;
            arena.close();
            onClose.accept(this);
        }
    }
}

package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.spi.DeviceBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** The CPU backend's "device" buffer: uninitialized host memory in its own shared arena. */
final class HostBuffer implements DeviceBuffer {
    private final DType dtype;
    private final long elements;
    private final Arena arena;
    private final MemorySegment segment;
    private volatile boolean open = true;

    HostBuffer(DType dtype, long elements) {
        this.dtype = dtype;
        this.elements = elements;
        this.arena = Arena.ofShared();
        long bytes = Math.multiplyExact(elements, dtype.bytes());
        boolean large = bytes >= 4 * HugePages.SIZE;   // the first fill touches it: see CpuBackend.allocateAndFill
        this.segment = dev.tensorinit.NativeMemory.allocateUninitialized(arena, bytes, large ? HugePages.SIZE : 64);
        if (large) HugePages.advise(segment);
    }

    MemorySegment segment() {
        if (!open) throw new IllegalStateException("buffer is closed");
        return segment;
    }

    @Override public String backend() { return "cpu"; }
    @Override public DType dtype() { return dtype; }
    @Override public long elements() { return elements; }
    @Override public boolean isOpen() { return open; }

    @Override public synchronized void close() {
        if (open) {
            open = false;
            arena.close();
        }
    }
}

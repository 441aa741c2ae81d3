package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Shape;
import dev.tensorinit.kernel.Reference;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Multithreaded fills into memory confined to the calling thread (Arena.ofConfined), and allocateAndFill. */
class CpuBackendMemoryTest {
    @Test void fillsConfinedSegmentsOnEveryThreadCount() {
        long n = 3 * CpuBackend.CHUNK + 5;   // several chunks, so the workers write
        FillRequest req = FillRequest.of(Shape.of(n), InitSpec.normal(0, 1)).withDType(DType.BF16).withSeed(11);
        for (int threads : new int[] {1, 2, 3}) {
            try (CpuBackend cpu = new CpuBackend(threads); Arena arena = Arena.ofConfined()) {
                MemorySegment viaFill = arena.allocate(req.byteSize(), 64);
                cpu.fill(req, viaFill);
                MemorySegment viaAllocate = cpu.allocateAndFill(arena, req);
                MemorySegment expected = arena.allocate(req.byteSize(), 64);
                Reference.fillRun(req.kernelArgs(), 0, n, expected, 0);
                assertEquals(-1, viaFill.mismatch(expected), threads + " threads, fill");
                assertEquals(-1, viaAllocate.mismatch(expected), threads + " threads, allocateAndFill");
            }
        }
    }

    /** 16 MiB: the huge-page path (2 MiB-aligned, madvise'd) of allocateAndFill and allocate. */
    @Test void largeAllocationsHoldTheReferenceValues() {
        long n = 1L << 22;
        FillRequest req = FillRequest.of(Shape.of(n), InitSpec.truncNormal()).withSeed(3).withName("w");
        try (CpuBackend cpu = new CpuBackend(2); Arena arena = Arena.ofShared()) {
            MemorySegment got = cpu.allocateAndFill(arena, req);
            assertEquals(0, got.address() % HugePages.SIZE, "2 MiB-aligned");
            MemorySegment expected = arena.allocate(req.byteSize(), 64);
            Reference.fillRun(req.kernelArgs(), 0, n, expected, 0);
            assertEquals(-1, got.mismatch(expected));
            try (var buf = cpu.allocate(DType.F32, n)) {
                cpu.fill(req, buf);
                MemorySegment back = arena.allocate(req.byteSize(), 64);
                cpu.copyToHost(buf, 0, back);
                assertEquals(-1, back.mismatch(expected));
            }
        }
    }

    /** The probe reports the machine's memory, which fills use, not the JVM's heap limit (it had said 494 MiB). */
    @Test
    void theProbeReportsPhysicalMemory() {
        long mem = CpuBackendProvider.physicalMemory();
        assertTrue(mem > Runtime.getRuntime().maxMemory(), mem + " bytes");
        assertEquals(mem, ((dev.tensorinit.spi.Probe.Available) new CpuBackendProvider().probe()).devices().get(0).memoryBytes());
    }
}

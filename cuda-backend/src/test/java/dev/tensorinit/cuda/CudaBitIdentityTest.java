package dev.tensorinit.cuda;

import dev.tensorinit.testing.Conformance;
import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GPU: the philox engine gives the reference's bits for every distribution, dtype, range and tile. Skips without a GPU. */
class CudaBitIdentityTest extends PhiloxGpuTest {

    static final List<InitSpec> SPECS = List.of(InitSpec.xavierUniform(), InitSpec.xavierNormal(), InitSpec.kaimingUniform(),
            InitSpec.kaimingNormal(), InitSpec.truncNormal(), InitSpec.truncNormal(0, 0.02, -0.04, 0.05),
            InitSpec.truncNormal(3, 1, 3.5, 6), InitSpec.glorotUniform(), InitSpec.glorotNormal(), InitSpec.heNormal(),
            InitSpec.lecunNormal(), InitSpec.uniform(-3, 7), InitSpec.normal(1.5, 0.25), InitSpec.constant(0.125), InitSpec.zeros());


    private static void checkDevice(FillRequest r, String what) {
        try (Arena arena = Arena.ofConfined(); CudaBuffer buf = backend.allocate(r.dtype(), r.count())) {
            backend.fill(r, buf);
            Conformance.assertBitIdentical(what + " (device buffer)", r, Conformance.reference(r, arena), Gpu.download(arena, backend, buf, 0, r.count()));
        }
    }

    private static void checkHost(CudaBackend b, FillRequest r, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(r.byteSize(), 64);
            b.fill(r, out);
            Conformance.assertBitIdentical(what + " (host fill)", r, Conformance.reference(r, arena), out);
        }
    }

    @Test
    void everyDistributionAndDtype() {
        Shape shape = Shape.of(1024, 777);
        for (InitSpec spec : SPECS) {
            for (DType d : DType.values()) {
                FillRequest r = new FillRequest(shape, Layout.TORCH, spec, d, 1234567, 99, Region.whole());
                checkDevice(r, spec + " " + d);
                checkHost(backend, r, spec + " " + d);
            }
        }
    }

    @Test
    void seedsAndStreamsAtTheEdgesOfTheirRange() {
        Shape shape = Shape.of(333, 7);
        for (long seed : new long[] {0, -1, Long.MIN_VALUE, 0x243F6A8885A308D3L}) {
            for (long stream : new long[] {0, -1, 1L << 32}) {
                for (DType d : DType.values()) {
                    checkDevice(new FillRequest(shape, Layout.JAX, InitSpec.glorotNormal(), d, seed, stream, Region.whole()), "seed " + seed + " stream " + stream + " " + d);
                }
            }
        }
    }

    @Test
    void rangesWithUnalignedHeadsAndTails() {
        Shape shape = Shape.of(1000, 1001);
        long[][] ranges = {{0, 1}, {1, 2}, {3, 4}, {1, 7}, {2, 3}, {5, 22}, {3, 12345}, {4, 8}, {999_999, 1_001_000}, {17, 1_000_999}};
        for (long[] rg : ranges) {
            for (DType d : DType.values()) {
                FillRequest r = new FillRequest(shape, Layout.TORCH, InitSpec.xavierNormal(), d, 7, 3, Region.range(rg[0], rg[1]));
                checkDevice(r, "range " + rg[0] + ":" + rg[1] + " " + d);
                checkHost(backend, r, "range " + rg[0] + ":" + rg[1] + " " + d);
            }
        }
    }

    @Test
    void tiles() {
        Shape shape = Shape.of(300, 131);
        Region[] tiles = {Region.tile(3, 50, 5, 123), Region.tile(0, 300, 0, 131), Region.tile(7, 8, 9, 10),
                Region.tile(1, 299, 130, 131), Region.tile(10, 90, 1, 6)};
        for (Region t : tiles) {
            for (DType d : DType.values()) {
                FillRequest r = new FillRequest(shape, Layout.TORCH, InitSpec.truncNormal(), d, 11, 5, t);
                checkDevice(r, t + " " + d);
                checkHost(backend, r, t + " " + d);
            }
        }
    }

    /** Tiny staging chunks force partial rows, many chunks, and ranges cut mid-block. */
    @Test
    void chunkedHostFillsAndHeapDestinations() {
        try (CudaBackend small = new CudaBackend(0, CudaEngine.PHILOX, null, LaunchConfig.DEFAULT, 4096)) {
            Shape shape = Shape.of(500, 701);
            for (DType d : DType.values()) {
                checkHost(small, new FillRequest(shape, Layout.TORCH, InitSpec.xavierUniform(), d, 1, 2, Region.whole()), "chunked whole " + d);
                checkHost(small, new FillRequest(shape, Layout.TORCH, InitSpec.xavierNormal(), d, 1, 2, Region.tile(3, 400, 2, 700)), "chunked tile " + d);
                checkHost(small, new FillRequest(shape, Layout.TORCH, InitSpec.heUniform(), d, 1, 2, Region.range(3, 300_001)), "chunked range " + d);
            }
            FillRequest r = new FillRequest(shape, Layout.TORCH, InitSpec.xavierNormal(), DType.F32, 5, 6, Region.whole());
            float[] heap = new float[(int) r.count()];
            small.fill(r, MemorySegment.ofArray(heap));
            try (Arena arena = Arena.ofConfined()) {
                Conformance.assertBitIdentical("heap destination", r, Conformance.reference(r, arena), MemorySegment.ofArray(heap));
            }
        }
    }

    @Test
    void wrappedPointerIsFilledButNotFreed() {
        FillRequest r = new FillRequest(Shape.of(4096, 3), Layout.TORCH, InitSpec.xavierNormal(), DType.F32, 3, 4, Region.whole());
        try (Arena arena = Arena.ofConfined(); CudaBuffer own = backend.allocate(DType.F32, r.count())) {
            CudaBuffer wrapped = backend.wrap(own.pointer(), DType.F32, r.count());
            backend.fill(r, wrapped);
            wrapped.close();
            wrapped.close();
            assertFalse(wrapped.isOpen());
            Conformance.assertBitIdentical("after closing the wrapper", r, Conformance.reference(r, arena), Gpu.download(arena, backend, own, 0, r.count()));
        }
    }

    @Test
    void wrapRefusesWhatAFillWouldOverrunOrMisalign() {
        // 4 MiB: a multiple of any allocation granularity, so the driver's range is exactly this size.
        long n = 1L << 20;
        FillRequest r = new FillRequest(Shape.of(n - 1), Layout.TORCH, InitSpec.normal(0, 1), DType.F32, 3, 4, Region.whole());
        try (Arena arena = Arena.ofConfined(); CudaBuffer own = backend.allocate(DType.F32, n)) {
            var e = assertThrows(IllegalArgumentException.class, () -> backend.wrap(own.pointer(), DType.F32, n + 1));
            assertTrue(e.getMessage().contains((n + 1) * 4 + " bytes"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> backend.wrap(own.pointer().withByteOffset(4), DType.F32, n));
            assertThrows(IllegalArgumentException.class, () -> backend.wrap(own.pointer().withByteOffset(2), DType.F32, 1));
            assertThrows(IllegalArgumentException.class, () -> backend.wrap(new CUdeviceptr(), DType.F32, 1));
            // The same allocation from its second element on: taken, filled where it says.
            CudaBuffer tail = backend.wrap(own.pointer().withByteOffset(4), DType.F32, n - 1);
            backend.fill(r, tail);
            Conformance.assertBitIdentical("wrapped at an offset", r, Conformance.reference(r, arena), Gpu.download(arena, backend, own, 1, n - 1));
        }
    }

    @Test
    void threadsShareOneBackend() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t;
                fs.add(pool.submit(() -> {
                    for (DType d : DType.values()) {
                        checkDevice(new FillRequest(Shape.of(257, 1031), Layout.TORCH, InitSpec.xavierNormal(), d, seed, 0, Region.whole()), "thread seed " + seed);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void userStream() {
        backend.makeContextCurrent();
        CUstream stream = new CUstream();
        JCudaDriver.cuStreamCreate(stream, 0);
        try (CudaBackend onStream = CudaBackend.open(0, CudaEngine.PHILOX, stream)) {
            FillRequest r = new FillRequest(Shape.of(2048, 2049), Layout.TORCH, InitSpec.xavierNormal(), DType.BF16, 9, 9, Region.whole());
            checkHost(onStream, r, "on a user stream");
        } finally {
            backend.makeContextCurrent();
            JCudaDriver.cuStreamDestroy(stream);
        }
    }

    @Test
    void badInputIsRejectedByName() {
        FillRequest r = FillRequest.of(Shape.of(100, 100), InitSpec.xavierUniform());
        try (CudaBuffer small = backend.allocate(DType.F32, 9_999); CudaBuffer f64 = backend.allocate(DType.F64, 10_000)) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> backend.fill(r, small)).getMessage().contains("9999"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> backend.fill(r, f64)).getMessage().contains("f64"));
            try (Arena arena = Arena.ofConfined()) {
                assertThrows(IllegalArgumentException.class, () -> backend.copyToHost(small, 9_000, arena.allocate(4_000 * 4)));
                assertThrows(IllegalArgumentException.class, () -> backend.copyToHost(small, -1, arena.allocate(4)));
                assertThrows(IllegalArgumentException.class, () -> backend.fill(r, arena.allocate(100)));
            }
        }
        CudaBuffer closed = backend.allocate(DType.F32, 10_000);
        closed.close();
        closed.close();
        assertThrows(IllegalStateException.class, () -> backend.fill(r, closed));
        assertThrows(IllegalArgumentException.class, () -> backend.allocate(DType.F32, 0));
        try (var cpu = new dev.tensorinit.cpu.CpuBackend(1); var hostBuf = cpu.allocate(DType.F32, 10_000)) {
            assertThrows(IllegalArgumentException.class, () -> backend.fill(r, hostBuf));
        }
    }
}

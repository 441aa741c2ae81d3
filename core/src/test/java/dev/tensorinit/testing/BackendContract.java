package dev.tensorinit.testing;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.NativeMemory;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.DeviceBuffer;
import dev.tensorinit.spi.DeviceOutOfMemoryException;
import dev.tensorinit.spi.Probe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The executable contract of {@link Backend}: every backend module runs this one suite (a subclass
 * that says how to probe and open the backend). It covers the conformance matrix through every kind
 * of destination, indices past 2^31 and 2^32, extreme parameters (every value finite and inside the
 * support), bad input and its exception types, closed backends and buffers, concurrent fills, close
 * during a fill and interrupt during a fill.
 *
 * <p>Skip or fail: where the environment variable {@value #REQUIRE} names the backend (CI names cpu
 * and opencl; the GPU check names cuda), an unavailable backend fails every test with the probe's
 * reason; elsewhere the tests are skipped with it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContract {
    public static final String REQUIRE = "TENSORINIT_REQUIRE_BACKENDS";

    /** The name in {@value #REQUIRE} ("cpu", "opencl", "cuda"). */
    protected abstract String backendName();

    /** The backend's probe (called once, before anything else). */
    protected abstract Probe probe();

    /** A new backend; the suite closes it. */
    protected abstract Backend open();

    /** Whether the device can fill this dtype (an OpenCL device without fp64 cannot fill f64). */
    protected boolean supports(DType dtype) {
        return true;
    }

    /**
     * Elements of a fill long enough (tens of milliseconds at least) for an interrupt or a close to
     * land in its middle.
     */
    protected long longFillElements() {
        return 1L << 25;
    }

    protected Backend backend;

    @BeforeAll
    void openShared() {
        requireOrSkip(backendName(), probe());
        backend = open();
        System.out.println(backendName() + " contract on: " + backend.description());
    }

    @AfterAll
    void closeShared() {
        if (backend != null) backend.close();
    }

    /** Skips, or fails where {@value #REQUIRE} names the backend, when the probe says unavailable. */
    public static void requireOrSkip(String name, Probe p) {
        if (p instanceof Probe.Unavailable u) {
            String msg = name + " backend unavailable: " + u.reason();
            if (required(name)) fail(msg + " (" + REQUIRE + "=" + System.getenv(REQUIRE) + " requires it)", u.cause());
            assumeTrue(false, msg);
        }
    }

    public static boolean required(String name) {
        String r = System.getenv(REQUIRE);
        if (r == null) return false;
        for (String s : r.toLowerCase(Locale.ROOT).split("[,\\s]+")) if (s.equals(name)) return true;
        return false;
    }

    // ---- bit identity ---------------------------------------------------------------------------

    /** The kinds of destination a caller can hand a backend; each must give the reference's bytes. */
    enum Destination {
        NATIVE, HEAP_MISALIGNED, NATIVE_MISALIGNED, CONFINED, DEVICE_BUFFER, BACKEND_HOST;

        MemorySegment fill(Backend b, FillRequest r, Arena shared) {
            long n = r.byteSize();
            return switch (this) {
                case NATIVE -> {
                    MemorySegment s = shared.allocate(n, 64);
                    b.fill(r, s);
                    yield s;
                }
                case HEAP_MISALIGNED -> {
                    // a long[] slice starting at byte 1: heap, and aligned to nothing
                    MemorySegment s = MemorySegment.ofArray(new long[(int) ((n + 16) / 8)]).asSlice(1, n);
                    b.fill(r, s);
                    yield s;
                }
                case NATIVE_MISALIGNED -> {
                    MemorySegment s = shared.allocate(n + 1, 64).asSlice(1, n);
                    b.fill(r, s);
                    yield s;
                }
                case CONFINED -> {
                    MemorySegment copy = shared.allocate(n, 8);
                    try (Arena confined = Arena.ofConfined()) {
                        MemorySegment s = confined.allocate(n, 64);
                        b.fill(r, s);
                        MemorySegment.copy(s, 0, copy, 0, n);
                    }
                    yield copy;
                }
                case BACKEND_HOST -> {   // the host memory the backend hands out (pinned, for CUDA)
                    MemorySegment s = b.allocateHost(shared, n);
                    b.fill(r, s);
                    yield s;
                }
                case DEVICE_BUFFER -> {
                    MemorySegment back = shared.allocate(n, 8);
                    try (DeviceBuffer buf = b.allocate(r.dtype(), r.count())) {
                        b.fill(r, buf);
                        b.copyToHost(buf, 0, back);
                    }
                    yield back;
                }
            };
        }
    }

    @TestFactory
    Stream<DynamicTest> conformanceMatrix() {
        return Conformance.standardMatrix().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            assumeTrue(supports(c.request().dtype()), () -> c.request().dtype().id() + " is not supported by this device");
            try (Arena arena = Arena.ofShared()) {
                MemorySegment expected = Conformance.reference(c.request(), arena);
                for (Destination d : Destination.values()) {
                    Conformance.assertBitIdentical("into a " + d + " destination", c.request(), expected, d.fill(backend, c.request(), arena));
                }
            }
        }));
    }

    /** Ranges and tiles whose global indices cross 2^31 and 2^32, starting and ending inside Philox blocks. */
    @TestFactory
    Stream<DynamicTest> indicesPastTwoToThe31And32() {
        Shape huge = Shape.of(1L << 22, (1L << 11) + 3);     // 2^33 + 3·2^22 elements, odd row length
        long cols = huge.dim(1);
        List<Region> regions = List.of(
                Region.range((1L << 31) - 5, (1L << 31) + 4003),
                Region.range((1L << 32) - 2, (1L << 32) + 7),
                Region.tile((1L << 32) / cols - 3, (1L << 32) / cols + 4, 1, cols - 2),      // rows crossing 2^32
                Region.tile((1L << 31) / cols, (1L << 31) / cols + 2, 0, cols));
        List<DynamicTest> out = new ArrayList<>();
        for (DType dt : DType.values()) {
            for (Region region : regions) {
                FillRequest r = new FillRequest(huge, Layout.TORCH, InitSpec.xavierNormal(), dt, 0xFEEDL, -7L, region);
                out.add(DynamicTest.dynamicTest(dt.id() + " " + region, () -> {
                    assumeTrue(supports(dt));
                    try (Arena arena = Arena.ofShared()) {
                        Conformance.assertBitIdentical(r, Destination.NATIVE.fill(backend, r, arena));
                        Conformance.assertBitIdentical(r, Destination.DEVICE_BUFFER.fill(backend, r, arena));
                    }
                }));
            }
        }
        return out.stream();
    }

    /** Extreme but accepted parameters: bit-identical to the reference, every value finite and inside the support. */
    @TestFactory
    Stream<DynamicTest> extremeParameters() {
        return ExtremeInits.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            assumeTrue(supports(c.request().dtype()));
            try (Arena arena = Arena.ofShared()) {
                MemorySegment out = Destination.NATIVE.fill(backend, c.request(), arena);
                Conformance.assertBitIdentical(c.request(), out);
                Support.assertInside(c.request(), out);
            }
        }));
    }

    // ---- bad input --------------------------------------------------------------------------------

    private static final FillRequest SMALL = FillRequest.of(Shape.of(16, 16), InitSpec.xavierUniform()).withSeed(3);

    @Test
    void nullArgumentsAreNamed() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(SMALL.byteSize());
            assertNpe("request", () -> backend.fill(null, dst));
            assertNpe("destination", () -> backend.fill(SMALL, (MemorySegment) null));
            assertNpe("arena", () -> backend.allocateAndFill(null, SMALL));
            assertNpe("request", () -> backend.allocateAndFill(arena, null));
            assertNpe("dtype", () -> backend.allocate(null, 4));
            assertNpe("buffer", () -> backend.fill(SMALL, (DeviceBuffer) null));
            try (DeviceBuffer b = backend.allocate(DType.F32, 256)) {
                assertNpe("request", () -> backend.fill(null, b));
                assertNpe("dst", () -> backend.copyToHost(b, 0, null));
            }
        }
    }

    private static void assertNpe(String name, Runnable r) {
        NullPointerException e = assertThrows(NullPointerException.class, r::run);
        assertTrue(String.valueOf(e.getMessage()).contains(name), "the message should name '" + name + "': " + e.getMessage());
    }

    @Test
    void badHostDestinations() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(SMALL.byteSize() - 4);
            assertThrows(IllegalArgumentException.class, () -> backend.fill(SMALL, small));
            MemorySegment ro = arena.allocate(SMALL.byteSize()).asReadOnly();
            assertThrows(IllegalArgumentException.class, () -> backend.fill(SMALL, ro));
        }
        Arena closed = Arena.ofShared();
        MemorySegment gone = closed.allocate(SMALL.byteSize());
        closed.close();
        assertThrows(IllegalStateException.class, () -> backend.fill(SMALL, gone));
    }

    /** A segment confined to another thread is refused for every size, never filled by worker threads behind its owner's back. */
    @Test
    void segmentConfinedToAnotherThreadIsRefusedAtAnySize() throws Exception {
        for (long elements : new long[] {16, 1L << 22}) {
            FillRequest r = FillRequest.of(Shape.of(elements), InitSpec.normal(0, 1));
            AtomicReference<MemorySegment> seg = new AtomicReference<>();
            Arena[] owner = new Arena[1];
            Thread t = Thread.ofPlatform().start(() -> {
                owner[0] = Arena.ofConfined();
                seg.set(owner[0].allocate(r.byteSize(), 64));
            });
            t.join();
            assertThrows(WrongThreadException.class, () -> backend.fill(r, seg.get()), elements + " elements");
            try (DeviceBuffer buf = backend.allocate(DType.F32, elements)) {
                // The device's copy engine must not write it either (OpenCL's copy into it had succeeded).
                assertThrows(WrongThreadException.class, () -> backend.copyToHost(buf, 0, seg.get()), "copyToHost, " + elements + " elements");
            }
            // the owner thread is gone; its arena cannot be closed from here and is reclaimed with the test JVM
        }
    }

    /**
     * Another thread closing a shared arena while a fill or a copy writes one of its segments: either its close()
     * throws IllegalStateException (the backend holds the arena open while a device writes it behind the FFM API's
     * back) or the fill throws IllegalStateException; the JVM never writes freed memory (OpenCL on PoCL died with
     * SIGSEGV in the kernel before). Host memory from the backend's allocateHost (pinned for CUDA) and from the C
     * library, at several delays.
     */
    @Test
    void closingASharedArenaDuringAFillOrCopyNeverWritesFreedMemory() throws Exception {
        FillRequest r = longFill();
        SplittableRandom rnd = new SplittableRandom(8);
        try (DeviceBuffer buf = backend.allocate(r.dtype(), r.count())) {
            backend.fill(r, buf);
            for (int round = 0; round < 8; round++) {
                boolean copy = round % 2 == 1, pinned = round % 3 == 0, allocate = round == 4 || round == 6;
                long delayMicros = rnd.nextLong(0, 20_000);
                Arena arena = Arena.ofShared();
                MemorySegment dst = pinned ? backend.allocateHost(arena, r.byteSize()) : NativeMemory.allocateUninitialized(arena, r.byteSize(), 64);
                AtomicReference<Throwable> closeFailure = new AtomicReference<>();
                Thread closer = Thread.ofPlatform().start(() -> {
                    try {
                        sleepMicros(delayMicros);
                        arena.close();
                    } catch (Throwable t) {
                        closeFailure.set(t);
                    }
                });
                String what = (copy ? "copyToHost" : allocate ? "allocateAndFill" : "fill") + (pinned ? " into allocateHost memory" : "")
                        + ", close after " + delayMicros + " µs";
                Throwable failure = null;
                try {
                    if (copy) backend.copyToHost(buf, 0, dst);
                    else if (allocate) backend.allocateAndFill(arena, r);
                    else backend.fill(r, dst);
                } catch (Throwable t) {
                    failure = t;
                }
                // The JDK interrupts a thread whose access it stops with an asynchronous exception; backends clear that.
                assertFalse(Thread.interrupted(), what + ": the caller's interrupt status is untouched");
                closer.join();
                if (failure != null) {
                    assertInstanceOf(IllegalStateException.class, failure, what);
                    // Not the JDK's bare "Already closed": the message says it was the destination's arena.
                    assertTrue(String.valueOf(failure.getMessage()).contains("arena"), what + ": " + failure);
                }
                if (closeFailure.get() != null) {
                    assertInstanceOf(IllegalStateException.class, closeFailure.get(), what + ": the refused close");
                    assertNull(failure, what + ": the arena was held open, so the work completed");
                    arena.close();
                }
            }
        }
    }

    @Test
    void badBuffersAndIndices() {
        try (Arena arena = Arena.ofConfined(); DeviceBuffer f32 = backend.allocate(DType.F32, 256)) {
            assertEquals(DType.F32, f32.dtype());
            assertEquals(256, f32.elements());
            assertEquals(backendName(), f32.backend());
            assertThrows(IllegalArgumentException.class, () -> backend.fill(SMALL.withDType(DType.F16), f32), "dtype mismatch");
            if (supports(DType.F64)) {
                assertThrows(IllegalArgumentException.class, () -> backend.fill(SMALL.withDType(DType.F64), f32), "dtype mismatch");
            }
            FillRequest big = FillRequest.of(Shape.of(257), InitSpec.ones());
            assertThrows(IllegalArgumentException.class, () -> backend.fill(big, f32), "more elements than the buffer");
            assertThrows(IllegalArgumentException.class, () -> backend.fill(SMALL, new ForeignBuffer()), "a buffer of another backend");
            MemorySegment out = arena.allocate(16);
            assertThrows(IllegalArgumentException.class, () -> backend.copyToHost(f32, -1, out));
            assertThrows(IllegalArgumentException.class, () -> backend.copyToHost(f32, 253, out));
            assertThrows(IllegalArgumentException.class, () -> backend.copyToHost(f32, Long.MAX_VALUE, out));
            assertThrows(IllegalArgumentException.class, () -> backend.copyToHost(f32, Long.MAX_VALUE / 4, out));
            assertThrows(IllegalArgumentException.class, () -> backend.copyToHost(f32, 0, arena.allocate(6)), "not whole elements");
            assertThrows(IllegalArgumentException.class, () -> backend.copyToHost(f32, 0, out.asReadOnly()));
            assertDoesNotThrow(() -> backend.copyToHost(f32, 252, out));
        }
        assertThrows(IllegalArgumentException.class, () -> backend.allocate(DType.F32, 0));
        assertThrows(IllegalArgumentException.class, () -> backend.allocate(DType.F32, -5));
        assertThrows(IllegalArgumentException.class, () -> backend.allocate(DType.F32, 1L << 62), "2^64 bytes");
        assertThrows(IllegalArgumentException.class, () -> backend.allocate(DType.F64, Long.MAX_VALUE));
        DeviceOutOfMemoryException oom = assertThrows(DeviceOutOfMemoryException.class, () -> backend.allocate(DType.F32, 1L << 58),
                "2^60 bytes cannot be had anywhere");
        assertEquals(1L << 60, oom.requestedBytes());
    }

    /**
     * Sizes whose bytes fit a long but that no device or host has, up to 2^63-1 bytes: DeviceOutOfMemoryException with
     * the requested bytes, as for 2^60 above (cpu threw IllegalArgumentException within 2 MiB of 2^63), from
     * allocate and allocateHost alike.
     */
    @Test
    void sizesJustBelowTwoToThe63AreOutOfMemory() {
        for (DType dt : DType.values()) {
            if (!supports(dt)) continue;
            for (long elements : new long[] {Long.MAX_VALUE / dt.bytes(), Long.MAX_VALUE / dt.bytes() - 1}) {
                DeviceOutOfMemoryException oom = assertThrows(DeviceOutOfMemoryException.class, () -> backend.allocate(dt, elements),
                        elements + " " + dt.id() + " elements");
                assertEquals(elements * dt.bytes(), oom.requestedBytes());
            }
        }
        try (Arena arena = Arena.ofShared()) {
            for (long bytes : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 4096, 1L << 62}) {
                DeviceOutOfMemoryException oom = assertThrows(DeviceOutOfMemoryException.class, () -> backend.allocateHost(arena, bytes),
                        "allocateHost of " + bytes + " bytes");
                assertEquals(bytes, oom.requestedBytes());
            }
        }
    }

    @Test
    void closedBuffer() {
        DeviceBuffer b = backend.allocate(DType.F32, 256);
        b.close();
        assertFalse(b.isOpen());
        b.close();   // twice is harmless
        assertThrows(IllegalStateException.class, () -> backend.fill(SMALL, b));
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalStateException.class, () -> backend.copyToHost(b, 0, arena.allocate(16)));
        }
    }

    /** 100 tries of 64 MiB into a closed arena: each refused with IllegalStateException, and nothing leaks (it used to leak 6.4 GiB). */
    @Test
    void allocateAndFillIntoAClosedArenaAllocatesNothing() throws Exception {
        Arena closed = Arena.ofShared();
        closed.close();
        FillRequest r = FillRequest.of(Shape.of(1L << 24), InitSpec.normal(0, 1));
        long before = vmSizeKiB();
        for (int i = 0; i < 100; i++) assertThrows(IllegalStateException.class, () -> backend.allocateAndFill(closed, r));
        long grown = vmSizeKiB() - before;
        assertTrue(grown < (1L << 20), "virtual memory grew by " + grown + " KiB over 100 refused 64 MiB allocations");
    }

    /**
     * allocateAndFill refused (a request that cannot run; a closed backend) into an arena that stays open: nothing
     * may be left allocated in it. 100 tries of 64 MiB each used to leave 6.4 GiB in the caller's arena.
     */
    @Test
    void allocateAndFillOfARefusedCallAllocatesNothing() throws Exception {
        FillRequest bad = FillRequest.of(Shape.of(1L << 24), InitSpec.xavierNormal());   // rank 1, torch layout: no fans
        FillRequest good = FillRequest.of(Shape.of(1L << 12, 1L << 12), InitSpec.xavierNormal());
        Backend closedBackend = open();
        closedBackend.close();
        try (Arena arena = Arena.ofShared()) {
            long before = vmSizeKiB();
            for (int i = 0; i < 100; i++) {
                assertThrows(IllegalArgumentException.class, () -> backend.allocateAndFill(arena, bad));
                assertThrows(IllegalStateException.class, () -> closedBackend.allocateAndFill(arena, good));
            }
            long grown = vmSizeKiB() - before;
            assertTrue(grown < (1L << 20), "virtual memory grew by " + grown + " KiB over 200 refused 64 MiB allocateAndFill calls");
        }
    }

    private static long vmSizeKiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmSize:")) return Long.parseLong(line.replaceAll("\\D+", ""));
        }
        throw new IllegalStateException("no VmSize in /proc/self/status");
    }

    // ---- lifecycle ----------------------------------------------------------------------------------

    @Test
    void aClosedBackendRefusesEverythingAndClosesItsBuffers() {
        Backend b = open();
        DeviceBuffer buf = b.allocate(DType.F32, 1024);
        b.close();
        b.close();   // twice is harmless
        assertFalse(buf.isOpen(), "closing a backend closes the buffers it allocated");
        buf.close();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(SMALL.byteSize());
            assertThrows(IllegalStateException.class, () -> b.fill(SMALL, dst));
            assertThrows(IllegalStateException.class, () -> b.allocateAndFill(arena, SMALL));
            assertThrows(IllegalStateException.class, () -> b.allocate(DType.F32, 4));
            assertThrows(IllegalStateException.class, () -> b.allocateHost(arena, 64), "allocateHost");
            assertThrows(IllegalStateException.class, () -> b.prepare(SMALL), "prepare");
        }
    }

    /** Several threads filling different requests through one backend get what sequential fills give. */
    @Test
    void concurrentFillsEqualSequentialOnes() throws Exception {
        List<FillRequest> requests = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            DType dt = DType.values()[i % 4];
            if (!supports(dt)) dt = DType.F32;
            requests.add(new FillRequest(Shape.of(301, 1009), Layout.TORCH, i % 2 == 0 ? InitSpec.xavierNormal() : InitSpec.glorotUniform(),
                    dt, i, 1000 + i, i % 3 == 0 ? Region.tile(5, 290, 7, 1000) : Region.range(i, 300_000 + i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (Arena arena = Arena.ofShared()) {
            List<Future<MemorySegment>> fs = new ArrayList<>();
            for (FillRequest r : requests) fs.add(pool.submit(() -> Destination.NATIVE.fill(backend, r, arena)));
            for (int i = 0; i < requests.size(); i++) Conformance.assertBitIdentical(requests.get(i), fs.get(i).get());
        } finally {
            pool.shutdownNow();
        }
    }

    private FillRequest longFill() {
        return FillRequest.of(Shape.of(longFillElements()), InitSpec.normal(0, 0.02)).withSeed(11);
    }

    /**
     * close() racing a long fill: close returns, the fill ends (completed, or IllegalStateException),
     * nothing hangs, and no worker or device command writes the destination after the fill has
     * returned. Repeated at several points of the fill.
     */
    @Test
    void closeDuringAFillWaitsForItAndNothingWritesAfterwards() throws Exception {
        FillRequest r = longFill();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int round = 0; round < 6; round++) {
            long delayMicros = round == 0 ? 0 : rnd.nextLong(1, 60_000);
            Backend b = open();
            try (Arena arena = Arena.ofShared()) {
                MemorySegment dst = NativeMemory.allocateUninitialized(arena, r.byteSize(), 64);
                AtomicReference<Throwable> outcome = new AtomicReference<>();
                Thread filler = Thread.ofPlatform().start(() -> {
                    try {
                        b.fill(r, dst);
                    } catch (Throwable t) {
                        outcome.set(t);
                    }
                });
                sleepMicros(delayMicros);
                assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                    b.close();
                    filler.join();
                }, "close() or the fill hung");
                Throwable t = outcome.get();
                if (t != null) assertInstanceOf(IllegalStateException.class, t, "a fill stopped by close");
                assertQuiet(dst, "after close at " + delayMicros + " µs");
                assertThrows(IllegalStateException.class, () -> b.fill(r, dst));
            }
        }
    }

    /**
     * Two threads closing at once (a shutdown hook and the main path, say): the close that finds the backend already
     * closing waits for the first one, so when either returns nothing writes the destination any more (the second used
     * to return at once, a fill still running on memory its caller was free to release).
     */
    @Test
    void aSecondCloseWaitsForTheFirstAndTheFill() throws Exception {
        FillRequest r = longFill();
        for (int round = 0; round < 4; round++) {
            Backend b = open();
            try (Arena arena = Arena.ofShared()) {
                MemorySegment dst = NativeMemory.allocateUninitialized(arena, r.byteSize(), 64);
                Thread filler = Thread.ofPlatform().start(() -> {
                    try {
                        b.fill(r, dst);
                    } catch (Throwable expected) {
                        // stopped by close: IllegalStateException
                    }
                });
                sleepMicros(20_000 + 10_000L * round);
                Thread first = Thread.ofPlatform().start(b::close);
                sleepMicros(1_000);
                assertTimeoutPreemptively(Duration.ofSeconds(120), b::close, "the second close() hung");
                assertQuiet(dst, "right after the second close, round " + round);
                assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                    first.join();
                    filler.join();
                });
            }
        }
    }

    /**
     * Interrupting a thread in allocateAndFill into its own confined arena: the fill returns or
     * throws CancellationException with the interrupt status still set, only once nothing writes
     * the memory any more, so closing the arena right after is safe (it crashed the JVM before).
     */
    @Test
    void interruptDuringAFillStopsItSafely() throws Exception {
        FillRequest r = longFill();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 6; round++) {
            long delayMicros = round == 0 ? 0 : rnd.nextLong(1, 60_000);
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            AtomicReference<Boolean> flagAfter = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try (Arena confined = Arena.ofConfined()) {
                    backend.allocateAndFill(confined, r);
                } catch (Throwable e) {
                    outcome.set(e);
                } finally {
                    flagAfter.set(Thread.currentThread().isInterrupted());
                }
            });
            sleepMicros(delayMicros);
            t.interrupt();
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> t.join(), "an interrupted fill hung");
            Throwable e = outcome.get();
            if (e != null) {
                assertInstanceOf(CancellationException.class, e, "an interrupted fill throws CancellationException");
                assertTrue(flagAfter.get(), "the interrupt status stays set");
            }
        }
        // The same with a shared destination that outlives the fill: nothing writes it after the throw.
        try (Arena arena = Arena.ofShared()) {
            MemorySegment dst = NativeMemory.allocateUninitialized(arena, r.byteSize(), 64);
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    backend.fill(r, dst);
                } catch (CancellationException expected) {
                    // stopped early
                }
            });
            sleepMicros(2_000);
            t.interrupt();
            t.join();
            assertQuiet(dst, "after an interrupted fill returned");
        }
        // and the backend still works
        try (Arena arena = Arena.ofShared()) {
            Conformance.assertBitIdentical(SMALL, Destination.NATIVE.fill(backend, SMALL, arena));
        }
    }

    /**
     * copyToHost stops as a fill does. On a thread already interrupted it throws CancellationException and keeps the
     * interrupt status (a copy used to run to its end and return: 350-470 ms past the interrupt for 1 GiB). Interrupted,
     * or its backend closed, at several points of a long copy: it returns, or throws CancellationException (interrupt
     * status kept) or IllegalStateException (closed), and nothing writes the destination afterwards.
     */
    @Test
    void interruptOrCloseDuringACopyStopsItSafely() throws Exception {
        FillRequest r = longFill();
        SplittableRandom rnd = new SplittableRandom(9);
        try (Arena arena = Arena.ofShared(); DeviceBuffer buf = backend.allocate(r.dtype(), r.count())) {
            backend.fill(r, buf);
            MemorySegment dst = NativeMemory.allocateUninitialized(arena, r.byteSize(), 64);
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            AtomicReference<Boolean> flagAfter = new AtomicReference<>();
            Thread early = Thread.ofPlatform().start(() -> {
                Thread.currentThread().interrupt();
                try {
                    backend.copyToHost(buf, 0, dst);
                } catch (Throwable e) {
                    outcome.set(e);
                }
                flagAfter.set(Thread.interrupted());
            });
            early.join();
            assertInstanceOf(CancellationException.class, outcome.get(), "a copy on an interrupted thread");
            assertTrue(flagAfter.get(), "the interrupt status stays set");
            interruptOnceACopyHasBegun();
            for (int round = 0; round < 4; round++) {
                long delayMicros = rnd.nextLong(0, 30_000);
                outcome.set(null);
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        backend.copyToHost(buf, 0, dst);
                    } catch (Throwable e) {
                        outcome.set(e);
                    } finally {
                        flagAfter.set(Thread.interrupted());
                    }
                });
                sleepMicros(delayMicros);
                t.interrupt();
                assertTimeoutPreemptively(Duration.ofSeconds(120), () -> t.join(), "an interrupted copy hung");
                if (outcome.get() != null) {
                    assertInstanceOf(CancellationException.class, outcome.get(), "an interrupted copy, after " + delayMicros + " µs");
                    assertTrue(flagAfter.get(), "the interrupt status stays set");
                }
                assertQuiet(dst, "after a copy interrupted at " + delayMicros + " µs returned");
            }
        }
        for (int round = 0; round < 3; round++) {
            long delayMicros = rnd.nextLong(0, 30_000);
            Backend b = open();
            try (Arena arena = Arena.ofShared()) {
                DeviceBuffer buf = b.allocate(r.dtype(), r.count());
                b.fill(r, buf);
                MemorySegment dst = NativeMemory.allocateUninitialized(arena, r.byteSize(), 64);
                AtomicReference<Throwable> outcome = new AtomicReference<>();
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        b.copyToHost(buf, 0, dst);
                    } catch (Throwable e) {
                        outcome.set(e);
                    }
                });
                sleepMicros(delayMicros);
                assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                    b.close();
                    t.join();
                }, "close() or the copy hung");
                if (outcome.get() != null) assertInstanceOf(IllegalStateException.class, outcome.get(), "a copy stopped by close");
                assertFalse(buf.isOpen(), "closing the backend closed its buffer");
                assertQuiet(dst, "after close at " + delayMicros + " µs");
            } finally {
                b.close();
            }
        }
    }

    /**
     * A 512 MiB copy interrupted as soon as its first bytes arrive throws CancellationException instead of running to
     * its end. Pieces are copied in order, so a try in which the next-to-last 64 MiB had begun when the interrupt was
     * sent is not counted.
     */
    private void interruptOnceACopyHasBegun() throws Exception {
        FillRequest ones = FillRequest.of(Shape.of(1L << 27), InitSpec.ones());
        long lastPiece = ones.byteSize() - (64L << 20);
        int conclusive = 0;
        try (Arena arena = Arena.ofShared(); DeviceBuffer buf = backend.allocate(ones.dtype(), ones.count())) {
            backend.fill(ones, buf);
            MemorySegment dst = NativeMemory.allocateUninitialized(arena, ones.byteSize(), 64);
            for (int attempt = 0; attempt < 10 && conclusive < 2; attempt++) {
                dst.fill((byte) -1);   // not a value of ones: shows which bytes the copy has written
                AtomicReference<Throwable> outcome = new AtomicReference<>();
                AtomicReference<Boolean> flagAfter = new AtomicReference<>();
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        backend.copyToHost(buf, 0, dst);
                    } catch (Throwable e) {
                        outcome.set(e);
                    } finally {
                        flagAfter.set(Thread.interrupted());
                    }
                });
                while (dst.get(java.lang.foreign.ValueLayout.JAVA_INT, 0) == -1 && t.isAlive()) Thread.onSpinWait();
                t.interrupt();
                // Read after the interrupt: while the next-to-last piece has not begun, the check before the last piece
                // is still ahead of the copy (pieces go in order), so the interrupt must stop it. Read before, a pause
                // of this thread between the read and the interrupt (a busy machine) would have made a false failure.
                boolean late = dst.get(java.lang.foreign.ValueLayout.JAVA_INT, lastPiece - (64L << 20)) != -1;
                assertTimeoutPreemptively(Duration.ofSeconds(120), () -> t.join(), "an interrupted copy hung");
                if (late) continue;   // the interrupt may have come during the last piece: nothing to tell
                conclusive++;
                assertInstanceOf(CancellationException.class, outcome.get(), "a 512 MiB copy interrupted while its first pieces ran");
                assertTrue(flagAfter.get(), "the interrupt status stays set");
            }
        }
        assertTrue(conclusive > 0, "in 10 tries, no interrupt reached a 512 MiB copy before its last two pieces");
    }

    /** Fails if dst changes over 100 ms: something still writes it. */
    private static void assertQuiet(MemorySegment dst, String when) throws InterruptedException {
        long step = Math.max(1, dst.byteSize() / 4096);
        long[] before = sample(dst, step);
        Thread.sleep(100);
        long[] after = sample(dst, step);
        for (int i = 0; i < before.length; i++) {
            if (before[i] != after[i]) fail("the destination changed " + when + " at byte " + i * step);
        }
    }

    private static long[] sample(MemorySegment s, long step) {
        int n = (int) ((s.byteSize() - 8) / step + 1);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = s.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, Math.min(i * step, s.byteSize() - 8));
        return out;
    }

    private static void sleepMicros(long micros) throws InterruptedException {
        if (micros > 0) Thread.sleep(Duration.ofNanos(micros * 1000));
    }

    /** A buffer no backend made. */
    private static final class ForeignBuffer implements DeviceBuffer {
        @Override public String backend() { return "elsewhere"; }
        @Override public DType dtype() { return DType.F32; }
        @Override public long elements() { return 1 << 20; }
        @Override public boolean isOpen() { return true; }
        @Override public void close() {}
    }
}

package dev.tensorinit;

import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendProvider;
import dev.tensorinit.spi.BackendStatus;
import dev.tensorinit.spi.BackendUnavailableException;
import dev.tensorinit.spi.DeviceBuffer;
import dev.tensorinit.spi.DeviceInfo;
import dev.tensorinit.spi.Probe;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatcher with fake providers: ranking, overrides, loud failures with reasons and causes, diagnostics. */
class DispatcherTest {

    /** A provider whose probe answer is scripted; counts probes and creations. */
    static class Fake implements BackendProvider {
        final String name;
        final int priority;
        final Supplier<Probe> probe;
        final AtomicInteger created = new AtomicInteger();

        Fake(String name, int priority, Supplier<Probe> probe) {
            this.name = name;
            this.priority = priority;
            this.probe = probe;
        }

        @Override public String name() { return name; }
        @Override public int priority() { return priority; }
        @Override public Probe probe() { return probe.get(); }
        @Override public Backend create() {
            created.incrementAndGet();
            return new FakeBackend(name);
        }
    }

    record FakeBackend(String name) implements Backend {
        public String description() { return name; }
        public void fill(FillRequest request, MemorySegment dst) { throw new UnsupportedOperationException(); }
        public DeviceBuffer allocate(DType dtype, long elements) { throw new UnsupportedOperationException(); }
        public void fill(FillRequest request, DeviceBuffer dst) { throw new UnsupportedOperationException(); }
        public void copyToHost(DeviceBuffer src, long srcIndex, MemorySegment dst) { throw new UnsupportedOperationException(); }
        public void close() {}
    }

    static Probe up(int priority) {
        return Probe.available(List.of(new DeviceInfo("dev", "gpu", 1L << 30, "")), priority, "");
    }

    static final UnsatisfiedLinkError NO_DRIVER = new UnsatisfiedLinkError("libcuda.so.1: cannot open shared object file");

    final Fake cpu = new Fake("cpu", 100, () -> up(100));
    final Fake opencl = new Fake("opencl", 200, () -> up(200));
    final Fake cuda = new Fake("cuda", 300, () -> Probe.unavailable("no NVIDIA driver (libcuda.so.1 not found)", NO_DRIVER));

    @Test
    void picksTheHighestAvailable() {
        Dispatcher d = new Dispatcher(List.of(cpu, cuda, opencl), null);
        assertEquals("opencl", d.choose().name());
        assertEquals("opencl", d.open().name());
        assertEquals(1, opencl.created.get());
        assertEquals(0, cpu.created.get() + cuda.created.get());
        assertNull(d.override());
    }

    @Test
    void probePriorityOverridesTheProvidersRank() {
        // An OpenCL probe that found only a weak CPU device demotes itself below cpu.
        Fake weak = new Fake("opencl", 200, () -> up(50));
        assertEquals("cpu", new Dispatcher(List.of(weak, cpu), null).choose().name());
    }

    @Test
    void overrideWins() {
        assertEquals("cpu", new Dispatcher(List.of(cpu, cuda, opencl), "cpu").choose().name());
        assertEquals("cpu", new Dispatcher(List.of(cpu, cuda, opencl), " CPU ").choose().name());
        assertEquals("cpu", new Dispatcher(List.of(cpu, opencl), "cpu").override());
        assertEquals("opencl", new Dispatcher(List.of(cpu, cuda, opencl), "auto").choose().name());
        assertNull(new Dispatcher(List.of(cpu), "auto").override());
        assertEquals("opencl", new Dispatcher(List.of(cpu, cuda, opencl), "  ").choose().name());
        assertEquals("cpu", new Dispatcher(List.of(cpu, opencl), null).open("cpu").name());
    }

    /**
     * A backend whose probe passed but whose creation fails (a busy exclusive-process GPU, a driver refusing the kernels)
     * gives way to the next under auto, with a line saying why; named, it fails; when none starts, every reason is thrown.
     */
    @Test
    void autoFallsBackWhenTheChosenBackendCannotStart() {
        RuntimeException busy = new IllegalStateException("CUDA_ERROR_DEVICE_UNAVAILABLE");
        Fake gpu = new Fake("cuda", 300, () -> up(300)) {
            @Override public Backend create() {
                created.incrementAndGet();
                throw busy;
            }
        };
        Dispatcher d = new Dispatcher(List.of(cpu, gpu, opencl), null);
        List<String> lines = new java.util.ArrayList<>();
        Backend b = d.create(d.choose(), true, lines::add);
        assertEquals("opencl", b.name());
        assertEquals(List.of("the cuda backend was available but could not start (CUDA_ERROR_DEVICE_UNAVAILABLE); using opencl"), lines);
        assertEquals("opencl", d.open().name());
        assertEquals("opencl", d.open("auto").name());
        assertSame(busy, assertThrows(IllegalStateException.class, () -> d.open("cuda")));
        assertSame(busy, assertThrows(IllegalStateException.class, () -> new Dispatcher(List.of(cpu, gpu), "cuda").open()));
        Fake gpu2 = new Fake("opencl", 200, () -> up(200)) {
            @Override public Backend create() { throw new IllegalStateException("no context"); }
        };
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> new Dispatcher(List.of(gpu, gpu2), null).open());
        assertTrue(e.getMessage().contains("CUDA_ERROR_DEVICE_UNAVAILABLE") && e.getMessage().contains("no context"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: a command prints only the first");
        assertSame(busy, e.getCause());
        assertEquals(0, cpu.created.get());
        // A native library that fails to link only at creation is a failure to start too.
        Fake unlinked = new Fake("cuda", 300, () -> up(300)) {
            @Override public Backend create() { throw new UnsatisfiedLinkError("libnvrtc.so: cannot open shared object file"); }
        };
        List<String> more = new java.util.ArrayList<>();
        Dispatcher d2 = new Dispatcher(List.of(cpu, unlinked), null);
        assertEquals("cpu", d2.create(d2.choose(), true, more::add).name());
        assertTrue(more.getFirst().contains("libnvrtc.so"), more.toString());
    }

    @Test
    void unknownNameListsTheKnownNames() {
        Dispatcher d = new Dispatcher(List.of(cpu, cuda, opencl), "tpu");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, d::choose);
        for (String s : List.of("'tpu'", "auto", "cpu", "cuda", "opencl")) assertTrue(e.getMessage().contains(s), s + " in " + e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dispatcher(List.of(cpu), null).open("metal"));
    }

    @Test
    void forcedUnavailableCarriesReasonAndCause() {
        Dispatcher d = new Dispatcher(List.of(cpu, cuda, opencl), "cuda");
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, d::open);
        assertTrue(e.getMessage().contains("'cuda'") && e.getMessage().contains("no NVIDIA driver"), e.getMessage());
        assertSame(NO_DRIVER, e.getCause());
        // The others are named (not probed: that would load their native libraries), so the user sees what else there is.
        assertTrue(e.getMessage().contains("opencl") && e.getMessage().contains("cpu"), e.getMessage());
        assertEquals(0, cuda.created.get());
    }

    @Test
    void aThrowingProbeIsReportedNotPropagated() {
        RuntimeException boom = new IllegalStateException("boom in probe");
        Fake bad = new Fake("cuda", 300, () -> { throw boom; });
        Fake nul = new Fake("rocm", 250, () -> null);
        Dispatcher d = new Dispatcher(List.of(bad, nul, cpu), null);
        assertEquals("cpu", d.choose().name());
        List<BackendStatus> report = d.report();
        BackendStatus cudaStatus = report.stream().filter(s -> s.name().equals("cuda")).findFirst().orElseThrow();
        Probe.Unavailable u = assertInstanceOf(Probe.Unavailable.class, cudaStatus.probe());
        assertTrue(u.reason().contains("boom in probe"), u.reason());
        assertSame(boom, u.cause());
        BackendStatus rocm = report.stream().filter(s -> s.name().equals("rocm")).findFirst().orElseThrow();
        assertFalse(rocm.probe().isAvailable());
        assertTrue(d.describe().contains("boom in probe"), d.describe());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> d.choose("cuda"));
        assertSame(boom, e.getCause());
    }

    @Test
    void noneAvailable() {
        Dispatcher d = new Dispatcher(List.of(cuda), null);
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, d::choose);
        assertTrue(e.getMessage().contains("no backend is available") && e.getMessage().contains("no NVIDIA driver"), e.getMessage());
        assertSame(NO_DRIVER, e.getCause());
        assertTrue(new Dispatcher(List.of(), null).describe().contains("no backend providers"));
    }

    @Test
    void describeSaysWhyEachWasSkipped() {
        String text = new Dispatcher(List.of(cpu, cuda, opencl), null).describe();
        String[] lines = text.strip().split("\n");
        assertEquals(3, lines.length, text);
        assertTrue(lines[0].startsWith("opencl") && lines[0].contains("chosen"), text);
        String cpuLine = List.of(lines).stream().filter(l -> l.startsWith("cpu")).findFirst().orElseThrow();
        assertTrue(cpuLine.contains("skipped") && cpuLine.contains("lower priority") && cpuLine.contains("opencl"), cpuLine);
        String cudaLine = List.of(lines).stream().filter(l -> l.startsWith("cuda")).findFirst().orElseThrow();
        assertTrue(cudaLine.contains("skipped") && cudaLine.contains("unavailable: no NVIDIA driver"), cudaLine);
    }

    @Test
    void aBackendAskedForByNameIsTheOnlyOneProbed() {
        // Probing loads a backend's native libraries, which can take the JVM's signal handlers: "cpu" must load none.
        AtomicInteger otherProbes = new AtomicInteger();
        Fake cl = new Fake("opencl", 200, () -> { otherProbes.incrementAndGet(); return up(200); });
        Fake cu = new Fake("cuda", 300, () -> { otherProbes.incrementAndGet(); return up(300); });
        Dispatcher forced = new Dispatcher(List.of(cl, cu, cpu), "cpu");
        assertEquals("cpu", forced.choose().name());
        Dispatcher d = new Dispatcher(List.of(cl, cu, cpu), null);
        assertEquals("cpu", d.choose("cpu").name());
        d.open("cpu").close();
        d.open("cpu", dev.tensorinit.spi.BackendOptions.DEFAULTS).close();
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> d.choose("rocm"));
        assertTrue(unknown.getMessage().contains("known: auto, opencl, cuda, cpu"), unknown.getMessage());
        assertEquals(0, otherProbes.get(), "probes of backends that were not asked for");
        assertEquals("cuda", d.choose("auto").name());
        assertEquals(1, otherProbes.get(), "auto probes from the highest ceiling down: cuda (300, available) leaves opencl (200) unprobed");
    }

    @Test
    void nullOptionsAreRefusedByName() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> new Dispatcher(List.of(cpu), null).open("cpu", null));
        assertTrue(String.valueOf(e.getMessage()).contains("options"), e.getMessage());
    }

    @Test
    void reportIsRankedAvailableFirst() {
        List<String> order = new Dispatcher(List.of(cpu, cuda, opencl), null).report().stream().map(BackendStatus::name).toList();
        assertEquals(List.of("opencl", "cpu", "cuda"), order);
    }

    /**
     * Why a backend was not chosen: its probe's reason where auto could have probed it, else the choice's rank, without
     * probing it (a note must not load an OpenCL driver that auto left alone).
     */
    @Test
    void whyNotChosenGivesTheReasonWithoutProbingWhatAutoLeftAlone() {
        Ceilinged gpu = new Ceilinged(cuda, 300);   // unavailable: no driver
        Ceilinged cpuOnlyOpenCl = new Ceilinged(new Fake("opencl", 200, () -> up(50)), 50);
        Dispatcher d = new Dispatcher(List.of(cpu, gpu, cpuOnlyOpenCl), null);
        BackendStatus chosen = d.choose();
        assertEquals("cpu", chosen.name());
        int gpuProbes = gpu.probes.get();
        String why = d.whyNotChosen("cuda", chosen);
        assertTrue(why.startsWith("unavailable: ") && why.contains("libcuda.so.1 not found"), why);
        assertEquals("cpu ranks above it (100)", d.whyNotChosen("opencl", chosen));
        assertEquals(0, cpuOnlyOpenCl.probes.get(), "the note probed a backend auto left alone");
        assertTrue(gpu.probes.get() <= gpuProbes + 1);
        assertNull(d.whyNotChosen("cpu", chosen));
        assertNull(d.whyNotChosen("tpu", chosen));
        // Outranked: by its ceiling (the default, its priority: not probed), or available but below (a ceiling that let
        // auto probe it, as a named OpenCL device does).
        Dispatcher both = new Dispatcher(List.of(cpu, opencl), null);
        BackendStatus top = both.choose();
        assertEquals("opencl", top.name());
        assertEquals("opencl ranks above it (200)", both.whyNotChosen("cpu", top));
        Ceilinged probedCpu = new Ceilinged(cpu, 300);
        Dispatcher probing = new Dispatcher(List.of(probedCpu, opencl), null);
        assertEquals("opencl ranks above it (200 against 100)", probing.whyNotChosen("cpu", probing.choose()));
    }

    /** A fake whose rank ceiling is scripted and whose probes are counted. */
    static final class Ceilinged implements BackendProvider {
        final Fake inner;
        final int ceiling;
        final AtomicInteger probes = new AtomicInteger();

        Ceilinged(Fake inner, int ceiling) {
            this.inner = inner;
            this.ceiling = ceiling;
        }

        @Override public String name() { return inner.name(); }
        @Override public int priority() { return inner.priority(); }
        @Override public int rankCeiling(dev.tensorinit.spi.BackendOptions options) { return ceiling; }
        @Override public Probe probe() {
            probes.incrementAndGet();
            return inner.probe();
        }
        @Override public Backend create() { return inner.create(); }
    }

    /**
     * Auto's fallback from a backend that cannot start chooses the next one as auto does: it probes neither the failed
     * backend again nor one whose ceiling is below an available one's rank (a CPU-only OpenCL, whose driver would load
     * LLVM and take the JVM's signal handlers, ahead of a fallback to cpu).
     */
    @Test
    void autoFallbackProbesOnlyWhatCouldBeChosen() {
        Ceilinged gpu = new Ceilinged(new Fake("cuda", 300, () -> up(300)) {
            @Override public Backend create() { throw new IllegalStateException("CUDA_ERROR_DEVICE_UNAVAILABLE"); }
        }, 300);
        Ceilinged cpuOnlyOpenCl = new Ceilinged(new Fake("opencl", 200, () -> up(50)), 50);
        Dispatcher d = new Dispatcher(List.of(gpu, cpuOnlyOpenCl, cpu), null);
        BackendStatus chosen = d.choose();
        assertEquals("cuda", chosen.name());
        List<String> lines = new java.util.ArrayList<>();
        assertEquals("cpu", d.create(chosen, true, lines::add).name());
        assertEquals(List.of("the cuda backend was available but could not start (CUDA_ERROR_DEVICE_UNAVAILABLE); using cpu"), lines);
        assertEquals(0, cpuOnlyOpenCl.probes.get(), "ceiling 50 < cpu's 100: never probed, not even by the fallback");
        assertEquals(1, gpu.probes.get(), "the backend that failed to start is not probed again");
    }

    /**
     * Auto does not probe (so loads nothing of) a backend whose ceiling is below an available one's rank; one whose
     * ceiling reaches it is probed, and wins when it really ranks higher. Listing every backend still probes all.
     */
    @Test
    void autoSkipsBackendsThatCannotOutrankOneAlreadyFound() {
        Ceilinged cpuOnlyOpenCl = new Ceilinged(new Fake("opencl", 200, () -> up(50)), 50);
        Dispatcher d = new Dispatcher(List.of(cuda, cpuOnlyOpenCl, cpu), null);
        assertEquals("cpu", d.choose().name());
        assertEquals(0, cpuOnlyOpenCl.probes.get(), "ceiling 50 < cpu's 100: never probed");

        Ceilinged gpuOpenCl = new Ceilinged(new Fake("opencl", 200, () -> up(200)), 200);
        assertEquals("opencl", new Dispatcher(List.of(cuda, cpu, gpuOpenCl), null).choose().name());
        assertEquals(1, gpuOpenCl.probes.get());

        Ceilinged weakAfterAll = new Ceilinged(new Fake("opencl", 200, () -> up(50)), 200);
        assertEquals("cpu", new Dispatcher(List.of(weakAfterAll, cpu), null).choose().name(), "probed, then outranked");

        Ceilinged alone = new Ceilinged(new Fake("opencl", 200, () -> up(50)), 50);
        assertEquals("opencl", new Dispatcher(List.of(cuda, alone), null).choose().name(), "nothing better: probed and chosen");

        new Dispatcher(List.of(cuda, cpuOnlyOpenCl, cpu), null).report();
        assertEquals(1, cpuOnlyOpenCl.probes.get(), "report() probes every backend");
    }

    /** A provider whose create() returns null is a failure naming it, not a null backend; auto goes on to the next one. */
    @Test
    void aProviderThatCreatesNullIsAFailure() {
        Fake nothing = new Fake("nothing", 200, () -> up(200)) {
            @Override public Backend create() {
                created.incrementAndGet();
                return null;
            }
        };
        Dispatcher d = new Dispatcher(List.of(cpu, nothing), null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> d.open("nothing"));
        assertEquals("the nothing provider's create() returned null", e.getMessage());
        assertEquals("cpu", d.open().name(), "auto: the next available one");
        assertEquals(2, nothing.created.get());
    }
}

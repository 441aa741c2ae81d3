package dev.tensorinit.cpu;

import dev.tensorinit.Dispatcher;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Shape;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendStatus;
import dev.tensorinit.testing.Conformance;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real ServiceLoader dispatcher on the cpu module's class path: cpu is found and chosen. opencl and
 * cuda are not on this module's test class path, so they are either absent or reported as skipped.
 */
class CpuDispatcherTest {

    @Test
    void standardDispatcherChoosesCpu() {
        Dispatcher d = Dispatcher.standard();
        BackendStatus chosen = d.choose("auto");
        assertEquals("cpu", chosen.name());
        assertTrue(chosen.probe().isAvailable());
        String report = d.describe();
        assertTrue(report.contains("cpu") && report.contains("chosen"), report);
        for (BackendStatus s : d.report()) {
            if (!s.name().equals("cpu")) assertTrue(report.contains(s.name()) && report.contains("skipped"), report);
        }
    }

    @Test
    void providerCreatesAWorkingBackend() {
        CpuBackendProvider p = new CpuBackendProvider();
        assertEquals("cpu", p.name());
        try (Backend b = new Dispatcher(java.util.List.of(p), "cpu").open()) {
            assertEquals("cpu", b.name());
            FillRequest r = FillRequest.of(Shape.of(33, 17), InitSpec.kaimingUniform());
            MemorySegment out = MemorySegment.ofArray(new float[33 * 17]);
            b.fill(r, out);
            Conformance.assertBitIdentical(r, out);
        }
    }

    @Test
    void propertyOverrideIsRead() {
        String old = System.getProperty(Dispatcher.PROPERTY);
        try {
            System.setProperty(Dispatcher.PROPERTY, "CPU");
            assertEquals("cpu", Dispatcher.standard().override());
            assertEquals("cpu", Dispatcher.standard().choose().name());
            System.setProperty(Dispatcher.PROPERTY, "nosuchbackend");
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Dispatcher.standard().choose());
            assertTrue(e.getMessage().contains("nosuchbackend") && e.getMessage().contains("cpu"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty(Dispatcher.PROPERTY); else System.setProperty(Dispatcher.PROPERTY, old);
        }
    }

    @Test
    void optionsReachTheChosenBackend() {
        try (Backend b = Dispatcher.standard().open("cpu", dev.tensorinit.spi.BackendOptions.threads(3))) {
            assertEquals(3, ((CpuBackend) b).threads());
        }
        try (Backend b = Dispatcher.standard().open("cpu", dev.tensorinit.spi.BackendOptions.DEFAULTS)) {
            assertEquals(Runtime.getRuntime().availableProcessors(), ((CpuBackend) b).threads());
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> dev.tensorinit.spi.BackendOptions.threads(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new dev.tensorinit.spi.BackendOptions(-2, null, -1, null));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> dev.tensorinit.spi.BackendOptions.threads(100_000), "more threads than any machine: refused, not a hang");
    }
}

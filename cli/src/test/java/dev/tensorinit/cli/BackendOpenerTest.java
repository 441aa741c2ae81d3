package dev.tensorinit.cli;

import dev.tensorinit.Dispatcher;
import dev.tensorinit.cpu.CpuBackendProvider;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendProvider;
import dev.tensorinit.spi.DeviceInfo;
import dev.tensorinit.spi.Probe;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Auto's choice that passes its probe but cannot start gives way to the next backend, and the command says so. */
class BackendOpenerTest {

    /** A GPU the probe sees but that gives no context (an exclusive-process device in use, say). */
    static final class BusyGpu implements BackendProvider {
        @Override public String name() { return "cuda"; }
        @Override public int priority() { return 300; }
        @Override public Probe probe() {
            return Probe.available(List.of(new DeviceInfo("busy", "gpu", 1L << 30, "")), 300, "");
        }
        @Override public Backend create() { throw new IllegalStateException("CUDA_ERROR_DEVICE_UNAVAILABLE"); }
    }

    @Test void autoTakesTheNextBackendAndSaysWhy() {
        BackendOpener opener = new BackendOpener(new Dispatcher(List.of(new CpuBackendProvider(), new BusyGpu()), null));
        List<String> notes = new ArrayList<>();
        try (Backend b = opener.open(opener.choose(null), null, notes::add)) {
            assertEquals("cpu", b.name());
        }
        assertEquals(List.of("the cuda backend was available but could not start (CUDA_ERROR_DEVICE_UNAVAILABLE); using cpu"), notes);
        // Asked for by name: its failure is the command's.
        assertThrows(IllegalStateException.class, () -> opener.open(opener.choose("cuda"), "cuda", notes::add));
    }
}

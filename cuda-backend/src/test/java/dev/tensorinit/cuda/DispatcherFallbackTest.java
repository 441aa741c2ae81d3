package dev.tensorinit.cuda;

import dev.tensorinit.Dispatcher;
import dev.tensorinit.spi.BackendStatus;
import dev.tensorinit.spi.BackendUnavailableException;
import dev.tensorinit.spi.Probe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Without CUDA the standard dispatcher (cuda + cpu on the class path) falls back to cpu and says why. */
class DispatcherFallbackTest {
    static String reason;

    @BeforeAll
    static void noCuda() {
        Probe p = new CudaBackendProvider().probe();
        assumeFalse(p.isAvailable(), "CUDA is available here; the fallback path is not reachable");
        reason = ((Probe.Unavailable) p).reason();
    }

    @Test
    void fallsBackToCpuAndExplains() {
        Dispatcher d = new Dispatcher(java.util.ServiceLoader.load(dev.tensorinit.spi.BackendProvider.class).stream()
                .map(java.util.ServiceLoader.Provider::get).toList(), null);
        BackendStatus chosen = d.choose();
        assertEquals("cpu", chosen.name());
        String text = d.describe();
        String cudaLine = text.lines().filter(l -> l.startsWith("cuda")).findFirst().orElseThrow(() -> new AssertionError(text));
        assertTrue(cudaLine.contains("unavailable: " + reason) && cudaLine.contains("skipped"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("cpu") && l.contains("chosen")), text);
    }

    @Test
    void standardDispatcherFallsBackUnlessForced() {
        Dispatcher d = Dispatcher.standard();
        assumeFalse(d.override() != null, "a backend override is set in this environment");
        assertEquals("cpu", d.choose().name());
        assertTrue(d.describe().contains(CudaProbe.LIBCUDA), d.describe());
    }

    @Test
    void forcingCudaFailsWithTheReason() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Dispatcher.standard().choose("cuda"));
        assertTrue(e.getMessage().contains("'cuda'") && e.getMessage().contains(reason), e.getMessage());
        BackendUnavailableException c = assertThrows(BackendUnavailableException.class, () -> new CudaBackendProvider().create());
        assertTrue(c.getMessage().contains(reason), c.getMessage());
        assertThrows(BackendUnavailableException.class, () -> CudaBackend.open(0, CudaEngine.PHILOX, null));
    }
}

package dev.tensorinit.bench;

import dev.tensorinit.Distribution;
import dev.tensorinit.FillRequest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadTest {

    @Test void shapeHasExactlyTwoToTheKElementsForEverySize() {
        for (int k = 2; k <= 34; k++) assertEquals(1L << k, Workload.shape(k).elements(), "2^" + k);
    }

    @Test void peersUseTheSameXavierParametersAsTheBackends() {
        FillRequest u = Workload.request(Workload.UNIFORM, "f32", 24);
        Distribution.Uniform d = assertInstanceOf(Distribution.Uniform.class, u.distribution());
        assertEquals(Workload.xavierBound(24), d.high(), 1e-15);
        assertEquals(-Workload.xavierBound(24), d.low(), 1e-15);
        Distribution.Normal n = assertInstanceOf(Distribution.Normal.class, Workload.request(Workload.NORMAL, "f32", 24).distribution());
        assertEquals(Math.sqrt(2.0 / 8192), n.std(), 1e-15);
        assertEquals(Workload.xavierStd(24), n.std(), 1e-15);
    }

    @Test void truncNormalIsTheTruncatedJaxFamilyInit() {
        assertInstanceOf(Distribution.TruncatedNormal.class, Workload.request(Workload.TRUNC_NORMAL, "bf16", 20).distribution());
    }

    @Test void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workload.init("gaussian"));
        assertTrue(e.getMessage().contains("gaussian"));
        assertThrows(IllegalArgumentException.class, () -> Workload.shape(1));
    }
}

package dev.tensorinit.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanTest {
    static final DeviceProbe.Found NONE = new DeviceProbe.Found(false, "absent", "", false, 0);
    static final DeviceProbe.Found GPU = new DeviceProbe.Found(true, "", "H200", true, 140L << 30);

    @Test void withoutDevicesNothingDeviceSpecificIsPlanned() {
        List<Plan.Group> g = Plan.of(Plan.Mode.PROFILE, new Plan.Present(List.of("cpu"), List.of(), NONE, NONE, NONE, false));
        for (Plan.Group x : g) {
            assertFalse(x.include().contains("2pow30") || x.include().contains("cuMemset") || x.include().contains("clFill")
                    || x.include().contains("curand") || x.include().contains("dl4j"), x.toString());
        }
        assertTrue(g.stream().anyMatch(x -> x.include().contains("fill_2pow28") && x.params().get("backend").equals(List.of("cpu"))));
    }

    @Test void gpuBackendsGetTheGigaElementSizeAndTheirLimits() {
        List<Plan.Group> g = Plan.of(Plan.Mode.PROFILE, new Plan.Present(List.of("cpu"), List.of("cuda"), GPU, GPU, GPU, true));
        Plan.Group big = g.stream().filter(x -> x.include().contains("fill_2pow30")).findFirst().orElseThrow();
        assertEquals(List.of("cuda"), big.params().get("backend"), "2^30 only on GPUs");
        assertTrue(g.stream().anyMatch(x -> x.include().contains("cuMemset_2pow(28|30)")));
        assertTrue(g.stream().anyMatch(x -> x.include().contains("clFill_2pow(24|28|30)")));
        assertTrue(g.stream().anyMatch(x -> x.include().contains("curand")));
        assertTrue(g.stream().anyMatch(x -> x.include().contains("dl4j")));
    }

    @Test void quickModeStaysSmall() {
        for (Plan.Group x : Plan.of(Plan.Mode.QUICK, new Plan.Present(List.of("cpu"), List.of("cuda"), GPU, GPU, GPU, true))) {
            assertFalse(x.include().contains("2pow28") || x.include().contains("2pow30"), x.toString());
        }
    }
}

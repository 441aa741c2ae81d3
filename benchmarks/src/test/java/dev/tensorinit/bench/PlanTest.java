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
        assertTrue(g.stream().anyMatch(x -> List.of("cuda:curand").equals(x.params().get("backend"))), "the cuda backend's curand engine");
    }

    @Test void gateDropsOnlyCombinationsTooSlowForTheLargeSize() {
        Plan.Group big = Plan.of(Plan.Mode.PROFILE, new Plan.Present(List.of("cpu", "opencl"), List.of(), NONE, NONE, NONE, false))
                .stream().filter(x -> x.gateLog2() == 28).findFirst().orElseThrow();
        java.util.Map<String, Double> rates = new java.util.HashMap<>();
        rates.put(Plan.rateKey("cpu", "uniform", "f32"), 2.5e9);      // 0.11 s per 2^28 op: kept
        rates.put(Plan.rateKey("cpu", "normal", "f32"), 0.1e9);       // 2.7 s: dropped
        rates.put(Plan.rateKey("opencl", "uniform", "f32"), 0.4e9);   // 0.67 s: dropped
        rates.put(Plan.rateKey("opencl", "normal", "f32"), 0.2e9);
        rates.put(Plan.rateKey("opencl", "trunc_normal", "f32"), 0.2e9);
        List<String> skipped = new java.util.ArrayList<>();
        List<Plan.Group> runs = Plan.gate(big, rates, skipped);
        assertEquals(1, runs.size(), "opencl has nothing left: " + runs);
        assertEquals(List.of("cpu"), runs.get(0).params().get("backend"));
        assertEquals(List.of("uniform", "trunc_normal"), runs.get(0).params().get("init"), "unmeasured trunc_normal is kept");
        assertEquals(4, skipped.size(), String.join("\n", skipped));
        assertTrue(skipped.get(0).startsWith("cpu normal f32 at 2^28: 2.7 s per op"), skipped.get(0));
    }

    @Test void ungatedGroupsPassThrough() {
        Plan.Group limit = Plan.of(Plan.Mode.PROFILE, new Plan.Present(List.of("cpu"), List.of(), NONE, NONE, NONE, false)).get(0);
        assertEquals(List.of(limit), Plan.gate(limit, java.util.Map.of(), new java.util.ArrayList<>()));
    }

    @Test void quickModeStaysSmall() {
        for (Plan.Group x : Plan.of(Plan.Mode.QUICK, new Plan.Present(List.of("cpu"), List.of("cuda"), GPU, GPU, GPU, true))) {
            assertFalse(x.include().contains("2pow28") || x.include().contains("2pow30"), x.toString());
        }
    }
}

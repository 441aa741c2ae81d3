package dev.tensorinit.opencl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Telling from the loader's files alone whether the only OpenCL is PoCL on the CPU; every doubt answers no. */
class IcdVendorsTest {
    @TempDir Path dir;

    private Path vendors() throws IOException { return Files.createDirectories(dir.resolve("vendors")); }

    private Path devices(String... names) throws IOException {
        Path d = Files.createDirectories(dir.resolve("pocl"));
        for (String n : names) Files.createFile(d.resolve("libpocl-devices-" + n + ".so"));
        return d;
    }

    private Optional<String> check(Map<String, String> env, Path poclDir) {
        return IcdVendors.cpuOnlyPocl(env, dir.resolve("vendors"), List.of(poclDir));
    }

    @Test void poclWithCpuDevicesOnly() throws IOException {
        Files.writeString(vendors().resolve("pocl.icd"), "libpocl.so.2.10.0\n");
        Path d = devices("pthread", "basic");
        String why = check(Map.of(), d).orElseThrow();
        assertTrue(why.contains("PoCL") && why.contains("pocl.icd") && why.contains("CPU devices only"), why);
        assertTrue(check(Map.of("POCL_DEVICES", "pthread basic"), d).isPresent(), "CPU devices asked for");
    }

    @Test void anyDoubtMeansProbe() throws IOException {
        Files.writeString(vendors().resolve("pocl.icd"), "libpocl.so.2\n");
        Path d = devices("pthread");
        assertEquals(Optional.empty(), check(Map.of("POCL_DEVICES", "cuda"), d), "a GPU device asked for");
        assertEquals(Optional.empty(), check(Map.of("OCL_ICD_VENDORS", "/elsewhere"), d), "the loader looks elsewhere");
        assertEquals(Optional.empty(), check(Map.of(), dir.resolve("nowhere")), "no device drivers found: built in, maybe a GPU");
        Files.createFile(d.resolve("libpocl-devices-level0.so"));
        assertEquals(Optional.empty(), check(Map.of(), d), "a GPU device driver");
    }

    @Test void anotherDriverMeansProbe() throws IOException {
        Files.writeString(vendors().resolve("pocl.icd"), "libpocl.so.2\n");
        Files.writeString(vendors().resolve("nvidia.icd"), "/usr/local/nvidia/lib64/libnvidia-opencl.so\n");
        assertEquals(Optional.empty(), check(Map.of(), devices("pthread")));
    }

    @Test void anAbsolutePoclPathHasItsDeviceDriversBesideIt() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("opt/lib"));
        Files.createDirectories(lib.resolve("pocl"));
        Files.createFile(lib.resolve("pocl/libpocl-devices-cuda.so"));
        Files.writeString(vendors().resolve("pocl.icd"), lib.resolve("libpocl.so.2") + "\n");
        assertEquals(Optional.empty(), check(Map.of(), devices("pthread")), "the CUDA driver beside the ICD's library");
    }

    @Test void noDriversOrNoFolderMeansProbe() throws IOException {
        assertEquals(Optional.empty(), check(Map.of(), devices("pthread")), "no vendors folder");
        vendors();
        assertEquals(Optional.empty(), check(Map.of(), devices()), "an empty vendors folder");
    }
}

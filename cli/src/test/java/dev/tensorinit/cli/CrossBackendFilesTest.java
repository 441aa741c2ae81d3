package dev.tensorinit.cli;

import dev.tensorinit.Dispatcher;
import dev.tensorinit.spi.BackendStatus;
import dev.tensorinit.spi.Probe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code --backend opencl} writes byte-identical files to {@code --backend cpu}. Where CI can run
 * OpenCL (TENSORINIT_REQUIRE_BACKENDS contains "opencl", PoCL installed) an unavailable OpenCL
 * backend fails this test; elsewhere it is skipped with the probe's reason.
 */
class CrossBackendFilesTest {
    @TempDir Path dir;

    @BeforeAll
    static void openclPresent() {
        BackendStatus s = Dispatcher.standard().report().stream().filter(b -> b.name().equals("opencl")).findFirst()
                .orElse(null);
        String reason = s == null ? "opencl backend not on the class path" : s.probe() instanceof Probe.Unavailable u ? u.reason() : null;
        if (reason != null) {
            String required = System.getenv().getOrDefault("TENSORINIT_REQUIRE_BACKENDS", "");
            if (required.contains("opencl")) fail("OpenCL is required here (TENSORINIT_REQUIRE_BACKENDS) but: " + reason);
            assumeTrue(false, "OpenCL unavailable: " + reason);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @CsvSource({
            "xavier_uniform, 257x129, f32,  npy,         ''",
            "xavier_normal,  257x129, f64,  npy,         ''",
            "glorot_normal,  64x3x3x32, bf16, safetensors, --layout=jax",
            "trunc_normal,   1000x37, f16,  npy,         --range=13:29987",
            "kaiming_normal, 300x200, f32,  bin,         --rows=7:291",
    })
    void openclFileEqualsCpuFile(String init, String shape, String dtype, String ext, String extra) throws Exception {
        byte[][] files = new byte[2][];
        String[] backends = {"cpu", "opencl"};
        for (int i = 0; i < 2; i++) {
            Path out = dir.resolve(backends[i] + "." + ext);
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("fill", "--shape", shape, "--init", init,
                    "--dtype", dtype, "--seed", "99", "--name", "blocks.0.attn.qkv.weight", "--backend", backends[i],
                    "--out", out.toString()));
            if (!extra.isEmpty()) args.add(extra);
            if (extra.startsWith("--rows")) args.add("--cols=3:190");
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertEquals(0, r.code(), () -> backends[0] + " stderr: " + r.err());
            files[i] = Files.readAllBytes(out);
        }
        assertArrayEquals(files[0], files[1], "opencl file differs from cpu file");
    }
}

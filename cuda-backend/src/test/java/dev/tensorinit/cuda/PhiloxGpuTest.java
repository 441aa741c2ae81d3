package dev.tensorinit.cuda;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Lifecycle shared by the GPU suites on the philox engine: one backend per class, opened only where
 * a driver is present; without one every test skips with the probe's reason.
 */
abstract class PhiloxGpuTest {
    static CudaBackend backend;

    @BeforeAll
    static void open() {
        if (!CudaProbe.driver().isAvailable()) return; // each test then skips with the reason
        backend = CudaBackend.open(0, CudaEngine.PHILOX, null);
        System.out.println(backend.description());
    }

    @BeforeEach
    void gpu() { Gpu.assumeGpu(); }

    @AfterAll
    static void close() {
        if (backend != null) backend.close();
        backend = null;
    }
}

package dev.tensorinit.cuda;

import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.Probe;
import dev.tensorinit.testing.BackendContract;

/**
 * The backend contract on the CUDA backend's philox engine (the curand engine is statistically
 * equivalent, not bit-identical: CurandStatisticsTest). Skips without a GPU; the GPU check sets
 * TENSORINIT_REQUIRE_BACKENDS=cuda, so there it fails instead.
 */
class CudaContractTest extends BackendContract {
    @Override protected String backendName() { return "cuda"; }

    @Override protected Probe probe() { return CudaProbe.driver(); }

    @Override protected Backend open() { return CudaBackend.open(0, CudaEngine.PHILOX, null); }

    /** A GPU fills 2^30 normals in a few milliseconds; the host copy of 4 GiB takes longer. */
    @Override protected long longFillElements() { return 1L << 30; }
}

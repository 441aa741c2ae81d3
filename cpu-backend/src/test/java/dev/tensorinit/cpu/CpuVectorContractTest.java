package dev.tensorinit.cpu;

import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.Probe;
import dev.tensorinit.testing.BackendContract;

/**
 * The backend contract on the CPU backend with the Vector API kernel for every fill: the default
 * backend fills small tensors with the scalar kernel (compiling the vector one would not pay, see
 * WarmingKernel), so this runs the same suite through the vector kernel's path explicitly.
 */
class CpuVectorContractTest extends BackendContract {
    @Override protected String backendName() { return "cpu"; }

    @Override protected Probe probe() { return new CpuBackendProvider().probe(); }

    @Override protected Backend open() { return new CpuBackend(4, new VectorKernel()); }
}

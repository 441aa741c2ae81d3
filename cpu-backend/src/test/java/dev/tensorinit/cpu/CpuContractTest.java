package dev.tensorinit.cpu;

import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.Probe;
import dev.tensorinit.testing.BackendContract;

/** The backend contract on the CPU backend, with more worker threads than cores so that the lifecycle races have many workers to stop. */
class CpuContractTest extends BackendContract {
    @Override protected String backendName() { return "cpu"; }

    @Override protected Probe probe() { return new CpuBackendProvider().probe(); }

    @Override protected Backend open() { return new CpuBackend(4); }
}

package dev.tensorinit.opencl;

import dev.tensorinit.DType;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.Probe;
import dev.tensorinit.testing.BackendContract;

/** The backend contract on the OpenCL backend (PoCL in CI, where TENSORINIT_REQUIRE_BACKENDS makes it mandatory). */
class OpenClContractTest extends BackendContract {
    @Override protected String backendName() { return "opencl"; }

    @Override protected Probe probe() { return new OpenClBackendProvider().probe(); }

    @Override protected Backend open() {
        return new OpenClBackend(DeviceSelection.choose(DeviceSelection.all(), dev.tensorinit.Settings.backendOptions().openclDevice()), Tuning.DEFAULT);
    }

    @Override protected boolean supports(DType dtype) {
        return dtype != DType.F64 || ((OpenClBackend) backend).device().fp64();
    }

    /** Three pieces (OpenClBackend.PIECE_ELEMENTS), so interrupts and closes land between pieces; about 0.2 s on PoCL, 2 cores. */
    @Override protected long longFillElements() { return (1L << 25) + 12345; }
}

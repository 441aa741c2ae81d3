package dev.tensorinit.opencl;

import dev.tensorinit.testing.BackendContract;

/** The device the OpenCL tests run on: skipped, or failed where CI requires OpenCL, with the probe's reason. */
final class OpenClTesting {
    private OpenClTesting() {}

    private static ClDevice device;

    /** Where TENSORINIT_REQUIRE_BACKENDS names opencl (CI), an unavailable backend fails the test; elsewhere it is skipped. */
    static synchronized ClDevice device() {
        if (device != null) return device;
        BackendContract.requireOrSkip("opencl", new OpenClBackendProvider().probe());
        device = DeviceSelection.choose(DeviceSelection.all(), dev.tensorinit.Settings.backendOptions().openclDevice());
        return device;
    }

    static OpenClBackend backend() { return new OpenClBackend(device(), Tuning.DEFAULT); }
}

package dev.tensorinit.cli;

import picocli.CommandLine.Option;

/**
 * Device choice flags shared by the subcommands that open backends. Backends read their device
 * choice when they probe, so the flag becomes the backend's system property before any dispatcher
 * is created.
 */
final class DeviceOptions {
    static final String OPENCL_DEVICE_PROPERTY = "tensorinit.opencl.device";

    @Option(names = "--opencl-device", paramLabel = "SEL",
            description = "OpenCL device: PLATFORM:DEVICE indices (e.g. 0:1) or a name substring "
                    + "(default: GPU, then accelerator, then CPU device; env TENSORINIT_OPENCL_DEVICE).")
    String openclDevice;

    void apply() {
        if (openclDevice != null) {
            if (openclDevice.isBlank()) throw new IllegalArgumentException("--opencl-device is empty");
            System.setProperty(OPENCL_DEVICE_PROPERTY, openclDevice.strip());
        }
    }
}

package dev.tensorinit.cli;

import dev.tensorinit.spi.BackendOptions;
import java.util.List;

/**
 * Device choice flags shared by the subcommands that open backends. They become typed
 * {@link BackendOptions} over the settings (system properties and environment variables); nothing is
 * written back into the JVM's properties.
 */
final class DeviceOptions {
    static final List<Opt> OPTIONS = List.of(
            Opt.value("--opencl-device", "SEL", "OpenCL device: PLATFORM:DEVICE indices (e.g. 0:1) or a name substring "
                    + "(default: GPU, then accelerator, then CPU device; env TENSORINIT_OPENCL_DEVICE)."),
            Opt.value("--cuda-device", "N", "CUDA device ordinal (default 0; env TENSORINIT_CUDA_DEVICE)."),
            Opt.value("--cuda-engine", "philox|curand", "CUDA engine: philox (default, the same bits as every backend) or curand "
                    + "(cuRAND's Philox, statistically equivalent, not bit-identical; env TENSORINIT_CUDA_ENGINE)."));

    String openclDevice;
    Integer cudaDevice;
    String cudaEngine;

    /** Takes one of {@link #OPTIONS}; false for any other option. */
    boolean set(String option, String v) {
        switch (option) {
            case "--opencl-device" -> openclDevice = v;
            case "--cuda-device" -> cudaDevice = ArgParser.intValue(option, v);
            case "--cuda-engine" -> cudaEngine = v;
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * The device flags given, by the backend they configure ("cuda" -> ["--cuda-device 1"]), in option order; with the
     * command's --threads ({@code threads}, null when not given), which only the cpu backend takes.
     */
    java.util.Map<String, List<String>> givenByBackend(Integer threads) {
        java.util.Map<String, List<String>> m = new java.util.LinkedHashMap<>();
        if (threads != null) m.put("cpu", List.of("--threads " + threads));
        if (openclDevice != null) m.put("opencl", List.of("--opencl-device " + Main.escaped(openclDevice)));
        List<String> cuda = new java.util.ArrayList<>();
        if (cudaDevice != null) cuda.add("--cuda-device " + cudaDevice);
        if (cudaEngine != null) cuda.add("--cuda-engine " + Main.escaped(cudaEngine));
        if (!cuda.isEmpty()) m.put("cuda", List.copyOf(cuda));
        return m;
    }

    /**
     * The flags; {@code threads} is the command's --threads (null when not given). Unset fields come from the settings
     * in the dispatcher (Dispatcher.standard().withOptions), which skips the settings these flags override.
     */
    BackendOptions options(Integer threads) {
        BackendOptions o = BackendOptions.DEFAULTS;
        if (threads != null) {
            if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            if (threads > BackendOptions.MAX_THREADS) {
                throw new IllegalArgumentException("--threads " + threads + " is more than " + BackendOptions.MAX_THREADS
                        + " (this machine has " + Runtime.getRuntime().availableProcessors() + " processors)");
            }
            o = o.withThreads(threads);
        }
        if (openclDevice != null) o = o.withOpenclDevice(openclDevice);
        if (cudaDevice != null) o = o.withCudaDevice(cudaDevice);
        if (cudaEngine != null) o = o.withCudaEngine(cudaEngine);
        return o;   // the dispatcher fills the unset fields from the settings, reading only those

    }
}

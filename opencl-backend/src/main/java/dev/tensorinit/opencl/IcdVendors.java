package dev.tensorinit.opencl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the OpenCL ICD loader would load, read from its files without loading anything: the drivers named in
 * {@code /etc/OpenCL/vendors/*.icd}, and, for PoCL, its device drivers. It answers one question cheaply: is the
 * only OpenCL here PoCL on the CPU? Then the OpenCL backend can rank no higher than a CPU device, below the CPU
 * backend, and the automatic choice need not load PoCL (and its LLVM, which takes the JVM's signal handlers) just
 * to rank it. Any doubt (another driver, a loader setting that points elsewhere, a PoCL GPU driver, PoCL built
 * with its devices inside) answers no, and the driver is probed as before.
 */
final class IcdVendors {
    private IcdVendors() {}

    static final Path VENDORS = Path.of("/etc/OpenCL/vendors");
    /** Where distributions put PoCL's device drivers (libpocl-devices-NAME.so). */
    static final List<Path> POCL_DEVICE_DIRS = List.of(Path.of("/usr/lib/x86_64-linux-gnu/pocl"), Path.of("/usr/lib/aarch64-linux-gnu/pocl"),
            Path.of("/usr/lib64/pocl"), Path.of("/usr/lib/pocl"), Path.of("/usr/local/lib/pocl"), Path.of("/usr/local/lib64/pocl"));
    /** PoCL's device drivers that run on the host CPU. */
    static final Set<String> CPU_DEVICES = Set.of("basic", "pthread", "tbb", "cpu", "cpu-minimal");
    /** Loader settings that make it look for drivers elsewhere (ocl-icd and Khronos' loader). */
    static final List<String> LOADER_SETTINGS = List.of("OCL_ICD_VENDORS", "OCL_ICD_FILENAMES", "OPENCL_VENDOR_PATH", "OCL_ICD_PLATFORM_SORT");

    /** For this machine: {@link #cpuOnlyPocl(Map, Path, List)} with the environment and the standard folders. */
    static Optional<String> cpuOnlyPocl() {
        return cpuOnlyPocl(System.getenv(), VENDORS, POCL_DEVICE_DIRS);
    }

    /** Why the only OpenCL driver is PoCL with CPU devices only, or empty when a faster device could be there. */
    static Optional<String> cpuOnlyPocl(Map<String, String> env, Path vendors, List<Path> poclDeviceDirs) {
        for (String s : LOADER_SETTINGS) if (env.containsKey(s)) return Optional.empty();
        String devices = env.get("POCL_DEVICES");
        if (devices != null) {
            for (String d : devices.toLowerCase(Locale.ROOT).split("[\\s,]+")) {
                if (!d.isEmpty() && !CPU_DEVICES.contains(d)) return Optional.empty();
            }
        }
        List<Path> icds = new ArrayList<>();
        Set<Path> dirs = new LinkedHashSet<>(poclDeviceDirs);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(vendors, "*.icd")) {
            for (Path icd : ds) {
                String lib = Files.readString(icd, StandardCharsets.UTF_8).strip();
                Path libPath = Path.of(lib);
                if (!libPath.getFileName().toString().startsWith("libpocl")) return Optional.empty();
                if (libPath.isAbsolute() && libPath.getParent() != null) dirs.add(libPath.getParent().resolve("pocl"));
                icds.add(icd);
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (icds.isEmpty()) return Optional.empty();
        boolean foundCpuDriver = false;
        for (Path dir : dirs) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "libpocl-devices-*.so*")) {
                for (Path f : ds) {
                    String name = f.getFileName().toString();
                    String device = name.substring("libpocl-devices-".length(), name.indexOf(".so"));
                    if (!CPU_DEVICES.contains(device)) return Optional.empty();
                    foundCpuDriver = true;
                }
            } catch (IOException | RuntimeException e) {
                // no such folder: look in the next
            }
        }
        // No device drivers found at all: PoCL may have been built with them inside, GPU ones included.
        if (!foundCpuDriver) return Optional.empty();
        List<String> names = icds.stream().map(Path::toString).sorted().toList();
        return Optional.of("the only OpenCL driver installed is PoCL (" + String.join(", ", names) + ") with CPU devices only");
    }
}

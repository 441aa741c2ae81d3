package dev.tensorinit.opencl;

import dev.tensorinit.spi.DeviceInfo;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One OpenCL device and the facts the backend needs about it. {@code platformIndex:deviceIndex} is
 * its position in the platform/device enumeration (the override syntax "0:1").
 */
record ClDevice(cl_platform_id platform, cl_device_id device, int platformIndex, int deviceIndex,
                String platformName, String name, long type, String version, long maxAllocBytes,
                long globalMemBytes, boolean fp64, boolean correctlyRoundedDivideSqrt, long maxWorkGroupSize,
                boolean available, boolean compilerAvailable) {

    static ClDevice query(cl_platform_id platform, cl_device_id device, int platformIndex, int deviceIndex) {
        String extensions = string(device, CL.CL_DEVICE_EXTENSIONS);
        long fpConfig = ulong(device, CL.CL_DEVICE_SINGLE_FP_CONFIG);
        return new ClDevice(platform, device, platformIndex, deviceIndex,
                platformString(platform, CL.CL_PLATFORM_NAME), string(device, CL.CL_DEVICE_NAME).strip(),
                ulong(device, CL.CL_DEVICE_TYPE), string(device, CL.CL_DEVICE_VERSION).strip(),
                ulong(device, CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE), ulong(device, CL.CL_DEVICE_GLOBAL_MEM_SIZE),
                (" " + extensions + " ").contains(" cl_khr_fp64 "),
                (fpConfig & CL.CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0,
                sizeT(device, CL.CL_DEVICE_MAX_WORK_GROUP_SIZE),
                uint(device, CL.CL_DEVICE_AVAILABLE) != 0, uint(device, CL.CL_DEVICE_COMPILER_AVAILABLE) != 0);
    }

    /** "gpu", "accelerator" or "cpu" (anything else counts as cpu-like, last in order). */
    String kind() {
        if ((type & CL.CL_DEVICE_TYPE_GPU) != 0) return "gpu";
        if ((type & CL.CL_DEVICE_TYPE_ACCELERATOR) != 0) return "accelerator";
        if ((type & CL.CL_DEVICE_TYPE_CPU) != 0) return "cpu";
        return "other";
    }

    /** Sort key: GPU before accelerator before CPU before anything else. */
    int kindRank() {
        return switch (kind()) { case "gpu" -> 0; case "accelerator" -> 1; case "cpu" -> 2; default -> 3; };
    }

    String index() { return platformIndex + ":" + deviceIndex; }

    /** "pthread-haswell-AMD EPYC [0:0, Portable Computing Language]" */
    String label() { return name + " [" + index() + ", " + platformName + "]"; }

    DeviceInfo info() {
        return new DeviceInfo(name, kind(), globalMemBytes, String.format(Locale.ROOT,
                "OpenCL %s, platform %s, index %s, max alloc %d MiB, fp64 %s, correctly rounded divide/sqrt %s",
                version, platformName, index(), maxAllocBytes >> 20, fp64 ? "yes" : "no",
                correctlyRoundedDivideSqrt ? "yes" : "NO (f32 normals may differ from the reference)"));
    }

    static String string(cl_device_id d, int param) {
        long[] size = new long[1];
        Cl.check(CL.clGetDeviceInfo(d, param, 0, null, size), "clGetDeviceInfo(" + param + ")");
        byte[] b = new byte[(int) size[0]];
        Cl.check(CL.clGetDeviceInfo(d, param, b.length, Pointer.to(b), null), "clGetDeviceInfo(" + param + ")");
        return cString(b);
    }

    static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        Cl.check(CL.clGetPlatformInfo(p, param, 0, null, size), "clGetPlatformInfo(" + param + ")");
        byte[] b = new byte[(int) size[0]];
        Cl.check(CL.clGetPlatformInfo(p, param, b.length, Pointer.to(b), null), "clGetPlatformInfo(" + param + ")");
        return cString(b).strip();
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    static long ulong(cl_device_id d, int param) {
        long[] v = new long[1];
        Cl.check(CL.clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null), "clGetDeviceInfo(" + param + ")");
        return v[0];
    }

    static long sizeT(cl_device_id d, int param) {
        long[] v = new long[1];
        Cl.check(CL.clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null), "clGetDeviceInfo(" + param + ")");
        return v[0];
    }

    static int uint(cl_device_id d, int param) {
        int[] v = new int[1];
        Cl.check(CL.clGetDeviceInfo(d, param, Sizeof.cl_uint, Pointer.to(v), null), "clGetDeviceInfo(" + param + ")");
        return v[0];
    }
}

package dev.tensorinit.bench;

import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;
import jcuda.jcurand.JCurand;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.charset.StandardCharsets;

/**
 * Can the direct device benchmarks (the limits, the cuRAND peer) run here? Each probe first looks the
 * system library up with {@link SymbolLookup#libraryLookup}, and only then touches JOCL/JCuda, because a
 * failed native load in JCuda leaves its classes unusable for the rest of the JVM. Never throws.
 */
public final class DeviceProbe {
    private DeviceProbe() {}

    /** What a probe found. {@code gpu}: the device is a discrete/accelerator device, not the host CPU. */
    public record Found(boolean available, String reason, String device, boolean gpu, long maxAllocBytes) {
        static Found no(String reason) { return new Found(false, reason, "", false, 0); }

        public String summary() { return available ? "available: " + device : "unavailable: " + reason; }
    }

    static String libraryMissing(String lib) {
        try (Arena a = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(lib, a);
            return null;
        } catch (IllegalArgumentException e) {
            return lib + " not found (" + e.getMessage() + ")";
        } catch (RuntimeException | Error e) {
            return lib + " could not be loaded: " + e;
        }
    }

    /** The OpenCL device the limit uses: the first GPU/accelerator if any, else the first device. */
    public static Found opencl() {
        String missing = libraryMissing("libOpenCL.so");
        if (missing != null) return Found.no(missing + "; install an OpenCL ICD loader (ocl-icd-opencl-dev) and a driver");
        try {
            OpenClDevice d = OpenClDevice.pick();
            return new Found(true, "", d.name(), d.gpu(), d.maxAlloc());
        } catch (LinkageError e) {
            return Found.no("JOCL native library failed to load: " + e);
        } catch (RuntimeException e) {
            return Found.no("no usable OpenCL device: " + e.getMessage());
        }
    }

    /** The first CUDA device, through the driver API. */
    public static Found cuda() {
        String missing = libraryMissing("libcuda.so.1");
        if (missing != null) return Found.no(missing + "; no NVIDIA driver");
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] < 1) return Found.no("the CUDA driver reports no device");
            CUdevice dev = new CUdevice();
            JCudaDriver.cuDeviceGet(dev, 0);
            byte[] name = new byte[256];
            JCudaDriver.cuDeviceGetName(name, name.length, dev);
            long[] mem = new long[1];
            JCudaDriver.cuDeviceTotalMem(mem, dev);
            return new Found(true, "", cString(name) + " (" + (mem[0] >> 20) + " MiB)", true, mem[0]);
        } catch (LinkageError e) {
            return Found.no("JCuda native library failed to load: " + e);
        } catch (RuntimeException e) {
            return Found.no("CUDA driver error: " + e.getMessage());
        }
    }

    /** cuRAND's host API on the first CUDA device. */
    public static Found curand() {
        Found c = cuda();
        if (!c.available()) return c;
        String missing = libraryMissing("libcurand.so.10");
        if (missing != null) return Found.no(missing + "; install the CUDA 11/12 cuRAND runtime");
        try {
            JCurand.setExceptionsEnabled(true);
            return c;
        } catch (LinkageError e) {
            return Found.no("JCurand native library failed to load: " + e);
        }
    }

    static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8).strip();
    }

    /** A chosen OpenCL platform and device. */
    record OpenClDevice(cl_platform_id platform, cl_device_id device, String name, boolean gpu, long maxAlloc) {
        static OpenClDevice pick() {
            CL.setExceptionsEnabled(true);
            int[] n = new int[1];
            CL.clGetPlatformIDs(0, null, n);
            if (n[0] < 1) throw new IllegalStateException("no OpenCL platform (is an ICD installed under /etc/OpenCL/vendors?)");
            cl_platform_id[] ps = new cl_platform_id[n[0]];
            CL.clGetPlatformIDs(n[0], ps, null);
            OpenClDevice first = null;
            for (cl_platform_id p : ps) {
                int[] nd = new int[1];
                try {
                    CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, 0, null, nd);
                } catch (RuntimeException e) {
                    continue; // a platform without devices throws CL_DEVICE_NOT_FOUND
                }
                cl_device_id[] ds = new cl_device_id[nd[0]];
                CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, nd[0], ds, null);
                for (cl_device_id d : ds) {
                    long[] type = new long[1];
                    CL.clGetDeviceInfo(d, CL.CL_DEVICE_TYPE, Sizeof.cl_long, Pointer.to(type), null);
                    long[] max = new long[1];
                    CL.clGetDeviceInfo(d, CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE, Sizeof.cl_long, Pointer.to(max), null);
                    long[] len = new long[1];
                    CL.clGetDeviceInfo(d, CL.CL_DEVICE_NAME, 0, null, len);
                    byte[] name = new byte[(int) len[0]];
                    CL.clGetDeviceInfo(d, CL.CL_DEVICE_NAME, len[0], Pointer.to(name), null);
                    boolean gpu = (type[0] & (CL.CL_DEVICE_TYPE_GPU | CL.CL_DEVICE_TYPE_ACCELERATOR)) != 0;
                    OpenClDevice c = new OpenClDevice(p, d, cString(name) + (gpu ? " (gpu)" : " (cpu)"), gpu, max[0]);
                    if (gpu) return c;
                    if (first == null) first = c;
                }
            }
            if (first == null) throw new IllegalStateException("no OpenCL device on " + ps.length + " platform(s)");
            return first;
        }
    }
}

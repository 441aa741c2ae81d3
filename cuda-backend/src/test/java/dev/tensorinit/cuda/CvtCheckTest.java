package dev.tensorinit.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * GPU: the hardware bf16/f16 conversions of the v2hc kernels (cvt.rn.{bf16,f16}x2.f32) give the shared header's bits for
 * every one of the 2^32 float bit patterns except NaNs (which no kernel writes): ti_check_cvt compares them on the
 * device. Only where the image has the variants (sm_90, sm_100); elsewhere v2hc cannot be chosen at all.
 */
class CvtCheckTest {

    @Test
    void hardwareConversionsEqualTheHeadersForEveryFloat() {
        Gpu.assumeGpu();
        try (CudaBackend b = CudaBackend.open(0, CudaEngine.PHILOX, null)) {
            assumeTrue(b.kernelImage().startsWith("fatbin") && b.description().matches(".*compute capability (9|10)\\..*"),
                    "the variants are built for sm_90 and sm_100 only: " + b.description());
            b.makeContextCurrent();
            CUmodule module = new CUmodule();
            JCudaDriver.cuModuleLoadData(module, CudaKernelImage.candidates().getFirst().bytes());
            CUdeviceptr bad = new CUdeviceptr();
            try {
                JCudaDriver.cuMemAlloc(bad, 16);
            } catch (RuntimeException e) {
                JCudaDriver.cuModuleUnload(module);
                throw e;
            }
            try {
                CUfunction check = new CUfunction();
                JCudaDriver.cuModuleGetFunction(check, module, "ti_check_cvt");
                JCudaDriver.cuMemsetD8(bad, (byte) 0, 16);
                JCudaDriver.cuLaunchKernel(check, 132 * 16, 1, 1, 256, 1, 1, 0, null, Pointer.to(Pointer.to(bad)), null);
                JCudaDriver.cuCtxSynchronize();
                long[] result = new long[2];
                JCudaDriver.cuMemcpyDtoH(Pointer.to(result), bad, 16);
                assertEquals(0, result[0], "bf16/f16 conversions differing from the header's; first input bits: 0x"
                        + Long.toHexString(result[1] - 1));
            } finally {
                JCudaDriver.cuMemFree(bad);
                JCudaDriver.cuModuleUnload(module);
            }
        }
    }
}

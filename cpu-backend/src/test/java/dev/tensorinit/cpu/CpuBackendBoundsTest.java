package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.Distribution;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.testing.Conformance;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Bounds in every dtype, 2^20 elements each. f32 and f64 uniforms lie strictly inside (low, high): the
 * lattice keeps u in [2^-24, 1-2^-24] (f64: [2^-53, 1-2^-53]), at least one step from either end. bf16 and
 * f16 round the f32 value to fewer bits, so a value near a bound may round onto it: they lie in the closed
 * interval of the bounds rounded to the dtype. Truncated normals lie in [a, b] (the bounds rounded to the
 * dtype, as the kernel clamps to them).
 */
class CpuBackendBoundsTest {

    private static double round(double v, DType dt) {
        return switch (dt) {
            case F64 -> v;
            case F32 -> (float) v;
            case BF16 -> Float.intBitsToFloat((dev.tensorinit.kernel.F32Math.toBf16((float) v) & 0xFFFF) << 16);
            case F16 -> Float.float16ToFloat(Float.floatToFloat16((float) v));
        };
    }

    @Test
    void everyDtype() {
        InitSpec[] inits = {InitSpec.xavierUniform(), InitSpec.uniform(-0.3, 0.7), InitSpec.heUniform(), InitSpec.truncNormal(),
                InitSpec.truncNormal(0.5, 2.0, -1.0, 4.0), InitSpec.glorotNormal(), InitSpec.truncNormal(0, 0.02, -0.04, 0.04)};
        try (CpuBackend backend = new CpuBackend(2); Arena arena = Arena.ofShared()) {
            MemorySegment out = arena.allocate(8L << 20, 64);
            for (InitSpec init : inits) {
                for (DType dt : DType.values()) {
                    FillRequest r = new FillRequest(Shape.of(1024, 1024), Layout.TORCH, init, dt, 77, 88, Region.whole());
                    backend.fill(r, out);
                    Distribution d = r.distribution();
                    boolean uniform = d instanceof Distribution.Uniform;
                    double lo = uniform ? ((Distribution.Uniform) d).low() : ((Distribution.TruncatedNormal) d).a();
                    double hi = uniform ? ((Distribution.Uniform) d).high() : ((Distribution.TruncatedNormal) d).b();
                    double rlo = round(lo, dt), rhi = round(hi, dt);
                    boolean strict = uniform && (dt == DType.F32 || dt == DType.F64);
                    double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
                    for (long i = 0; i < r.count(); i++) {
                        double v = Conformance.value(out, dt, i);
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                    boolean ok = strict ? min > rlo && max < rhi : min >= rlo && max <= rhi;
                    if (!ok) {
                        throw new AssertionError(init.name() + init.parameters() + " " + dt.id() + ": values span [" + min + ", " + max + "], bounds "
                                + (strict ? "(" : "[") + rlo + ", " + rhi + (strict ? ")" : "]"));
                    }
                }
            }
        }
    }
}

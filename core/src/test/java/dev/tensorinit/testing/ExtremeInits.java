package dev.tensorinit.testing;

import dev.tensorinit.DType;
import dev.tensorinit.FanMode;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Accepted requests at the edges of the parameter arithmetic: spans and standard deviations just
 * inside each dtype's range, truncation bounds far apart, far out in a tail or barely apart, gains
 * and slopes near the limits, fans near 2^62. Every backend must give the reference's bits for each,
 * and every value must be finite and inside the support ({@link Support}). The property test in core
 * (ParameterArithmeticProperties) explores the same space at random against the reference.
 */
public final class ExtremeInits {
    private ExtremeInits() {}

    public static List<Conformance.Case> cases() {
        List<Conformance.Case> out = new ArrayList<>();
        Shape small = Shape.of(67, 61);
        Region odd = Region.range(3, 4086);    // starts and ends inside Philox blocks
        add(out, "uniform half the f32 range each side", small, InitSpec.uniform(-1.7e38, 1.7e38), DType.F32, odd);
        add(out, "uniform half the f64 range each side", small, InitSpec.uniform(-8.9e307, 8.9e307), DType.F64, odd);
        add(out, "uniform the whole f16 range", small, InitSpec.uniform(-65504, 65504), DType.F16, odd);
        add(out, "uniform the whole bf16 range", small, InitSpec.uniform(-1.69e38, 1.69e38), DType.BF16, odd);
        add(out, "uniform one f32 ulp wide", small, InitSpec.uniform(1.0, Math.nextUp(1.0f)), DType.F32, odd);
        add(out, "uniform of subnormals", small, InitSpec.uniform(-1e-40, 1e-40), DType.F32, odd);
        add(out, "normal std 6e37 in f32", small, InitSpec.normal(0, 6e37), DType.F32, odd);
        add(out, "normal std 12000 in f16", small, InitSpec.normal(0, 12000), DType.F16, odd);
        add(out, "normal std 1e-30 in f32", small, InitSpec.normal(0, 1e-30), DType.F32, odd);
        add(out, "normal std 1e-6 in f16 (subnormals)", small, InitSpec.normal(0, 1e-6), DType.F16, odd);
        add(out, "normal std 1e300 in f64", small, InitSpec.normal(-1e300, 1e300), DType.F64, odd);
        add(out, "trunc_normal with a bound beyond f32", small, InitSpec.truncNormal(0, 1, -1e39, 2), DType.F32, odd);
        add(out, "trunc_normal with bounds ±1e300", small, InitSpec.truncNormal(0, 1, -1e300, 1e300), DType.F64, odd);
        add(out, "trunc_normal far in the right tail", small, InitSpec.truncNormal(0, 1, 4, 4.5), DType.F32, odd);
        add(out, "trunc_normal far in the left tail, f64", small, InitSpec.truncNormal(0, 1, -8, -7), DType.F64, odd);
        add(out, "trunc_normal a few bf16 steps wide", small, InitSpec.truncNormal(1, 1, 0.99, 1.01), DType.BF16, odd);
        add(out, "trunc_normal std 1e4 in f16", small, InitSpec.truncNormal(0, 1e4, -6e4, 6e4), DType.F16, odd);
        add(out, "xavier_uniform gain 1e5", Shape.of(1, 1), InitSpec.xavierUniform(1e5), DType.F32, Region.whole());
        add(out, "xavier_normal gain 1e-30 in bf16", small, InitSpec.xavierNormal(1e-30), DType.BF16, odd);
        add(out, "kaiming_normal leaky_relu slope 1e150", small, InitSpec.kaimingNormal(1e150, FanMode.FAN_IN, "leaky_relu"), DType.F64, odd);
        add(out, "kaiming_uniform fan_out 2^62", Shape.of(1L << 62, 1), InitSpec.kaimingUniform(0, FanMode.FAN_OUT, "relu"), DType.F32,
                Region.range((1L << 62) - 4001, (1L << 62) - 3));
        add(out, "he_normal fan_in 2^61 (jax)", Shape.of(1L << 61, 2), InitSpec.heNormal(), DType.F64, Region.range(5, 4100));
        add(out, "variance_scaling scale 1e30 fan_avg uniform", small,
                InitSpec.varianceScaling(1e30, FanMode.FAN_AVG, InitSpec.VsDistribution.UNIFORM), DType.F32, odd);
        add(out, "constant 65504 in f16", small, InitSpec.constant(65504), DType.F16, odd);
        add(out, "constant -3.4e38 in f32", small, InitSpec.constant(-3.4e38), DType.F32, odd);
        add(out, "constant 4.9e-324 in f64", small, InitSpec.constant(Double.MIN_VALUE), DType.F64, odd);
        return out;
    }

    private static void add(List<Conformance.Case> out, String name, Shape shape, InitSpec init, DType dtype, Region region) {
        Layout layout = name.contains("(jax)") ? Layout.JAX : Layout.TORCH;
        FillRequest r = new FillRequest(shape, layout, init, dtype, 0xC0FFEEL, name.hashCode(), region);
        r.kernelArgs();   // each case must be accepted; a refusal here is a bug in this list or in core
        out.add(new Conformance.Case(name + " " + dtype.id(), r));
    }
}

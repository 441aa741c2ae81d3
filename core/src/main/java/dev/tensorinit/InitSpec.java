package dev.tensorinit;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An initializer, as named in PyTorch ({@code xavier_*}, {@code kaiming_*}, {@code trunc_normal}) or in
 * JAX/Keras ({@code glorot_*}, {@code he_*}, {@code lecun_*}, {@code variance_scaling}), plus plain
 * uniform, normal, the log of a uniform draw and constants. Immutable; {@link #resolve} turns it into a {@link Distribution} for a
 * shape in a layout. Semantics follow each family exactly: PyTorch's normals are untruncated, the JAX
 * family's *_normal are truncated at ±2σ and rescaled by 1/0.87962566103423978.
 */
public sealed interface InitSpec {

    /** The init's name, as accepted by {@link Inits#create}. */
    String name();

    /** The parameters that define it, for metadata (stable keys, values as text). */
    Map<String, String> parameters();

    Distribution resolve(Shape shape, Layout layout);

    // ---- PyTorch family ------------------------------------------------------------------------

    /** torch.nn.init.xavier_uniform_: bound = √3 · gain · √(2/(fan_in + fan_out)). */
    record XavierUniform(double gain) implements InitSpec {
        public XavierUniform { Checks.positive("gain", gain); }
        public String name() { return "xavier_uniform"; }
        public Map<String, String> parameters() { return params("gain", gain); }
        public Distribution resolve(Shape s, Layout l) {
            double bound = Math.sqrt(3.0) * XavierNormal.std(gain, l.fans(s));
            return new Distribution.Uniform(-bound, bound);
        }
    }

    /** torch.nn.init.xavier_normal_: N(0, std²), std = gain · √(2/(fan_in + fan_out)), untruncated. */
    record XavierNormal(double gain) implements InitSpec {
        public XavierNormal { Checks.positive("gain", gain); }
        public String name() { return "xavier_normal"; }
        public Map<String, String> parameters() { return params("gain", gain); }
        public Distribution resolve(Shape s, Layout l) { return new Distribution.Normal(0, std(gain, l.fans(s))); }
        static double std(double gain, Fans f) {
            // Same order as PyTorch: gain * sqrt(2.0 / float(fan_in + fan_out)).
            // The long sum is exact below 2^63; past that (a [1, 2^63-1] tensor) the double sum is as good.
            double sum = f.in() <= Long.MAX_VALUE - f.out() ? (double) (f.in() + f.out()) : (double) f.in() + (double) f.out();
            return gain * Math.sqrt(2.0 / sum);
        }
    }

    /**
     * torch.nn.init.kaiming_uniform_ / kaiming_normal_: std = calculate_gain(nonlinearity, a) / √fan,
     * fan by mode (fan_in or fan_out); uniform bound = √3·std; normal untruncated.
     */
    record Kaiming(boolean uniform, double a, FanMode mode, String nonlinearity) implements InitSpec {
        public Kaiming {
            Checks.finite("a", a);
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(nonlinearity, "nonlinearity");
            if (mode == FanMode.FAN_AVG) throw new IllegalArgumentException("kaiming mode must be fan_in or fan_out, got fan_avg");
            nonlinearity = nonlinearity.strip().toLowerCase(Locale.ROOT);
            Gain.of(nonlinearity, a); // validates the name
        }
        public String name() { return uniform ? "kaiming_uniform" : "kaiming_normal"; }
        public Map<String, String> parameters() {
            Map<String, String> m = params("a", a);
            m.put("mode", mode.id());
            m.put("nonlinearity", nonlinearity);
            return m;
        }
        public Distribution resolve(Shape s, Layout l) {
            double std = Gain.of(nonlinearity, a) / Math.sqrt(l.fans(s).of(mode));
            if (uniform) {
                double bound = Math.sqrt(3.0) * std;
                return new Distribution.Uniform(-bound, bound);
            }
            return new Distribution.Normal(0, std);
        }
    }

    /** torch.nn.init.trunc_normal_: N(mean, std²) restricted to the absolute bounds [a, b]; no variance correction. */
    record TruncNormal(double mean, double std, double a, double b) implements InitSpec {
        public TruncNormal { new Distribution.TruncatedNormal(mean, std, a, b); }
        public String name() { return "trunc_normal"; }
        public Map<String, String> parameters() { return params("mean", mean, "std", std, "a", a, "b", b); }
        public Distribution resolve(Shape s, Layout l) { return new Distribution.TruncatedNormal(mean, std, a, b); }
    }

    // ---- JAX / Keras family --------------------------------------------------------------------

    /** variance_scaling's distribution, JAX spelling. */
    enum VsDistribution {
        /** U(-1, 1)·√(3·var). */
        UNIFORM,
        /** N(0, var), untruncated (JAX "normal"; Keras calls it "untruncated_normal"). */
        NORMAL,
        /** N(0, 1) truncated to [-2, 2], times √var / 0.87962566103423978. */
        TRUNCATED_NORMAL;

        /** Accepts JAX's names and Keras's "untruncated_normal" (= JAX "normal"). */
        public static VsDistribution parse(String s) {
            if (s == null) throw new NullPointerException("distribution is null");
            return switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "uniform" -> UNIFORM;
                case "normal", "untruncated_normal" -> NORMAL;
                case "truncated_normal" -> TRUNCATED_NORMAL;
                default -> throw new IllegalArgumentException("unknown distribution '" + s
                        + "' (expected uniform, normal, untruncated_normal or truncated_normal)");
            };
        }

        public String id() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * jax.nn.initializers.variance_scaling(scale, mode, distribution): var = scale / n with n = fan_in,
     * fan_out or (fan_in + fan_out)/2. {@code name} is the family alias it was created as
     * (glorot_uniform, he_normal, ...) or "variance_scaling".
     */
    record VarianceScaling(String name, double scale, FanMode mode, VsDistribution distribution) implements InitSpec {
        /** JAX's constant: the std of N(0,1) truncated to [-2, 2]. */
        public static final double TRUNCATED_STD = .87962566103423978;

        public VarianceScaling {
            Objects.requireNonNull(name, "name");
            Checks.positive("scale", scale);
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(distribution, "distribution");
            // The name goes into file metadata: it must say what the parameters do.
            boolean matches = switch (name) {
                case "variance_scaling" -> true;
                case "glorot_uniform" -> scale == 1 && mode == FanMode.FAN_AVG && distribution == VsDistribution.UNIFORM;
                case "glorot_normal" -> scale == 1 && mode == FanMode.FAN_AVG && distribution == VsDistribution.TRUNCATED_NORMAL;
                case "he_uniform" -> scale == 2 && mode == FanMode.FAN_IN && distribution == VsDistribution.UNIFORM;
                case "he_normal" -> scale == 2 && mode == FanMode.FAN_IN && distribution == VsDistribution.TRUNCATED_NORMAL;
                case "lecun_uniform" -> scale == 1 && mode == FanMode.FAN_IN && distribution == VsDistribution.UNIFORM;
                case "lecun_normal" -> scale == 1 && mode == FanMode.FAN_IN && distribution == VsDistribution.TRUNCATED_NORMAL;
                default -> throw new IllegalArgumentException("variance scaling name '" + name + "' is not variance_scaling, "
                        + "glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_uniform or lecun_normal");
            };
            if (!matches) {
                throw new IllegalArgumentException(name + " fixes scale, mode and distribution, got scale " + scale + ", mode "
                        + mode.id() + ", distribution " + distribution.id() + " (name it variance_scaling)");
            }
        }
        public Map<String, String> parameters() {
            Map<String, String> m = params("scale", scale);
            m.put("mode", mode.id());
            m.put("distribution", distribution.id());
            return m;
        }
        public Distribution resolve(Shape s, Layout l) {
            double variance = scale / Math.max(1.0, l.fans(s).of(mode));
            return switch (distribution) {
                case UNIFORM -> {
                    double bound = Math.sqrt(3 * variance);
                    yield new Distribution.Uniform(-bound, bound);
                }
                case NORMAL -> new Distribution.Normal(0, Math.sqrt(variance));
                case TRUNCATED_NORMAL -> {
                    double std = Math.sqrt(variance) / TRUNCATED_STD;
                    yield new Distribution.TruncatedNormal(0, std, -2 * std, 2 * std);
                }
            };
        }
    }

    // ---- plain ---------------------------------------------------------------------------------

    record Uniform(double low, double high) implements InitSpec {
        public Uniform { new Distribution.Uniform(low, high); }
        public String name() { return "uniform"; }
        public Map<String, String> parameters() { return params("low", low, "high", high); }
        public Distribution resolve(Shape s, Layout l) { return new Distribution.Uniform(low, high); }
    }

    /** ln(U(low, high)), 0 &lt; low &lt; high: see {@link Distribution.LogOfUniform}. */
    record LogOfUniform(double low, double high) implements InitSpec {
        public LogOfUniform { new Distribution.LogOfUniform(low, high); }
        public String name() { return "log_of_uniform"; }
        public Map<String, String> parameters() { return params("low", low, "high", high); }
        public Distribution resolve(Shape s, Layout l) { return new Distribution.LogOfUniform(low, high); }
    }

    /** N(mean, std²), untruncated. */
    record Normal(double mean, double std) implements InitSpec {
        public Normal { new Distribution.Normal(mean, std); }
        public String name() { return "normal"; }
        public Map<String, String> parameters() { return params("mean", mean, "std", std); }
        public Distribution resolve(Shape s, Layout l) { return new Distribution.Normal(mean, std); }
    }

    /** Every element equal to value; {@code name} is "constant", "zeros" or "ones". */
    record Constant(String name, double value) implements InitSpec {
        public Constant {
            Objects.requireNonNull(name, "name");
            Checks.finite("value", value);
            // The name goes into file metadata: "zeros" must be zeros.
            switch (name) {
                case "constant" -> { }
                case "zeros", "ones" -> {
                    // Bits, not ==: -0.0 == 0.0, but a "zeros" of -0.0 would write 0x80000000.
                    if (Double.doubleToRawLongBits(value) != Double.doubleToRawLongBits(name.equals("zeros") ? 0.0 : 1.0)) {
                        throw new IllegalArgumentException(name + " has no value to choose, got " + value + " (name it constant)");
                    }
                }
                default -> throw new IllegalArgumentException("constant name '" + name + "' is not constant, zeros or ones");
            }
        }
        public Map<String, String> parameters() { return params("value", value); }
        public Distribution resolve(Shape s, Layout l) { return new Distribution.Constant(value); }
    }

    // ---- factories -----------------------------------------------------------------------------

    static InitSpec xavierUniform() { return new XavierUniform(1.0); }
    static InitSpec xavierUniform(double gain) { return new XavierUniform(gain); }
    static InitSpec xavierNormal() { return new XavierNormal(1.0); }
    static InitSpec xavierNormal(double gain) { return new XavierNormal(gain); }
    /** PyTorch defaults: a=0, mode=fan_in, nonlinearity=leaky_relu. */
    static InitSpec kaimingUniform() { return new Kaiming(true, 0, FanMode.FAN_IN, "leaky_relu"); }
    static InitSpec kaimingUniform(double a, FanMode mode, String nonlinearity) { return new Kaiming(true, a, mode, nonlinearity); }
    static InitSpec kaimingNormal() { return new Kaiming(false, 0, FanMode.FAN_IN, "leaky_relu"); }
    static InitSpec kaimingNormal(double a, FanMode mode, String nonlinearity) { return new Kaiming(false, a, mode, nonlinearity); }
    /** PyTorch defaults: mean 0, std 1, a -2, b 2. */
    static InitSpec truncNormal() { return new TruncNormal(0, 1, -2, 2); }
    static InitSpec truncNormal(double mean, double std, double a, double b) { return new TruncNormal(mean, std, a, b); }
    static InitSpec glorotUniform() { return new VarianceScaling("glorot_uniform", 1.0, FanMode.FAN_AVG, VsDistribution.UNIFORM); }
    static InitSpec glorotNormal() { return new VarianceScaling("glorot_normal", 1.0, FanMode.FAN_AVG, VsDistribution.TRUNCATED_NORMAL); }
    static InitSpec heUniform() { return new VarianceScaling("he_uniform", 2.0, FanMode.FAN_IN, VsDistribution.UNIFORM); }
    static InitSpec heNormal() { return new VarianceScaling("he_normal", 2.0, FanMode.FAN_IN, VsDistribution.TRUNCATED_NORMAL); }
    static InitSpec lecunUniform() { return new VarianceScaling("lecun_uniform", 1.0, FanMode.FAN_IN, VsDistribution.UNIFORM); }
    static InitSpec lecunNormal() { return new VarianceScaling("lecun_normal", 1.0, FanMode.FAN_IN, VsDistribution.TRUNCATED_NORMAL); }
    static InitSpec varianceScaling(double scale, FanMode mode, VsDistribution d) { return new VarianceScaling("variance_scaling", scale, mode, d); }
    static InitSpec uniform(double low, double high) { return new Uniform(low, high); }
    static InitSpec normal(double mean, double std) { return new Normal(mean, std); }
    static InitSpec logOfUniform(double low, double high) { return new LogOfUniform(low, high); }
    static InitSpec constant(double value) { return new Constant("constant", value); }
    static InitSpec zeros() { return new Constant("zeros", 0.0); }
    static InitSpec ones() { return new Constant("ones", 1.0); }

    private static Map<String, String> params(Object... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], String.valueOf(kv[i + 1]));
        return m;
    }
}

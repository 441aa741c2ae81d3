package dev.tensorinit;

/**
 * What an init spec resolves to once the shape and layout are known: one of five element
 * distributions, with parameters in double precision. Backends never see init specs, only these
 * (turned into a {@link dev.tensorinit.kernel.KernelArgs}).
 *
 * <p>Each record spells out the toString a record would generate, "Normal[mean=0.0, std=1.0]" (the CLI prints it and
 * writes it into safetensors metadata): the generated one is linked through method handles on its first call, 13-16 ms
 * of a fresh JVM (measured), which a small fill's whole run otherwise does not need.
 */
public sealed interface Distribution {

    /**
     * U(low, high). Values are computed in f32 (f64 for f64) and stay inside [low, high] rounded to that precision;
     * bf16 and f16 then round each value to nearest, so their values stay inside [low, high] rounded outward to the
     * dtype (xavier_uniform's bound 0.0541266 reaches ±0.0541992 in bf16, as PyTorch's does).
     */
    record Uniform(double low, double high) implements Distribution {
        public Uniform {
            Checks.finite("low", low);
            Checks.finite("high", high);
            if (!(low < high)) throw new IllegalArgumentException("low (" + low + ") must be below high (" + high + ")");
        }

        @Override public String toString() { return "Uniform[low=" + low + ", high=" + high + "]"; }
    }

    /** N(mean, std²), untruncated. */
    record Normal(double mean, double std) implements Distribution {
        public Normal {
            Checks.finite("mean", mean);
            Checks.positive("std", std);
        }

        @Override public String toString() { return "Normal[mean=" + mean + ", std=" + std + "]"; }
    }

    /** N(mean, std²) restricted to [a, b] (absolute bounds), by inverse CDF: no rejection. */
    record TruncatedNormal(double mean, double std, double a, double b) implements Distribution {
        public TruncatedNormal {
            Checks.finite("mean", mean);
            Checks.positive("std", std);
            Checks.finite("a", a);
            Checks.finite("b", b);
            if (!(a < b)) throw new IllegalArgumentException("a (" + a + ") must be below b (" + b + ")");
        }

        @Override public String toString() { return "TruncatedNormal[mean=" + mean + ", std=" + std + ", a=" + a + ", b=" + b + "]"; }
    }

    /**
     * The natural log of a U(low, high) draw, 0 &lt; low &lt; high: what Qwen3-Next's and Qwen3.5's linear attention
     * draws its A_log with ({@code torch.empty(n).uniform_(0.01, 16).log_()}). Not a log-uniform distribution (that
     * would be uniform in the log): the values crowd towards log(high). The draw is U(low, high) exactly as
     * {@link Uniform} computes it, then the contract's log in the same precision, so low must be a normal number there.
     */
    record LogOfUniform(double low, double high) implements Distribution {
        public LogOfUniform {
            Checks.finite("low", low);
            Checks.finite("high", high);
            if (!(low > 0)) throw new IllegalArgumentException("low (" + low + ") must be above 0: the log of its draws must be finite");
            if (!(low < high)) throw new IllegalArgumentException("low (" + low + ") must be below high (" + high + ")");
        }

        @Override public String toString() { return "LogOfUniform[low=" + low + ", high=" + high + "]"; }
    }

    /** Every element equals value. */
    record Constant(double value) implements Distribution {
        public Constant {
            Checks.finite("value", value);
        }

        @Override public String toString() { return "Constant[value=" + value + "]"; }
    }
}

package dev.tensorinit;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Creates an {@link InitSpec} from its name and textual parameters (the CLI's flags). Parameters an
 * init does not take are rejected, so a typo never silently falls back to a default.
 */
public final class Inits {
    private Inits() {}

    /** Every init name, PyTorch family first. */
    public static final List<String> NAMES = List.of("xavier_uniform", "xavier_normal", "kaiming_uniform",
            "kaiming_normal", "trunc_normal", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
            "lecun_uniform", "lecun_normal", "variance_scaling", "uniform", "normal", "log_of_uniform", "constant", "zeros", "ones");

    /**
     * @param name   an init name from {@link #NAMES}
     * @param params keys: gain, a, b, mode, nonlinearity, distribution, scale, mean, std, low, high, value
     */
    public static InitSpec create(String name, Map<String, String> params) {
        Objects.requireNonNull(name, "init name");
        Objects.requireNonNull(params, "params");
        Args p = new Args(name, params);
        InitSpec spec = switch (name.strip()) {
            case "xavier_uniform" -> new InitSpec.XavierUniform(p.gain());
            case "xavier_normal" -> new InitSpec.XavierNormal(p.gain());
            case "kaiming_uniform", "kaiming_normal" -> new InitSpec.Kaiming(name.strip().equals("kaiming_uniform"),
                    p.num("a", 0), FanMode.parse(p.text("mode", "fan_in")), p.text("nonlinearity", "leaky_relu"));
            case "trunc_normal" -> new InitSpec.TruncNormal(p.num("mean", 0), p.num("std", 1), p.num("a", -2), p.num("b", 2));
            case "glorot_uniform" -> InitSpec.glorotUniform();
            case "glorot_normal" -> InitSpec.glorotNormal();
            case "he_uniform" -> InitSpec.heUniform();
            case "he_normal" -> InitSpec.heNormal();
            case "lecun_uniform" -> InitSpec.lecunUniform();
            case "lecun_normal" -> InitSpec.lecunNormal();
            case "variance_scaling" -> InitSpec.varianceScaling(p.num("scale", 1.0), FanMode.parse(p.text("mode", "fan_in")),
                    InitSpec.VsDistribution.parse(p.text("distribution", "truncated_normal")));
            case "uniform" -> new InitSpec.Uniform(p.num("low", 0), p.num("high", 1));
            case "normal" -> new InitSpec.Normal(p.num("mean", 0), p.num("std", 1));
            // No defaults: U(0, 1)'s low would make the log -inf, and no one range is the usual one.
            case "log_of_uniform" -> new InitSpec.LogOfUniform(p.required("low"), p.required("high"));
            case "constant" -> new InitSpec.Constant("constant", p.required("value"));
            case "zeros" -> InitSpec.zeros();
            case "ones" -> InitSpec.ones();
            default -> throw new IllegalArgumentException("unknown init '" + name + "' (expected one of "
                    + String.join(", ", NAMES) + ")");
        };
        p.rejectUnused();
        return spec;
    }

    /** Digits before any exponent that hold a nonzero one. */
    private static final java.util.regex.Pattern MANTISSA_NONZERO = java.util.regex.Pattern.compile("[+-]?[0.]*[1-9]");

    /** A plain decimal number; NaN and infinities spelled out. */
    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile(
            "[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?(?:(?i)inf|infinity|nan)");

    /**
     * Parses a number written in decimal: optional sign, digits with an optional point, an optional exponent
     * ({@code 0.02}, {@code -1e-3}, {@code .5}), or {@code inf}/{@code infinity}/{@code nan} in any case, with
     * surrounding blanks ignored: the forms Python's float() reads, without its digit-group underscores. Refused,
     * where Double.parseDouble would take them: Java's type suffixes ({@code 2f}, {@code 2d}), hex floats, and a
     * finite-looking number that overflows to infinity ({@code 1e400}), each with a message naming {@code what} and
     * the text as typed.
     */
    public static double number(String what, String text) {
        Objects.requireNonNull(text, what);
        String t = text.strip();
        if (!DECIMAL.matcher(t).matches()) throw new IllegalArgumentException(what + " '" + text + "' is not a number");
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("inf") || lower.contains("nan")) {
            return lower.contains("nan") ? Double.NaN : lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        double v = Double.parseDouble(t);
        if (Double.isInfinite(v)) throw new IllegalArgumentException(what + " '" + text + "' is not a finite number (it overflows a double)");
        // A nonzero number too small for a double would go on as 0, and the message would then name 0, not it.
        if (v == 0 && MANTISSA_NONZERO.matcher(t).lookingAt()) {
            throw new IllegalArgumentException(what + " '" + text + "' is too small for a double (it underflows to 0)");
        }
        return v;
    }

    private static final class Args {
        final String init;
        final Map<String, String> map;
        final Set<String> used = new HashSet<>();

        Args(String init, Map<String, String> map) {
            this.init = init;
            this.map = map;
        }

        String text(String key, String dflt) {
            used.add(key);
            String v = map.get(key);
            // A key given with a null value is not a parameter left out: taking the default would hide it.
            if (v == null && map.containsKey(key)) throw new NullPointerException(init + " parameter '" + key + "' is null");
            return v == null ? dflt : v;
        }

        double num(String key, double dflt) {
            String v = text(key, null);
            return v == null ? dflt : number(key, v);
        }

        double required(String key) {
            if (!map.containsKey(key)) throw new IllegalArgumentException(init + " needs " + key);
            return num(key, 0);
        }

        double gain() {
            String v = text("gain", null);
            return v == null ? 1.0 : Gain.parse(v);
        }

        void rejectUnused() {
            for (String k : map.keySet()) {
                if (!used.contains(k)) throw new IllegalArgumentException(init + " takes no parameter '" + k + "'");
            }
        }
    }
}

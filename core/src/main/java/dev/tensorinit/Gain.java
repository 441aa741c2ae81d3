package dev.tensorinit;

import java.util.Locale;

/**
 * The recommended gain for a nonlinearity, as PyTorch's {@code torch.nn.init.calculate_gain}:
 * linear, conv*, conv_transpose*, sigmoid → 1; tanh → 5/3; relu → √2; leaky_relu(slope) → √(2/(1+slope²));
 * selu → 3/4.
 */
public final class Gain {
    private Gain() {}

    /** PyTorch's default negative slope for leaky_relu when none is given. */
    public static final double DEFAULT_LEAKY_SLOPE = 0.01;

    public static double of(String nonlinearity) {
        return of(nonlinearity, Double.NaN);
    }

    /** {@code param} is the leaky_relu slope; NaN means "not given" (slope 0.01). */
    public static double of(String nonlinearity, double param) {
        if (nonlinearity == null) throw new NullPointerException("nonlinearity is null");
        String n = nonlinearity.strip().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
                 "sigmoid" -> 1.0;
            case "tanh" -> 5.0 / 3.0;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> {
                double slope = Double.isNaN(param) ? DEFAULT_LEAKY_SLOPE : Checks.finite("leaky_relu slope", param);
                // Past |slope| 1e150, 1 + slope² is slope² (or overflows: the gain read 0 and the refusal named 0.0, not
                // the slope), so √2 ÷ |slope|, the same value to within an ulp.
                yield Math.abs(slope) > 1e150 ? Math.sqrt(2.0) / Math.abs(slope) : Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu" -> 3.0 / 4.0;
            default -> throw new IllegalArgumentException("unknown nonlinearity '" + nonlinearity + "' (expected linear, "
                    + "conv1d, conv2d, conv3d, conv_transpose1d/2d/3d, sigmoid, tanh, relu, leaky_relu, selu)");
        };
    }

    /**
     * Parses a number, a nonlinearity name, or {@code leaky_relu:SLOPE}. Only leaky_relu takes a parameter: a slope
     * on another nonlinearity ({@code relu:0.5}) is refused rather than dropped.
     */
    public static double parse(String text) {
        if (text == null) throw new NullPointerException("gain is null");
        String t = text.strip();
        int colon = t.indexOf(':');
        if (colon >= 0) {
            String name = t.substring(0, colon).strip(), slope = t.substring(colon + 1);
            if (!name.equalsIgnoreCase("leaky_relu")) {
                of(name);   // an unknown name says so first
                throw new IllegalArgumentException("gain '" + text + "': only leaky_relu takes a parameter (leaky_relu:SLOPE), not " + name);
            }
            double value;
            try {
                value = Inits.number("gain '" + text + "': slope", slope);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("gain '" + text + "': slope '" + slope + "' is not a finite number", e);
            }
            // of() reads NaN as "no slope given" (0.01); a slope the user typed as NaN is an error, not the default.
            if (!Double.isFinite(value)) throw new IllegalArgumentException("gain '" + text + "': slope '" + slope + "' is not a finite number");
            return of(name, value);
        }
        double value;
        try {
            value = Inits.number("gain", t);
        } catch (IllegalArgumentException e) {
            if (!t.isEmpty() && (Character.isDigit(t.charAt(0)) || "+-.".indexOf(t.charAt(0)) >= 0)) throw e;   // 2f, 1e400
            return of(t);
        }
        if (!Double.isFinite(value)) throw new IllegalArgumentException("gain '" + text + "' is not a finite number");
        return value;
    }
}

package dev.tensorinit;

import java.util.Locale;

/** Which fan scales the variance. */
public enum FanMode {
    FAN_IN, FAN_OUT, FAN_AVG;

    public static FanMode parse(String s) {
        if (s == null) throw new NullPointerException("mode is null");
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "fan_in" -> FAN_IN;
            case "fan_out" -> FAN_OUT;
            case "fan_avg" -> FAN_AVG;
            default -> throw new IllegalArgumentException("unknown mode '" + s + "' (expected fan_in, fan_out or fan_avg)");
        };
    }

    public String id() { return name().toLowerCase(Locale.ROOT); }
}

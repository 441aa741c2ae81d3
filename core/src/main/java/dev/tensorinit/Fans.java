package dev.tensorinit;

/** fan_in and fan_out of a weight tensor (both at least 1, since every dimension is). */
public record Fans(long in, long out) {
    public Fans {
        if (in < 1 || out < 1) throw new IllegalArgumentException("fans must be >= 1, got in=" + in + " out=" + out);
    }

    /** The denominator n of var = scale / n for a mode. fan_avg is (in + out) / 2 computed in double. */
    public double of(FanMode mode) {
        return switch (mode) {
            case FAN_IN -> in;
            case FAN_OUT -> out;
            case FAN_AVG -> ((double) in + (double) out) / 2.0;
        };
    }
}

package dev.tensorinit;

/** Argument checks whose messages name the parameter and its value. */
final class Checks {
    private Checks() {}

    static double finite(String name, double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException(name + " must be finite, got " + v);
        return v;
    }

    static double positive(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + v);
        }
        return v;
    }
}

package dev.tensorinit.spi;

/**
 * Settings a caller may pass when creating a backend. Each backend honours the ones that apply to it
 * and ignores the rest; {@code threads == 0} means the backend's default (for the CPU backend: every
 * processor, or the tensorinit.cpu.threads property).
 */
public record BackendOptions(int threads) {
    public static final BackendOptions DEFAULTS = new BackendOptions(0);

    public BackendOptions {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 1 (or 0 for the default), got " + threads);
    }

    public static BackendOptions threads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        return new BackendOptions(n);
    }
}

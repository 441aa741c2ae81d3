package dev.tensorinit.cuda;

/**
 * Threads per block, the largest grid and the kernel variant. The kernels' grid-stride loops make the
 * values independent of all three (tested); they only change speed. {@code maxBlocks == 0} means 32
 * blocks per SM; {@code maxBlocks == RESIDENT} means as many blocks as the device keeps resident at once
 * (SMs × cuOccupancyMaxActiveBlocksPerMultiprocessor of the kernel launched): one wave, each thread looping.
 */
public record LaunchConfig(int threadsPerBlock, int maxBlocks, KernelVariant variant) {
    public static final LaunchConfig DEFAULT = new LaunchConfig(256, 0, KernelVariant.AUTO);
    /** maxBlocks value: size the grid to the blocks resident at once on the device. */
    public static final int RESIDENT = -1;
    /** System property: {@code resident} sets maxBlocks to RESIDENT, {@code capped} to 0 (overrides the config's). */
    public static final String GRID_PROPERTY = dev.tensorinit.Settings.CUDA_GRID;

    public LaunchConfig {
        if (threadsPerBlock < 1 || threadsPerBlock > 1024) {
            throw new IllegalArgumentException("threadsPerBlock must be in [1, 1024], got " + threadsPerBlock);
        }
        if (maxBlocks < RESIDENT) throw new IllegalArgumentException("maxBlocks must be >= 0 or RESIDENT (-1), got " + maxBlocks);
        java.util.Objects.requireNonNull(variant, "variant");
    }

    /** The default kernels. */
    public LaunchConfig(int threadsPerBlock, int maxBlocks) {
        this(threadsPerBlock, maxBlocks, KernelVariant.DEFAULT);
    }

    public LaunchConfig withVariant(KernelVariant v) { return new LaunchConfig(threadsPerBlock, maxBlocks, v); }
    public LaunchConfig withMaxBlocks(int m) { return new LaunchConfig(threadsPerBlock, m, variant); }

    /**
     * This config with the settings tensorinit.cuda.kernel and tensorinit.cuda.grid (or their
     * TENSORINIT_CUDA_* variables) applied when set: tuning knobs for benchmarks.
     */
    LaunchConfig withOverrides() {
        LaunchConfig c = this;
        String v = dev.tensorinit.Settings.get(dev.tensorinit.Settings.CUDA_KERNEL);
        if (v != null) c = c.withVariant(KernelVariant.parse(v));
        String g = dev.tensorinit.Settings.get(GRID_PROPERTY);
        if (g != null) {
            c = switch (g.strip()) {
                case "resident" -> c.withMaxBlocks(RESIDENT);
                case "capped" -> c.withMaxBlocks(0);
                default -> throw new IllegalArgumentException(GRID_PROPERTY + " '" + g + "' is not 'resident' or 'capped'");
            };
        }
        return c;
    }

    /** Blocks for {@code items} work items on a device with {@code sms} multiprocessors: at least 1. */
    int blocks(long items, int sms) {
        return blocks(items, sms, 32);
    }

    /**
     * As {@link #blocks(long, int)}, where {@code residentPerSm} is the kernel's resident blocks per SM
     * (cuOccupancyMaxActiveBlocksPerMultiprocessor), used when maxBlocks is RESIDENT.
     */
    int blocks(long items, int sms, int residentPerSm) {
        long cap = maxBlocks > 0 ? maxBlocks
                : maxBlocks == RESIDENT ? (long) Math.max(1, residentPerSm) * Math.max(1, sms) : 32L * Math.max(1, sms);
        long need = (items + threadsPerBlock - 1) / threadsPerBlock;
        return (int) Math.max(1, Math.min(Math.min(need, cap), Integer.MAX_VALUE));
    }

    @Override public String toString() {
        return threadsPerBlock + " threads × " + (maxBlocks == RESIDENT ? "resident" : maxBlocks == 0 ? "32/SM" : Integer.toString(maxBlocks))
                + " blocks, kernels " + variant.id();
    }
}

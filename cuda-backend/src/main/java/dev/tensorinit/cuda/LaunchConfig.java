package dev.tensorinit.cuda;

/**
 * Threads per block and the largest grid. The kernels' grid-stride loops make the values independent of
 * both (tested); they only change speed. {@code maxBlocks == 0} means 32 blocks per SM.
 */
public record LaunchConfig(int threadsPerBlock, int maxBlocks) {
    public static final LaunchConfig DEFAULT = new LaunchConfig(256, 0);

    public LaunchConfig {
        if (threadsPerBlock < 1 || threadsPerBlock > 1024) {
            throw new IllegalArgumentException("threadsPerBlock must be in [1, 1024], got " + threadsPerBlock);
        }
        if (maxBlocks < 0) throw new IllegalArgumentException("maxBlocks must be >= 0, got " + maxBlocks);
    }

    /** Blocks for {@code items} work items on a device with {@code sms} multiprocessors: at least 1. */
    int blocks(long items, int sms) {
        long cap = maxBlocks > 0 ? maxBlocks : 32L * Math.max(1, sms);
        long need = (items + threadsPerBlock - 1) / threadsPerBlock;
        return (int) Math.max(1, Math.min(Math.min(need, cap), Integer.MAX_VALUE));
    }
}

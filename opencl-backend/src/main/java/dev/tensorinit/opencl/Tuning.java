package dev.tensorinit.opencl;

/**
 * Knobs that change how work is cut, never a value; 0 means the default. Tests lower them to reach
 * the split paths cheaply (a few-KiB allocation cap, a handful of work-items per launch).
 *
 * @param maxAllocBytes cap below CL_DEVICE_MAX_MEM_ALLOC_SIZE for one cl_mem
 * @param localSize work-group size along dimension 0 (default {@link OpenClBackend#DEFAULT_LOCAL_SIZE})
 * @param blocksPerItem Philox blocks per work-item for the f32 family, 1 or 4 (default per device kind)
 * @param maxItemsPerLaunch work-items per kernel launch at most (default {@link FillLauncher#MAX_ITEMS})
 */
record Tuning(long maxAllocBytes, long localSize, int blocksPerItem, long maxItemsPerLaunch) {
    static final Tuning DEFAULT = new Tuning(0, 0, 0, 0);

    Tuning {
        if (maxAllocBytes < 0 || localSize < 0 || maxItemsPerLaunch < 0) throw new IllegalArgumentException("negative tuning " + this);
        if (blocksPerItem != 0 && blocksPerItem != 1 && blocksPerItem != 4) {
            throw new IllegalArgumentException("blocks per work-item must be 1 or 4, got " + blocksPerItem);
        }
    }

    Tuning withMaxAllocBytes(long b) { return new Tuning(b, localSize, blocksPerItem, maxItemsPerLaunch); }
    Tuning withLocalSize(long l) { return new Tuning(maxAllocBytes, l, blocksPerItem, maxItemsPerLaunch); }
    Tuning withBlocksPerItem(int n) { return new Tuning(maxAllocBytes, localSize, n, maxItemsPerLaunch); }
    Tuning withMaxItemsPerLaunch(long n) { return new Tuning(maxAllocBytes, localSize, blocksPerItem, n); }
}

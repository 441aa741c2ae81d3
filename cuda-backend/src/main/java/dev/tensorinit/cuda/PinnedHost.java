package dev.tensorinit.cuda;

import dev.tensorinit.NativeMemory;
import dev.tensorinit.spi.DeviceOutOfMemoryException;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.TreeMap;

/**
 * Page-locked host memory handed out as MemorySegments ({@link CudaBackend#allocateHost}): device-to-host
 * copies into it run asynchronously at full link speed, where a copy into pageable memory is staged by
 * the driver and blocks. Each block holds its own retain of the device's primary context, so it stays
 * valid until its arena frees it, even after the backend that made it has closed. A fill whose
 * destination lies inside a block takes the overlapped path.
 */
final class PinnedHost {
    /** Start address -> block, for "is this destination pinned?". */
    private final TreeMap<Long, Block> blocks = new TreeMap<>();
    private final CUdevice device;

    /**
     * Largest block taken from cuMemHostAlloc: JCuda hands its block out as a direct ByteBuffer, which holds at most
     * 2^31 - 1 bytes (a 4 GiB block failed in JNI after the driver had allocated it). Larger blocks are C memory
     * page-locked with cuMemHostRegister: the same DMA speed, and no buffer over the whole block.
     */
    static final long MAX_HOST_ALLOC = Integer.MAX_VALUE;
    private static final long PAGE = 4096;

    /** A pinned block: where it starts, its size, and how to give it back (the context current). */
    private record Block(long address, long bytes, Runnable release) {}

    /** A JCuda pointer to a raw address (JCuda's public factories take arrays and buffers only). */
    private static final class RawPointer extends Pointer {
        RawPointer(long address) {
            super(address);
        }
    }

    PinnedHost(CUdevice device) {
        this.device = device;
    }

    /** Allocates {@code bytes} of pinned memory, freed when {@code arena} closes. The context must be current. */
    @SuppressWarnings("restricted") // a native allocation made into a segment; needs --enable-native-access
    MemorySegment allocate(Arena arena, long bytes) {
        if (!arena.scope().isAlive()) throw new IllegalStateException("the arena is already closed");
        // An arena confined to another thread fails here, before gigabytes are allocated and pinned, not at reinterpret.
        MemorySegment.NULL.reinterpret(0, arena, null);
        Block b = bytes <= MAX_HOST_ALLOC ? hostAlloc(bytes) : hostRegister(bytes);
        CUcontext ctx = new CUcontext();
        try {
            JCudaDriver.cuDevicePrimaryCtxRetain(ctx, device);
        } catch (RuntimeException | Error e) {
            try {
                b.release().run();   // nothing holds the block yet
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        synchronized (blocks) {
            blocks.put(b.address(), b);
        }
        try {
            return MemorySegment.ofAddress(b.address()).reinterpret(bytes, arena, s -> free(b, ctx));
        } catch (RuntimeException e) {
            free(b, ctx);
            throw e;
        }
    }

    private static Block hostAlloc(long bytes) {
        Pointer p = new Pointer();
        try {
            JCudaDriver.cuMemHostAlloc(p, bytes, JCudaDriver.CU_MEMHOSTALLOC_PORTABLE);
        } catch (CudaException e) {
            throw failure("cuMemHostAlloc", bytes, e);
        }
        try {
            // The block's address: JCuda hands out pinned memory as a Pointer; a direct buffer over its start has the address.
            long address = MemorySegment.ofBuffer(p.getByteBuffer(0, Math.min(bytes, 1 << 20))).address();
            return new Block(address, bytes, () -> JCudaDriver.cuMemFreeHost(p));
        } catch (RuntimeException | Error e) {
            try {
                JCudaDriver.cuMemFreeHost(p);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static Block hostRegister(long bytes) {
        Arena own = Arena.ofShared();
        try {
            MemorySegment raw = NativeMemory.allocateUninitialized(own, bytes, PAGE);
            Pointer p = new RawPointer(raw.address());
            try {
                JCudaDriver.cuMemHostRegister(p, bytes, JCudaDriver.CU_MEMHOSTREGISTER_PORTABLE);
            } catch (CudaException e) {
                throw failure("cuMemHostRegister", bytes, e);
            }
            // Freed only once unregistered: memory the driver still counts as pinned must not go back to malloc.
            return new Block(raw.address(), bytes, () -> {
                JCudaDriver.cuMemHostUnregister(p);
                own.close();
            });
        } catch (RuntimeException | Error e) {
            own.close();
            throw e;
        }
    }

    /**
     * What a failed pinning call throws: DeviceOutOfMemoryException only when the driver says out of memory. Every
     * failure was reported as out of memory before, so one the driver refuses for another reason (page-locking not
     * permitted or not supported in a container, say) told the user to free memory instead of naming the error. The same
     * test as cuMemAlloc's ({@link CudaBackend#deviceAlloc}).
     */
    static RuntimeException failure(String call, long bytes, CudaException e) {
        String what = call + " of " + bytes + " host bytes failed: " + e.getMessage();
        if (CudaBackend.outOfMemory(e)) return new DeviceOutOfMemoryException(what, bytes, e);
        return new IllegalStateException(what + (call.equals("cuMemHostRegister")
                ? " (host blocks above " + MAX_HOST_ALLOC + " bytes are page-locked with cuMemHostRegister; smaller ones come from cuMemHostAlloc)"
                : ""), e);
    }

    private void free(Block b, CUcontext ctx) {
        synchronized (blocks) {
            blocks.remove(b.address());
        }
        try {
            JCudaDriver.cuCtxSetCurrent(ctx);   // any thread may close the arena
            b.release().run();
        } finally {
            JCudaDriver.cuDevicePrimaryCtxRelease(device);   // the block's retain, even when the free failed
        }
    }

    /** True when all of seg lies inside one pinned block of this backend. */
    boolean contains(MemorySegment seg) {
        if (!seg.isNative()) return false;
        long a = seg.address();
        synchronized (blocks) {
            Map.Entry<Long, Block> e = blocks.floorEntry(a);
            return e != null && a + seg.byteSize() <= e.getValue().address() + e.getValue().bytes();
        }
    }
}

package dev.tensorinit.cpu;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Asks Linux for transparent huge pages on fresh memory before its first touch (madvise
 * MADV_HUGEPAGE; THP is often in "madvise" mode). First touch runs at 0.3-1.6 GB/s here, mostly
 * page faults; 2 MiB pages take 512 times fewer. Best effort: elsewhere, or when refused, nothing
 * changes but speed.
 */
final class HugePages {
    private HugePages() {}

    static final long SIZE = 2L << 20;
    private static final int MADV_HUGEPAGE = 14;

    /** Present only on Linux (the constant 14 is Linux's); looked up once. */
    private static final Optional<MethodHandle> MADVISE = lookup();

    private static Optional<MethodHandle> lookup() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) return Optional.empty();
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("madvise").map(a -> linker.downcallHandle(a,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT)));
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** Advises huge pages for the 2 MiB-aligned part of seg (a native segment); returns whether the call was made and succeeded. */
    static boolean advise(MemorySegment seg) {
        if (MADVISE.isEmpty() || !seg.isNative()) return false;
        long start = (seg.address() + SIZE - 1) & -SIZE;
        long end = (seg.address() + seg.byteSize()) & -SIZE;
        if (end <= start) return false;
        try {
            return (int) MADVISE.get().invokeExact(MemorySegment.ofAddress(start), end - start, MADV_HUGEPAGE) == 0;
        } catch (Throwable t) {
            return false;
        }
    }
}

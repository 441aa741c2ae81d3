package dev.tensorinit.opencl;

import dev.tensorinit.FillRequest;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.kernel.Reference;
import dev.tensorinit.spi.Probe;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Test helpers: the device to test on (skip, or fail where CI requires OpenCL) and reference bytes. */
final class OpenClTesting {
    private OpenClTesting() {}

    private static ClDevice device;

    /**
     * The device the tests run on. Where TENSORINIT_REQUIRE_BACKENDS names opencl (CI), an unavailable
     * backend fails the test with the probe's reason; elsewhere the test is skipped with it.
     */
    static synchronized ClDevice device() {
        if (device != null) return device;
        OpenClBackendProvider provider = new OpenClBackendProvider();
        Probe p = provider.probe();
        if (p instanceof Probe.Unavailable u) {
            String required = System.getenv("TENSORINIT_REQUIRE_BACKENDS");
            boolean mustRun = required != null && required.toLowerCase(Locale.ROOT).contains("opencl");
            String msg = "OpenCL backend unavailable: " + u.reason();
            if (mustRun) fail(msg + " (TENSORINIT_REQUIRE_BACKENDS=" + required + " requires it)", u.cause());
            assumeTrue(false, msg);
        }
        device = DeviceSelection.choose(DeviceSelection.all(), DeviceSelection.override());
        return device;
    }

    static OpenClBackend backend() { return new OpenClBackend(device(), Tuning.DEFAULT); }

    /** The reference result of a request: Reference.fillRun over the region's runs. */
    static MemorySegment reference(FillRequest r, Arena arena) {
        MemorySegment s = arena.allocate(r.byteSize(), 8);
        KernelArgs a = r.kernelArgs();
        int size = r.dtype().bytes();
        r.region().forEachRun(r.shape(), (g, n, d) -> Reference.fillRun(a, g, n, s, d * size));
        return s;
    }

    /** Fails with the first differing element when actual's first expected.byteSize() bytes differ. */
    static void assertSameBytes(MemorySegment expected, MemorySegment actual, FillRequest r, String what) {
        long m = MemorySegment.mismatch(expected, 0, expected.byteSize(), actual, 0, expected.byteSize());
        if (m < 0) return;
        int size = r.dtype().bytes();
        long e = m / size;
        fail(what + ": " + r.init() + " " + r.dtype().id() + " " + r.region() + " of " + r.shape() + " differs at element " + e
                + " of " + r.count() + ": expected " + show(expected, e, r) + ", got " + show(actual, e, r));
    }

    private static String show(MemorySegment s, long e, FillRequest r) {
        return switch (r.dtype()) {
            case F32 -> {
                float f = s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, e * 4);
                yield f + " (0x" + Integer.toHexString(Float.floatToRawIntBits(f)) + ")";
            }
            case F64 -> {
                double d = s.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, e * 8);
                yield d + " (0x" + Long.toHexString(Double.doubleToRawLongBits(d)) + ")";
            }
            default -> "0x" + Integer.toHexString(s.get(ValueLayout.JAVA_SHORT_UNALIGNED, e * 2) & 0xffff);
        };
    }
}

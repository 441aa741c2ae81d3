package dev.tensorinit.cli.model;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Region;
import dev.tensorinit.Streams;

import java.util.ArrayList;
import java.util.List;

/**
 * One tensor of the checkpoint with everything that decides its bytes. Its stream is the SHA-256 of its
 * name, so it equals {@code tensorinit fill --name NAME} with the same init, layout, dtype and seed;
 * a zeroed pad row is the only difference, written as its own region between two ranges of the fill.
 */
public record PlannedTensor(TensorSpec spec, Scheme.TensorInit init, DType dtype, long seed) {

    public String name() { return spec.name(); }

    /** Overflow is an ArithmeticException, which the plan reports with the config's sizes. */
    public long bytes() { return Math.multiplyExact(spec.elements(), dtype.bytes()); }

    /** The whole tensor as one fill (what {@code tensorinit fill --name} writes). */
    public FillRequest request() {
        return new FillRequest(spec.shape(), init.layout(), init.init(), dtype, seed, Streams.ofName(spec.name()), Region.whole());
    }

    /** The fills that write this tensor's bytes in order: the request, or range / zero row / range around a pad row. */
    public List<FillRequest> pieces() {
        FillRequest whole = request();
        if (!init.zeroPadRow()) return List.of(whole);
        long cols = spec.shape().dim(1);
        long start = spec.zeroRow().getAsLong() * cols;
        long end = start + cols;
        long total = spec.shape().elements();
        List<FillRequest> out = new ArrayList<>(3);
        if (start > 0) out.add(whole.withRegion(Region.range(0, start)));
        out.add(new FillRequest(spec.shape(), init.layout(), InitSpec.zeros(), dtype, seed, whole.stream(), Region.range(start, end)));
        if (end < total) out.add(whole.withRegion(Region.range(end, total)));
        return List.copyOf(out);
    }

    /** One-line description for the dry-run table. */
    public String describe() {
        String s = switch (init.init()) {
            // A scheme init resolved for one expert (fused experts): its parameters in full, which are fill's flags.
            case InitSpec x when init.resolvedFrom().isPresent() -> init.resolvedFrom().get() + ": " + x.name() + x.parameters();
            case InitSpec.Normal n -> "normal(0, " + (float) n.std() + ")";
            case InitSpec.LogOfUniform l -> "log_of_uniform(" + l.low() + ", " + l.high() + ")";
            case InitSpec.Constant c -> c.name();
            case InitSpec x -> x.name() + (spec.kind() == TensorSpec.Kind.CONV1D ? " [in,out]" : "");
        };
        return init.zeroPadRow() ? s + ", row " + spec.zeroRow().getAsLong() + " zero" : s;
    }
}

package dev.tensorinit.cli.model;

import dev.tensorinit.Distribution;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Inits;
import dev.tensorinit.Layout;
import dev.tensorinit.Shape;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How weights are drawn. {@code hf} is what the class's {@code _init_weights} does; the others apply
 * one initializer to every Linear / Conv1D weight, with fans from that module's own layout (Linear
 * [out, in]: torch; Conv1D [in, out]: jax), and to fused expert weights [experts, in, out] with one expert's
 * fans (in, out) (Gemma 4's fused [experts, out, in] likewise). Under every scheme norms are ones (Gemma's, used as 1 + weight,
 * zeros), biases zeros, and embeddings keep normal(0, initializer_range) with the pad row zeroed: an embedding is a lookup
 * table, neither of its sizes is a fan (using the vocabulary as one gives tiny values), and this is
 * also what the HF classes and nanoGPT do whatever the rest uses. GPT-OSS's attention sinks (a logit per head, no fans)
 * keep the class's normal(0, initializer_range) likewise; its router bias, which the class draws normal too, is a bias:
 * zeros under the other schemes. Linear attention's A_log (a decay logit per head, no fans) keeps the class's ln U(0.01, 16).
 */
public enum Scheme {
    HF, XAVIER_UNIFORM, XAVIER_NORMAL, KAIMING_UNIFORM, KAIMING_NORMAL, GLOROT_UNIFORM, GLOROT_NORMAL, HE_NORMAL, LECUN_NORMAL;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static Scheme parse(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        for (Scheme x : values()) if (x.id().equals(t)) return x;
        throw new IllegalArgumentException("unknown --scheme '" + s + "' (expected "
                + Arrays.stream(values()).map(Scheme::id).collect(Collectors.joining(", ")) + ")");
    }

    /** What one tensor is filled with, and in which layout its fans are read. */
    public TensorInit initFor(TensorSpec t) {
        return switch (t.kind()) {
            case NORM, ONES_BUFFER -> new TensorInit(InitSpec.ones(), Layout.TORCH, false);
            case OFFSET_NORM, BIAS, BUFFER, F32_BUFFER -> new TensorInit(InitSpec.zeros(), Layout.TORCH, false);
            case EMBEDDING -> new TensorInit(InitSpec.normal(0, t.hfStd()), Layout.TORCH, t.zeroRow().isPresent());
            case SINKS -> new TensorInit(InitSpec.normal(0, t.hfStd()), Layout.TORCH, false);
            case A_LOG -> new TensorInit(InitSpec.logOfUniform(TensorSpec.Kind.A_LOG_LOW, TensorSpec.Kind.A_LOG_HIGH), Layout.TORCH, false);
            case DRAWN_BIAS -> new TensorInit(this == HF ? InitSpec.normal(0, t.hfStd()) : InitSpec.zeros(), Layout.TORCH, false);
            case LINEAR -> weight(t, Layout.TORCH);
            case CONV1D -> weight(t, Layout.JAX);
            case EXPERTS -> this == HF ? weight(t, Layout.TORCH) : perExpert(t, t.shape().dim(1), t.shape().dim(2));
            case LINEAR_EXPERTS -> this == HF ? weight(t, Layout.TORCH) : perExpert(t, t.shape().dim(2), t.shape().dim(1));
        };
    }

    /** Whether {@code t}'s values are drawn with a std set by the config's initializer_range (for a message naming it). */
    public boolean drawsFromInitializerRange(TensorSpec t) {
        return switch (t.kind()) {
            case EMBEDDING, SINKS -> true;
            case LINEAR, CONV1D, EXPERTS, LINEAR_EXPERTS, DRAWN_BIAS -> this == HF;
            case NORM, OFFSET_NORM, BIAS, BUFFER, F32_BUFFER, ONES_BUFFER, A_LOG -> false;
        };
    }

    private TensorInit weight(TensorSpec t, Layout layout) {
        InitSpec init = this == HF ? InitSpec.normal(0, t.hfStd()) : Inits.create(id(), Map.of());
        return new TensorInit(init, layout, false);
    }

    /**
     * Fused experts [E, in, out], each used as x @ W[e]: the scheme's init with one expert's fans, fan_in = in and
     * fan_out = out. Neither layout reads those from the 3-D shape (torch: in·out and E·out; jax: E·in and E·out), so the
     * init is resolved once against one expert's [in, out] in the jax layout (x @ W, exactly its reading) and the whole
     * tensor drawn from that plain distribution: every expert as the 2-D [in, out] weight it is. Gemma 4's experts are held
     * [E, out, in] (each an nn.Linear weight): {@code in} and {@code out} are read from the kind's layout by the caller.
     */
    private TensorInit perExpert(TensorSpec t, long in, long out) {
        InitSpec init = switch (Inits.create(id(), Map.of()).resolve(Shape.of(in, out), Layout.JAX)) {
            case Distribution.Uniform u -> InitSpec.uniform(u.low(), u.high());
            case Distribution.Normal n -> InitSpec.normal(n.mean(), n.std());
            case Distribution.TruncatedNormal n -> InitSpec.truncNormal(n.mean(), n.std(), n.a(), n.b());
            case Distribution.Constant c -> InitSpec.constant(c.value());
            case Distribution.LogOfUniform l -> InitSpec.logOfUniform(l.low(), l.high());
        };
        return new TensorInit(init, Layout.TORCH, false, Optional.of(id() + " per expert (fan_in " + in + ", fan_out " + out + ")"));
    }

    /**
     * The init of one tensor: the spec, its fan layout, and whether its pad row is zeroed afterwards. {@code resolvedFrom}
     * says which scheme init a plain distribution stands for (fused experts: "xavier_uniform per expert (fan_in 64, fan_out 96)"), for
     * the dry run.
     */
    public record TensorInit(InitSpec init, Layout layout, boolean zeroPadRow, Optional<String> resolvedFrom) {
        public TensorInit(InitSpec init, Layout layout, boolean zeroPadRow) {
            this(init, layout, zeroPadRow, Optional.empty());
        }
    }
}

package dev.tensorinit.cli.model;

import dev.tensorinit.InitSpec;
import dev.tensorinit.Inits;
import dev.tensorinit.Layout;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How weights are drawn. {@code hf} is what the class's {@code _init_weights} does; the others apply
 * one initializer to every Linear / Conv1D weight, with fans from that module's own layout (Linear
 * [out, in]: torch; Conv1D [in, out]: jax). Under every scheme norms are ones (Gemma's, used as 1 + weight,
 * zeros), biases zeros, and embeddings keep normal(0, initializer_range) with the pad row zeroed: an embedding is a lookup
 * table, neither of its sizes is a fan (using the vocabulary as one gives tiny values), and this is
 * also what the HF classes and nanoGPT do whatever the rest uses.
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
            case NORM -> new TensorInit(InitSpec.ones(), Layout.TORCH, false);
            case OFFSET_NORM, BIAS, BUFFER -> new TensorInit(InitSpec.zeros(), Layout.TORCH, false);
            case EMBEDDING -> new TensorInit(InitSpec.normal(0, t.hfStd()), Layout.TORCH, t.zeroRow().isPresent());
            case LINEAR -> weight(t, Layout.TORCH);
            case CONV1D -> weight(t, Layout.JAX);
        };
    }

    /** Whether {@code t}'s values are drawn with a std set by the config's initializer_range (for a message naming it). */
    public boolean drawsFromInitializerRange(TensorSpec t) {
        return switch (t.kind()) {
            case EMBEDDING -> true;
            case LINEAR, CONV1D -> this == HF;
            case NORM, OFFSET_NORM, BIAS, BUFFER -> false;
        };
    }

    private TensorInit weight(TensorSpec t, Layout layout) {
        InitSpec init = this == HF ? InitSpec.normal(0, t.hfStd()) : Inits.create(id(), Map.of());
        return new TensorInit(init, layout, false);
    }

    /** The init of one tensor: the spec, its fan layout, and whether its pad row is zeroed afterwards. */
    public record TensorInit(InitSpec init, Layout layout, boolean zeroPadRow) {}
}

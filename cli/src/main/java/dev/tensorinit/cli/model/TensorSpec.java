package dev.tensorinit.cli.model;

import dev.tensorinit.DType;
import dev.tensorinit.Shape;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One entry of the saved state_dict: its name and shape, what kind of module parameter it is, the std
 * the class's {@code _init_weights} draws it with (weights and embeddings), and the row the class zeroes
 * (an nn.Embedding's padding_idx). {@code storage} names the tensor storage it shares when save_pretrained writes it:
 * the experts of one fused parameter ("model.layers.0.mlp.experts.down_proj") are views of one storage, which
 * huggingface_hub's sharding keeps whole, in one shard; empty for a tensor with a storage of its own.
 */
public record TensorSpec(String name, Shape shape, Kind kind, double hfStd, OptionalLong zeroRow, Optional<String> storage) {

    public enum Kind {
        /**
         * nn.Linear weight, stored [out, in] (torch layout); also an nn.Conv1d weight [out, in / groups, kernel] (Qwen3-Next's and
         * Qwen3.5's depthwise linear_attn.conv1d [channels, 1, kernel]), whose torch-layout fans are torch's own (fan_in = 1 ·
         * kernel, fan_out = channels · kernel), and which the classes' _init_weights draws normal(0, initializer_range) as a Linear.
         */
        LINEAR,
        /** transformers' Conv1D weight (GPT-2), stored [in, out] (the jax layout's fans). */
        CONV1D,
        /** nn.Embedding weight [rows, dim]. */
        EMBEDDING,
        /** LayerNorm / RMSNorm weight: ones. */
        NORM,
        /** Gemma's RMSNorm weight, applied as (1 + weight): zeros, the class's own init and the neutral value. */
        OFFSET_NORM,
        /** Any bias (linear, Conv1D, LayerNorm, GPT-OSS's per-expert biases [experts, out]): zeros. */
        BIAS,
        /**
         * Fused expert weights [experts, in, out], each expert used as {@code x @ W[e]} (GPT-OSS's and Llama 4's gate_up_proj and
         * down_proj): normal(0, hfStd) under hf; the other schemes draw them with one expert's fans (in, out).
         */
        EXPERTS,
        /**
         * A bias the class draws normal(0, hfStd) instead of zeroing (GPT-OSS's router bias): so under hf; zeros under
         * the other schemes, as every bias.
         */
        DRAWN_BIAS,
        /**
         * GPT-OSS's attention sinks [heads], one learned logit per head: normal(0, hfStd) under every scheme. No fans
         * (not a matrix), so the embeddings' rule: the class's own draw.
         */
        SINKS,
        /**
         * A persistent buffer saved with the weights, not a parameter (DeepSeek's router e_score_correction_bias): zeros,
         * and not counted in the index's total_parameters (save_pretrained counts num_parameters()).
         */
        BUFFER,
        /**
         * A buffer as {@link #BUFFER}, but made float32 whatever the model's dtype (GLM-4-MoE's e_score_correction_bias,
         * created with dtype=torch.float32), so save_pretrained writes it F32 beside bf16 weights.
         */
        F32_BUFFER,
        /**
         * A persistent buffer of ones saved with the weights (Gemma 4's per-layer layer_scalar [1], which
         * Gemma4PreTrainedModel._init_weights sets to ones): ones under every scheme, not counted as a parameter.
         */
        ONES_BUFFER,
        /**
         * Fused expert weights [experts, out, in], each expert used as {@code F.linear(x, W[e])}, an nn.Linear weight
         * (Gemma 4's experts.gate_up_proj [E, 2I, H] and down_proj [E, H, I], saved fused as they are held): normal(0, hfStd)
         * under hf; the other schemes draw them with one expert's fans (in = dim 2, out = dim 1).
         */
        LINEAR_EXPERTS,
        /**
         * Linear attention's decay logits A_log [value heads] (Qwen3-Next's and Qwen3.5's GatedDeltaNet): ln U(0.01, 16) under
         * every scheme, as the class's {@code _init_weights} draws them ({@code uniform_(0.01, 16).log_()}); no fans (not a matrix).
         */
        A_LOG;

        /** A_LOG's draw: the U(low, high) whose log it is. */
        public static final double A_LOG_LOW = 0.01, A_LOG_HIGH = 16;

        /** Whether tensors of this kind are module parameters (counted as parameters). */
        public boolean parameter() { return this != BUFFER && this != F32_BUFFER && this != ONES_BUFFER; }
    }

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(zeroRow, "zeroRow");
        Objects.requireNonNull(storage, "storage");
        if (zeroRow.isPresent() && (kind != Kind.EMBEDDING || zeroRow.getAsLong() < 0 || zeroRow.getAsLong() >= shape.dim(0))) {
            throw new IllegalArgumentException(name + ": zero row " + zeroRow.getAsLong() + " does not fit " + shape);
        }
    }

    /** A tensor with a storage of its own. */
    public TensorSpec(String name, Shape shape, Kind kind, double hfStd, OptionalLong zeroRow) {
        this(name, shape, kind, hfStd, zeroRow, Optional.empty());
    }

    static TensorSpec linear(String name, long out, long in, double std) {
        return new TensorSpec(name, shape(out, in), Kind.LINEAR, std, OptionalLong.empty());
    }

    /** One expert's nn.Linear-shaped weight [out, in], saved as a view of the fused parameter's {@code storage}. */
    static TensorSpec expert(String name, long out, long in, double std, String storage) {
        return new TensorSpec(name, shape(out, in), Kind.LINEAR, std, OptionalLong.empty(), Optional.of(storage));
    }

    /** An nn.Conv1d weight [channels, 1, kernel] (depthwise: groups = channels), a LINEAR kind whose torch layout gives torch's fans. */
    static TensorSpec depthwiseConv(String name, long channels, long kernel, double std) {
        Math.multiplyExact(channels, kernel);
        return new TensorSpec(name, Shape.of(channels, 1, kernel), Kind.LINEAR, std, OptionalLong.empty());
    }

    static TensorSpec conv1d(String name, long in, long out, double std) {
        return new TensorSpec(name, shape(in, out), Kind.CONV1D, std, OptionalLong.empty());
    }

    static TensorSpec embedding(String name, long rows, long dim, double std, OptionalLong padRow) {
        return new TensorSpec(name, shape(rows, dim), Kind.EMBEDDING, std, padRow);
    }

    static TensorSpec norm(String name, long n) {
        return new TensorSpec(name, Shape.of(n), Kind.NORM, 0, OptionalLong.empty());
    }

    static TensorSpec offsetNorm(String name, long n) {
        return new TensorSpec(name, Shape.of(n), Kind.OFFSET_NORM, 0, OptionalLong.empty());
    }

    static TensorSpec buffer(String name, long n) {
        return new TensorSpec(name, Shape.of(n), Kind.BUFFER, 0, OptionalLong.empty());
    }

    static TensorSpec f32Buffer(String name, long n) {
        return new TensorSpec(name, Shape.of(n), Kind.F32_BUFFER, 0, OptionalLong.empty());
    }

    /** The dtype this tensor is saved in, in a checkpoint of {@code model} dtype. */
    public DType dtype(DType model) { return kind == Kind.F32_BUFFER ? DType.F32 : model; }

    static TensorSpec aLog(String name, long heads) {
        return new TensorSpec(name, Shape.of(heads), Kind.A_LOG, 0, OptionalLong.empty());
    }

    static TensorSpec bias(String name, long n) {
        return new TensorSpec(name, Shape.of(n), Kind.BIAS, 0, OptionalLong.empty());
    }

    /** One bias per expert, [experts, n] (GPT-OSS's gate_up_proj_bias, down_proj_bias): zeros. */
    static TensorSpec expertBias(String name, long experts, long n) {
        return new TensorSpec(name, shape(experts, n), Kind.BIAS, 0, OptionalLong.empty());
    }

    /** Fused expert weights [experts, in, out], saved as one 3-D tensor. */
    static TensorSpec experts(String name, long experts, long in, long out, double std) {
        Math.multiplyExact(Math.multiplyExact(experts, in), out);
        return new TensorSpec(name, Shape.of(experts, in, out), Kind.EXPERTS, std, OptionalLong.empty());
    }

    /** Fused expert weights [experts, out, in], each an nn.Linear-shaped matrix, saved as one 3-D tensor (Gemma 4). */
    static TensorSpec linearExperts(String name, long experts, long out, long in, double std) {
        Math.multiplyExact(Math.multiplyExact(experts, out), in);
        return new TensorSpec(name, Shape.of(experts, out, in), Kind.LINEAR_EXPERTS, std, OptionalLong.empty());
    }

    /** A persistent buffer of ones, [n] (Gemma 4's layer_scalar). */
    static TensorSpec onesBuffer(String name, long n) {
        return new TensorSpec(name, Shape.of(n), Kind.ONES_BUFFER, 0, OptionalLong.empty());
    }

    static TensorSpec drawnBias(String name, long n, double std) {
        return new TensorSpec(name, Shape.of(n), Kind.DRAWN_BIAS, std, OptionalLong.empty());
    }

    static TensorSpec sinks(String name, long heads, double std) {
        return new TensorSpec(name, Shape.of(heads), Kind.SINKS, std, OptionalLong.empty());
    }

    public long elements() { return shape.elements(); }

    /** A matrix shape; too many elements is an ArithmeticException, which the plan reports with the config's sizes. */
    private static Shape shape(long rows, long cols) {
        Math.multiplyExact(rows, cols);
        return Shape.of(rows, cols);
    }
}

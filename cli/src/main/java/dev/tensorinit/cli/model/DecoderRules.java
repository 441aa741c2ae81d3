package dev.tensorinit.cli.model;

import java.util.OptionalLong;

/**
 * What one transformers config class (5.18) does with the fields of the Llama-like decoders ({@link ConfigParser}'s
 * {@code decoder}): its defaults, the nulls it takes or refuses, and the checks its validation runs. One row per type in
 * {@link #of}, so a type's rules read in one place instead of in a dozen {@code type == ...} tests.
 *
 * @param kvHeads           num_key_value_heads when absent or null
 * @param headsDivideHidden the class's validate_architecture wants num_attention_heads to divide hidden_size whatever
 *                          head_dim says (LlamaConfig, Gemma2Config, Gemma3TextConfig)
 * @param headDim           head_dim when absent, and whether a null one is refused
 * @param partialRotary     only partial_rotary_factor of head_dim rotates (GLM-4-MoE; MiniMax-M2 by rotary_dim too), so an
 *                          odd head_dim may pass
 * @param tiedByDefault     tie_word_embeddings when absent
 * @param biases            which projections have biases
 * @param qkNorms           whether attention has q_norm and k_norm
 * @param noRopeLayers      the class indexes a no_rope_layers list per layer (SmolLM3)
 * @param padDefault        pad_token_id when absent (the embedding zeroes that row)
 */
record DecoderRules(KvHeads kvHeads, boolean headsDivideHidden, HeadDim headDim, boolean partialRotary, boolean tiedByDefault,
                    Biases biases, QkNorms qkNorms, boolean noRopeLayers, OptionalLong padDefault) {

    /** The rules of the config class behind {@code type}, one of the types ConfigParser.decoder reads. */
    static DecoderRules of(ModelType type) {
        DecoderRules llama = new DecoderRules(KvHeads.HEADS, false, HeadDim.NULL_IS_DEFAULT, false, false, Biases.NONE,
                QkNorms.NONE, false, OptionalLong.empty());
        DecoderRules gemma = llama.with(KvHeads.REQUIRED).with(HeadDim.fixed(256)).tied().pad(0)
                .with(Biases.ATTENTION);
        return switch (type) {
            case LLAMA -> llama.headsMustDivideHidden().with(Biases.ATTENTION_AND_MLP);
            case MISTRAL, MIXTRAL -> llama.with(KvHeads.REQUIRED);
            case QWEN2 -> llama.with(KvHeads.REQUIRED_NULL_IS_HEADS).with(HeadDim.STRICT).with(Biases.QKV);
            case QWEN3 -> llama.with(KvHeads.REQUIRED_NULL_IS_HEADS).with(HeadDim.fixed(128)).with(Biases.ATTENTION)
                    .with(QkNorms.ALWAYS);
            case QWEN2_MOE -> llama.with(KvHeads.REQUIRED).with(HeadDim.STRICT).with(Biases.QKV_BY_QKV_BIAS);
            case QWEN3_MOE -> llama.with(KvHeads.REQUIRED).with(HeadDim.STRICT).with(Biases.ATTENTION)
                    .with(QkNorms.ALWAYS);
            // OlmoeConfig: kv heads None, then heads; pad_token_id 1; OlmoeAttention reads head_dim with getattr (a null fails).
            // Its q/k norms span the whole projections (ModelConfig.Decoder.projectionQkNorms), not one head.
            case OLMOE -> llama.with(HeadDim.STRICT).with(Biases.ATTENTION).pad(1);
            // MiniMaxM2Config: kv heads and head_dim plain ints (defaults 8 and 128, whatever hidden / heads is); no biases
            // anywhere; rotary_dim or partial_rotary_factor may rotate part of head_dim only.
            case MINIMAX_M2 -> llama.with(KvHeads.REQUIRED).with(HeadDim.fixed(128)).partlyRotary();
            case GEMMA -> gemma;
            case GEMMA2 -> gemma.headsMustDivideHidden();
            case GEMMA3_TEXT -> gemma.headsMustDivideHidden().with(QkNorms.ALWAYS);
            case PHI3 -> llama.with(HeadDim.STRICT).pad(32000);
            case OLMO2, OLMO3 -> llama.with(HeadDim.STRICT).with(Biases.ATTENTION).pad(1);
            // SmolLM3Config: set pad_token_id for a smaller vocabulary.
            case SMOLLM3 -> llama.with(KvHeads.SMOLLM3).with(HeadDim.STRICT).tied().with(Biases.ATTENTION_AND_MLP)
                    .indexesNoRopeLayers().pad(128004);
            // GraniteConfig: kv heads None = heads; GraniteAttention reads head_dim with getattr (a null one fails there).
            case GRANITE -> llama.with(HeadDim.STRICT).with(Biases.ATTENTION_AND_MLP);
            // GraniteMoeConfig, GraniteMoeSharedConfig: kv heads None = heads; their attention reads head_dim with getattr (null
            // fails); q/k/v/o by attention_bias, no MLP bias anywhere (the experts and shared_mlp have none; mlp_bias is unread).
            case GRANITEMOE, GRANITEMOESHARED -> llama.with(HeadDim.STRICT).with(Biases.ATTENTION);
            // Ministral3Config: kv heads typed int (default 8), head_dim typed int, default 128 whatever hidden / heads is;
            // Ministral3Attention and MLP have no biases whatever attention_bias says; pad_token_id 11.
            case MINISTRAL3 -> llama.with(KvHeads.REQUIRED).with(HeadDim.fixed(128)).pad(11);
            // SeedOssConfig: kv heads default 8, None = heads; head_dim default 128, None = hidden // heads; q/k/v by
            // attention_bias (default true), o_proj by attention_out_bias; pad_token_id 1.
            case SEED_OSS -> llama.with(KvHeads.REQUIRED_NULL_IS_HEADS).with(HeadDim.fixedNullIsDerived(128))
                    .with(Biases.SEED_OSS).pad(1);
            // NanoChatConfig: kv heads None = heads; NanoChatAttention reads head_dim with getattr (null fails); q/k/v/o by
            // attention_bias, an MLP (fc1/fc2) without biases; pad_token_id 1. Its norms have no weights (ModelConfig).
            case NANOCHAT -> llama.with(HeadDim.STRICT).with(Biases.ATTENTION).pad(1);
            case GLM4_MOE -> llama.with(KvHeads.REQUIRED).with(HeadDim.STRICT).partlyRotary().with(Biases.QKV_BY_ATTENTION_BIAS)
                    .with(QkNorms.BY_USE_QK_NORM);
            default -> throw new IllegalArgumentException(type.id() + " is not read as a Llama-like decoder");
        };
    }

    /**
     * num_key_value_heads. LlamaConfig falls back to num_attention_heads; the others' fixed defaults (Mistral 8, Qwen2 and
     * Qwen3 32, Gemma 16, Gemma 2 and 3 4, Mixtral 8, Qwen2-MoE 16, Qwen3-MoE 4, MiniMax-M2 8) rarely fit a hand-made config, so there
     * it must be written.
     */
    enum KvHeads {
        /**
         * Absent or null: num_attention_heads (LlamaConfig, and Phi3Config, Olmo2Config, Olmo3Config, OlmoeConfig, GraniteConfig
         * and NanoChatConfig: None, then heads).
         */
        HEADS,
        /** Must be written; a null one is num_attention_heads (Qwen2Config, Qwen3Config, SeedOssConfig: default 8). */
        REQUIRED_NULL_IS_HEADS,
        /** Must be written, and not null (Ministral3Config types it a plain int, default 8). */
        REQUIRED,
        /** SmolLM3Config: null is num_attention_heads, absent its default 4. */
        SMOLLM3;

        long read(ConfigFields f, long heads) {
            String key = "num_key_value_heads";
            return switch (this) {
                case HEADS -> f.size(key, heads);
                case REQUIRED_NULL_IS_HEADS -> f.present(key) ? f.size(key, heads) : f.size(key);
                case REQUIRED -> f.size(key);
                case SMOLLM3 -> f.present(key) ? f.size(key, heads) : 4;
            };
        }
    }

    /**
     * head_dim: {@code absent} when the config has none (empty: hidden_size / num_attention_heads, which must divide), and
     * whether a null one is refused: Qwen3Config, the Gemma configs, MiniMaxM2Config and Ministral3Config type it as a plain
     * int; Qwen2's, the Qwen MoE's, Phi-3's, the OLMo's (OLMoE's too), SmolLM3's, GLM-4-MoE's, Granite's and NanoChat's
     * attention read it with getattr and fail on a null; Llama's, Mistral's and Mixtral's take a null as hidden / heads, and
     * SeedOssConfig makes it hidden / heads.
     */
    record HeadDim(boolean nullRefused, OptionalLong absent) {
        static final HeadDim NULL_IS_DEFAULT = new HeadDim(false, OptionalLong.empty());
        static final HeadDim STRICT = new HeadDim(true, OptionalLong.empty());

        /** The class's own default, whatever hidden_size / num_attention_heads is (Qwen3's 128, the Gemmas' 256). */
        static HeadDim fixed(long dflt) {
            return new HeadDim(true, OptionalLong.of(dflt));
        }

        /** The class's own default when absent, and hidden_size / num_attention_heads when null (SeedOssConfig's __post_init__). */
        static HeadDim fixedNullIsDerived(long dflt) {
            return new HeadDim(false, OptionalLong.of(dflt));
        }
    }

    /** The bias switches of the attention's q/k/v and o projections and of the MLP. */
    record Bias(boolean qkv, boolean out, boolean mlp) {}

    enum Biases {
        /** Llama, SmolLM3 and Granite: q/k/v/o by attention_bias, the MLP by mlp_bias. */
        ATTENTION_AND_MLP,
        /** Qwen3, Qwen3-MoE, the Gemmas, the OLMos (OLMoE too) and NanoChat: q/k/v/o by attention_bias, an MLP without biases. */
        ATTENTION,
        /** Qwen2Attention: q/k/v with bias, o_proj without, whatever the config says. */
        QKV,
        /** Qwen2MoeAttention: q/k/v by qkv_bias (default true), o_proj without. */
        QKV_BY_QKV_BIAS,
        /** Glm4MoeAttention: q/k/v by attention_bias, o_proj never; MLPs without biases. */
        QKV_BY_ATTENTION_BIAS,
        /** SeedOssAttention: q/k/v by attention_bias (default true), o_proj by attention_out_bias; the MLP by mlp_bias. */
        SEED_OSS,
        /** Mistral's, Mixtral's, Phi-3's, Ministral 3's and MiniMax-M2's attention and MLP. */
        NONE;

        Bias read(ConfigFields f) {
            return switch (this) {
                case ATTENTION_AND_MLP -> {
                    boolean attention = f.bool("attention_bias", false);
                    yield new Bias(attention, attention, f.bool("mlp_bias", false));
                }
                case ATTENTION -> {
                    boolean attention = f.bool("attention_bias", false);
                    yield new Bias(attention, attention, false);
                }
                case QKV -> new Bias(true, false, false);
                case QKV_BY_QKV_BIAS -> new Bias(f.bool("qkv_bias", true), false, false);
                case QKV_BY_ATTENTION_BIAS -> new Bias(f.bool("attention_bias", false), false, false);
                case SEED_OSS -> new Bias(f.bool("attention_bias", true), f.bool("attention_out_bias", false), f.bool("mlp_bias", false));
                case NONE -> new Bias(false, false, false);
            };
        }
    }

    /** self_attn.q_norm and k_norm, RMSNorms of head_dim. */
    enum QkNorms {
        NONE,
        /** Qwen3, Qwen3-MoE, Gemma 3. */
        ALWAYS,
        /** GLM-4-MoE: by use_qk_norm (default false). */
        BY_USE_QK_NORM;

        boolean read(ConfigFields f) {
            return this == ALWAYS || this == BY_USE_QK_NORM && f.bool("use_qk_norm", false);
        }
    }

    // Each of these returns a copy with one rule changed, so a row reads as its differences from Llama's.

    private DecoderRules with(KvHeads k) {
        return new DecoderRules(k, headsDivideHidden, headDim, partialRotary, tiedByDefault, biases, qkNorms, noRopeLayers, padDefault);
    }

    private DecoderRules headsMustDivideHidden() {
        return new DecoderRules(kvHeads, true, headDim, partialRotary, tiedByDefault, biases, qkNorms, noRopeLayers, padDefault);
    }

    private DecoderRules with(HeadDim h) {
        return new DecoderRules(kvHeads, headsDivideHidden, h, partialRotary, tiedByDefault, biases, qkNorms, noRopeLayers, padDefault);
    }

    private DecoderRules partlyRotary() {
        return new DecoderRules(kvHeads, headsDivideHidden, headDim, true, tiedByDefault, biases, qkNorms, noRopeLayers, padDefault);
    }

    private DecoderRules tied() {
        return new DecoderRules(kvHeads, headsDivideHidden, headDim, partialRotary, true, biases, qkNorms, noRopeLayers, padDefault);
    }

    private DecoderRules with(Biases b) {
        return new DecoderRules(kvHeads, headsDivideHidden, headDim, partialRotary, tiedByDefault, b, qkNorms, noRopeLayers, padDefault);
    }

    private DecoderRules with(QkNorms q) {
        return new DecoderRules(kvHeads, headsDivideHidden, headDim, partialRotary, tiedByDefault, biases, q, noRopeLayers, padDefault);
    }

    private DecoderRules indexesNoRopeLayers() {
        return new DecoderRules(kvHeads, headsDivideHidden, headDim, partialRotary, tiedByDefault, biases, qkNorms, true, padDefault);
    }

    private DecoderRules pad(long id) {
        return new DecoderRules(kvHeads, headsDivideHidden, headDim, partialRotary, tiedByDefault, biases, qkNorms, noRopeLayers,
                OptionalLong.of(id));
    }
}

package dev.tensorinit.cli.model;

import dev.tensorinit.DType;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * config.json bytes to a {@link ModelConfig}. Optional fields take the defaults of the transformers
 * config class (5.x); the fields that decide tensor shapes must be present (see the README's table).
 */
public final class ConfigParser {
    private ConfigParser() {}

    public static ModelConfig parse(byte[] json, String source) {
        // Json skips a BOM as json.loads(bytes) does, but transformers reads config.json as text, where
        // json.loads refuses it: a copy of this file in the checkpoint would not load.
        if (json.length >= 3 && (json[0] & 0xff) == 0xEF && (json[1] & 0xff) == 0xBB && (json[2] & 0xff) == 0xBF) {
            throw new IllegalArgumentException(source + " starts with a UTF-8 byte order mark, which transformers refuses "
                    + "(Python's json: \"Unexpected UTF-8 BOM\"); save it without one");
        }
        Object root;
        try {
            root = Json.parse(json);
        } catch (Json.SyntaxException e) {
            throw new IllegalArgumentException(source + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> object)) throw new IllegalArgumentException(source + " must hold a JSON object");
        @SuppressWarnings("unchecked") // Json.parse makes objects with String keys
        Map<String, Object> fields = (Map<String, Object>) object;
        ConfigFields f = new ConfigFields(fields, source);
        String modelType = f.text("model_type");
        if (modelType == null) throw new IllegalArgumentException(source + " has no model_type (supported: " + ModelType.supported() + ")");
        if (modelType.equals("qwen3_5") || modelType.equals("qwen3_5_moe")) {
            // The multimodal wrapper (Qwen3_5ForConditionalGeneration, vision tower and all) is another class and layout.
            throw new IllegalArgumentException("model_type '" + modelType + "' is the multimodal Qwen3.5 config, which tensorinit does not "
                    + "write; write its text_config as a config.json of its own (model_type " + modelType + "_text)");
        }
        ModelType type = ModelType.parse(modelType);
        // Starcoder2Config's default is 0.018042 (QA: 0.02 drew every hf weight 11 % wide of the class's); the others' 0.02.
        double range = f.positiveFloat("initializer_range", type == ModelType.STARCODER2 ? 0.018042 : 0.02);
        f.refuseNull("tie_word_embeddings", "true or false");   // every config class types it, read or not (BertModel)
        Optional<DType> dtype = dtype(f);
        ModelConfig config = switch (type) {
            case LLAMA, MISTRAL, QWEN2, QWEN3, GEMMA, GEMMA2, GEMMA3_TEXT, PHI3, OLMO2, OLMO3, SMOLLM3, GRANITE, GRANITEMOE, GRANITEMOESHARED, MINISTRAL3, SEED_OSS,
                 NANOCHAT, MIXTRAL, QWEN2_MOE, QWEN3_MOE, OLMOE, MINIMAX_M2, GLM4_MOE ->
                    decoder(type, f, range, dtype);
            case DEEPSEEK_V2, DEEPSEEK_V3 -> deepseek(type, f, range, dtype);
            case DEEPSEEK_V32 -> deepseekV32(f, range, dtype);
            case GLM4_MOE_LITE -> glm4MoeLite(f, range, dtype);
            case GPT_OSS -> gptOss(f, range, dtype);
            case LLAMA4_TEXT -> llama4(f, range, dtype);
            case GPT2 -> gpt2(f, range, dtype);
            case QWEN3_NEXT, QWEN3_5_TEXT, QWEN3_5_MOE_TEXT -> hybrid(type, f, range, dtype);
            case BERT -> bert(f, range, dtype);
            case GEMMA4_TEXT -> gemma4(f, range, dtype);
            case GPT_NEOX -> gptNeox(f, range, dtype);
            case PHI -> phi(f, range, dtype);
            case STARCODER2 -> starcoder2(f, range, dtype);
        };
        switch (type) {
            case DEEPSEEK_V2, DEEPSEEK_V3, DEEPSEEK_V32, GLM4_MOE_LITE, GPT_OSS, LLAMA4_TEXT, QWEN3_NEXT, QWEN3_5_TEXT, QWEN3_5_MOE_TEXT,
                 GPT_NEOX, PHI, STARCODER2 -> ropeSettings(type, f, isLongrope(f) ? OptionalLong.of(longropeWidth(type, f, config)) : OptionalLong.empty());
            default -> { }   // (decoder types: in decoder(); gpt2 and bert have no rope; gemma4_text: gemma4Rope)
        }
        strictSettings(type, f);
        layerTypes(f, config.layers(), type.defaultLayerTypes());
        return config;
    }

    /**
     * PreTrainedConfig.validate_layer_type (transformers 5), which every config class runs: a {@code layer_types} list must
     * hold one entry per layer, and then so must {@code mlp_layer_types} (also when the class filled in layer_types
     * itself). No shape depends on them, but released configs carry them (Qwen3's, Gemma 3's, GPT-OSS's: one entry per
     * layer), and cutting num_hidden_layers in such a copy wrote a checkpoint whose config transformers refused to load.
     * The entries must be names transformers 5.18 knows.
     */
    /**
     * The names validate_layer_type takes in transformers 5.18 (ALLOWED_ATTN_LAYER_TYPES, and the legacy names it remaps
     * first); QA: an unknown one wrote a config transformers refused. A later transformers may know more.
     */
    static final List<String> ATTENTION_LAYER_TYPES = List.of("full_attention", "sliding_attention", "chunked_attention",
            "window_attention", "indexed_attention", "compressed_sparse_attention", "heavily_compressed_attention",
            "minimax_m3_sparse", "conv", "moe", "hybrid", "hybrid_sliding", "linear_attention",
            "mamba", "attention", "deepseek_sparse_attention", "qwen_sparse_attention");
    static final List<String> MLP_LAYER_TYPES = List.of("sparse", "dense");

    private static void layerTypes(ConfigFields f, long layers, boolean defaultLayerTypes) {
        for (String key : List.of("layer_types", "mlp_layer_types")) {
            // As validate_layer_type: no layer_types, nothing checked, unless the class fills in its own (then it is right).
            if (!f.has(key) && (key.equals("mlp_layer_types") || !defaultLayerTypes)) return;
            if (!f.has(key)) continue;
            List<?> entries = f.list(key);
            List<String> known = key.equals("layer_types") ? ATTENTION_LAYER_TYPES : MLP_LAYER_TYPES;
            for (Object e : entries) {
                if (!(e instanceof String name)) {
                    throw new IllegalArgumentException(f.where() + ": " + key + " must hold layer type names (strings), got " + Json.write(e));
                }
                if (!known.contains(name)) {
                    throw new IllegalArgumentException(f.where() + ": " + key + " holds " + Json.write(name) + ", which transformers "
                            + "(5.18) refuses; it knows " + String.join(", ", known));
                }
            }
            if (entries.size() != layers) {
                throw new IllegalArgumentException(f.where() + ": " + key + " has " + entries.size() + " entries but num_hidden_layers is "
                        + layers + "; transformers wants one per layer (cut the list with the layers, or remove it for the default)");
            }
        }
    }

    private static ModelConfig.Decoder decoder(ModelType type, ConfigFields f, double range, Optional<DType> dtype) {
        DecoderRules rules = DecoderRules.of(type);
        long vocab = f.size("vocab_size");
        long hidden = f.size("hidden_size");
        long intermediate = f.size("intermediate_size");
        long layers = f.size("num_hidden_layers");
        long heads = f.size("num_attention_heads");
        long kvHeads = rules.kvHeads().read(f, heads);
        if (rules.headsDivideHidden() && hidden % heads != 0) {
            throw new IllegalArgumentException("hidden_size (" + hidden + ") must be a multiple of num_attention_heads (" + heads
                    + ") for " + type.id() + ", even with head_dim: transformers' config class refuses it");
        }
        if (rules.headDim().nullRefused()) f.refuseNull("head_dim", "a positive integer");
        long headDim;
        if (f.has("head_dim")) {
            headDim = f.size("head_dim");
        } else if (rules.headDim().absent().isPresent() && !f.present("head_dim")) {
            headDim = rules.headDim().absent().getAsLong();
        } else {
            if (hidden % heads != 0) {
                throw new IllegalArgumentException("hidden_size (" + hidden + ") must be a multiple of num_attention_heads (" + heads
                        + "), or give head_dim");
            }
            headDim = hidden / heads;
        }
        // GLM-4-MoE and MiniMax-M2 rotate partial_rotary_factor of head_dim: an odd one passes there unless that is all of it.
        // (Read for every such config: a factor that is no number fails from_config whatever head_dim is.)
        double rotaryFactor = rules.partialRotary() ? partialRotaryFactor(type, f, headDim) : 1.0;
        requireEvenRotary(f.has("head_dim") ? "head_dim (" + headDim + ")"
                : rules.headDim().absent().isPresent() && !f.present("head_dim") ? "head_dim (" + headDim + ", the class default)"
                : "head_dim = hidden_size / num_attention_heads (" + hidden + " / " + heads + " = " + headDim + ")",
                headDim, (long) (headDim * rotaryFactor));
        if (type == ModelType.OLMOE && Math.multiplyExact(heads, headDim) != hidden) {
            // OlmoeAttention sizes q_norm by hidden_size and k_norm by (hidden / heads) · kv heads whatever head_dim says:
            // from_config builds such a model, but its forward cannot apply those norms to q/k projections of heads · head_dim.
            throw new IllegalArgumentException("head_dim (" + headDim + ") must be hidden_size / num_attention_heads (" + hidden + " / "
                    + heads + ") for olmoe: OlmoeAttention's q_norm and k_norm are sized from hidden_size, so any other head_dim "
                    + "builds a model that cannot run (leave head_dim out)");
        }
        boolean tie = f.bool("tie_word_embeddings", rules.tiedByDefault());
        DecoderRules.Bias bias = rules.biases().read(f);
        if (rules.noRopeLayers()) noRopeLayers(f, layers);
        boolean qkNorm = rules.qkNorms().read(f);
        OptionalLong pad = padRow(f, vocab, rules.padDefault());
        typedSettings(type, f);
        if (type == ModelType.GEMMA3_TEXT) ropeObject(f);   // (a list or a string fails its config too)
        else {   // (Gemma 3 nests its rope by layer type and takes any rope object: probed)
            double ropeFactor = rules.partialRotary() ? rotaryFactor : isLongrope(f) ? partialRotaryFactor(f, 1.0) : 1.0;
            ropeSettings(type, f, OptionalLong.of((long) (headDim * ropeFactor)));
        }
        return new ModelConfig.Decoder(type, vocab, hidden, intermediate, layers, heads, kvHeads, headDim, tie, bias.qkv(), bias.out(),
                bias.mlp(), pad, range, dtype, moe(type, f, intermediate), Optional.empty(), qkNorm);
    }

    /**
     * Settings no shape depends on that a config class types strictly (tried with from_config: a null or a string there is
     * refused, so a copy of such a config would not load).
     */
    private static void typedSettings(ModelType type, ConfigFields f) {
        // (max_position_embeddings, rms_norm_eps, ...: strictSettings, for every type.)
        switch (type) {
            // GraniteConfig's scaling factors: float | int, not None.
            case GRANITE -> {
                for (String key : List.of("embedding_multiplier", "logits_scaling", "residual_multiplier", "attention_multiplier")) {
                    f.refuseNull(key, "a number");
                    f.number(key);
                }
            }
            // GraniteMoeConfig's and GraniteMoeSharedConfig's: float | int | None, so from_config takes a null, but the forward
            // multiplies or divides by the first three (QA: TypeError on a null), and attention_multiplier is the attention's
            // scaling (null: eager attention fails, sdpa silently takes 1 / sqrt(head_dim)). Refused as Granite's class refuses them.
            case GRANITEMOE, GRANITEMOESHARED -> {
                for (String key : List.of("embedding_multiplier", "logits_scaling", "residual_multiplier", "attention_multiplier")) {
                    if (f.present(key) && !f.has(key)) {
                        throw new IllegalArgumentException(f.where() + ": " + key + " is null; " + type.hfClass() + " builds, but "
                                + (key.equals("attention_multiplier") ? "uses it as the attention's scaling (eager attention fails, sdpa "
                                + "takes 1 / sqrt(head_dim) instead)" : "its forward fails on it") + "; write a number, or remove it "
                                + "for the class default 1.0");
                    }
                    f.number(key);
                }
                // float | int | None too; a null passes eval, but in training the attention's dropout gets None and fails (QA:
                // sdpa's dropout_p must be float). GraniteConfig refuses it.
                if (f.present("attention_dropout") && !f.has("attention_dropout")) {
                    throw new IllegalArgumentException(f.where() + ": attention_dropout is null; " + type.hfClass() + " builds, but in "
                            + "training its attention's dropout fails on it; write a number, or remove it for the class default 0.0");
                }
                f.number("attention_dropout");
            }
            // Ministral3Config: int | None (QA: a string failed from_config).
            case MINISTRAL3 -> f.typed("sliding_window", Long.class, true);
            // NanoChatConfig: float | None (an integer such as 15 is refused there).
            case NANOCHAT -> f.typed("final_logit_softcapping", Double.class, true);
            default -> { }
        }
    }

    /**
     * DeepSeek-V2 and -V3 as DeepseekV2Config and DeepseekV3Config (5.18) build them. Latent attention's ranks and head dims
     * decide most shapes and must be written (the class defaults are the released models'); {@code q_lora_rank} null means
     * one q_proj. The kv-head count shapes nothing (one latent serves every head); the first {@code first_k_dense_replace}
     * layers are dense, the rest hold {@code n_routed_experts} experts, a router and one shared MLP of
     * moe_intermediate_size · n_shared_experts. V3's router also saves its e_score_correction_bias buffer (zeros); V2's
     * MLPs take mlp_bias, and V2's config is LlamaConfig's, whose validation wants heads to divide the hidden size.
     */
    private static ModelConfig.Decoder deepseek(ModelType type, ConfigFields f, double range, Optional<DType> dtype) {
        boolean v2 = type == ModelType.DEEPSEEK_V2;
        long vocab = f.size("vocab_size"), hidden = f.size("hidden_size"), intermediate = f.size("intermediate_size");
        long layers = f.size("num_hidden_layers"), heads = f.size("num_attention_heads");
        f.size("num_key_value_heads", heads);   // typed int or null; no shape depends on it
        if (v2 && hidden % heads != 0) {
            throw new IllegalArgumentException("hidden_size (" + hidden + ") must be a multiple of num_attention_heads (" + heads
                    + ") for deepseek_v2: transformers' config class refuses it");
        }
        OptionalLong qLora = queryLoraRank(f, "the released model's 1536");
        ModelConfig.Mla mla = new ModelConfig.Mla(qLora, f.size("kv_lora_rank"), f.size("qk_rope_head_dim"), f.size("qk_nope_head_dim"),
                f.size("v_head_dim"));
        requireEvenRotary("qk_rope_head_dim (" + mla.ropeDim() + ")", mla.ropeDim(), mla.ropeDim());
        if (v2) {
            // DeepseekV2Config sets head_dim to qk_rope_head_dim whatever the config says (typed int | None).
            if (f.has("head_dim")) f.integer("head_dim");
        } else {
            // head_dim is qk_rope_head_dim, but a head_dim in the config overrides it for the rotary embedding, whose
            // validate_rope then refuses an odd one (no tensor's shape depends on it).
            f.refuseNull("head_dim", "a positive integer");
            if (f.has("head_dim")) requireEvenRotary("head_dim (" + f.size("head_dim") + ")", f.size("head_dim"), f.size("head_dim"));
        }
        boolean bias = f.bool("attention_bias", false);   // q_a_proj, kv_a_proj_with_mqa and o_proj
        boolean mlpBias = v2 && f.bool("mlp_bias", false);   // DeepseekV2MLP: the dense MLPs and the shared experts
        boolean tie = f.bool("tie_word_embeddings", false);
        topK(f, true);   // typed int | None in both configs: null is the default
        if (f.has("norm_topk_prob")) f.bool("norm_topk_prob", true);   // bool | None likewise
        groupRouting(f, true);
        if (v2) f.typed("topk_method", String.class, true);   // str | None in DeepseekV2Config; V3's class has no such field
        // The attribute_map reads num_experts (V2) or num_local_experts (V3) as n_routed_experts: either names the count
        // (both must agree).
        long experts = expertCount("n_routed_experts", f.sizeAlias("n_routed_experts", v2 ? "num_experts" : "num_local_experts"), 3);
        long expertIntermediate = f.size("moe_intermediate_size");
        long shared = sharedExpertsWidth(f, expertIntermediate, v2 ? 2 : 1);
        f.refuseNull("first_k_dense_replace", "0 or more");
        long firstDense = f.count("first_k_dense_replace");
        ModelConfig.Moe moe = new ModelConfig.Moe(experts, expertIntermediate, OptionalLong.of(shared), 1, Set.of(), firstDense);
        return new ModelConfig.Decoder(type, vocab, hidden, intermediate, layers, heads, heads, mla.ropeDim(), tie, bias, bias,
                mlpBias, padRow(f, vocab, OptionalLong.empty()), range, dtype, Optional.of(moe), Optional.of(mla), false);
    }

    /**
     * DeepSeek-V3.2 as DeepseekV32Config (5.18) builds it (each rule tried with from_config): DeepSeek-V3's latent attention
     * and MoE, but the queries always go through q_a_proj (q_lora_rank is a plain int; DeepseekV32Attention has no q_proj)
     * and every layer's attention adds the sparse-attention indexer (wq_b on the query latent, wk, the LayerNorm k_norm,
     * weights_proj), sized by index_n_heads and index_head_dim, which must be written like the latent sizes (the class
     * defaults, 64 and 128, are the released model's). The router's e_score_correction_bias is made float32. The sparse
     * layers are mlp_layer_types' "sparse" ones; when it is absent the class makes the first min(first_k_dense_replace,
     * layers) dense, so one of the two must be written (first_k_dense_replace's default 3 is the released model's). The
     * config class is strict: every field here is a plain int, float or bool, null refused; head_dim is overwritten with
     * qk_rope_head_dim (any int passes), and num_experts (a BC kwarg) and num_local_experts (attribute_map) both set
     * n_routed_experts: all the given counts must agree here (transformers silently takes one). num_key_value_heads shapes
     * nothing, but heads // kv_heads is taken at init (0 divides by zero). mlp_bias is typed but unread (no MLP has a bias).
     */
    private static ModelConfig.Decoder deepseekV32(ConfigFields f, double range, Optional<DType> dtype) {
        long vocab = f.size("vocab_size"), hidden = f.size("hidden_size"), intermediate = f.size("intermediate_size");
        long layers = f.size("num_hidden_layers"), heads = f.size("num_attention_heads");
        f.refuseNull("num_key_value_heads", "a positive integer");
        f.size("num_key_value_heads", heads);
        if (!f.has("q_lora_rank")) {   // typed int: null refused; DeepseekV32Attention always builds q_a_proj
            throw new IllegalArgumentException(f.where() + (f.present("q_lora_rank") ? ": q_lora_rank is null, which transformers refuses "
                    + "for deepseek_v32 (its attention always compresses the queries, q_a_proj, and the indexer reads that latent)"
                    : " has no q_lora_rank") + "; write the rank (the class default is the released model's 1536)");
        }
        ModelConfig.Indexer indexer = new ModelConfig.Indexer(f.size("index_n_heads"), f.size("index_head_dim"));
        f.typed("index_topk", Long.class, false);   // shapes nothing
        ModelConfig.Mla mla = new ModelConfig.Mla(OptionalLong.of(f.size("q_lora_rank")), f.size("kv_lora_rank"),
                f.size("qk_rope_head_dim"), f.size("qk_nope_head_dim"), f.size("v_head_dim"), Optional.of(indexer));
        // DeepseekV32RotaryEmbedding (DeepSeek-V3's) rotates all of qk_rope_head_dim whatever partial_rotary_factor says, so
        // the factor is read as deepseek_v3 reads it: not at all (QA: a factor of 0.5 let an odd dim through validate_rope
        // into a model whose forward fails, and a string or null factor, which the class takes unread, was refused).
        requireEvenRotary("qk_rope_head_dim (" + mla.ropeDim() + ")", mla.ropeDim(), mla.ropeDim());
        f.refuseNull("head_dim", "an integer");   // typed int, then overwritten with qk_rope_head_dim
        f.integer("head_dim");
        boolean bias = f.bool("attention_bias", false);   // q_a_proj, kv_a_proj_with_mqa and o_proj
        f.bool("mlp_bias", false);
        boolean tie = f.bool("tie_word_embeddings", false);
        topK(f, false);
        f.bool("norm_topk_prob", true);
        groupRouting(f, false);
        long experts = f.has("num_experts") ? f.sizeAlias("n_routed_experts", "num_local_experts", "num_experts")
                : f.sizeAlias("n_routed_experts", "num_local_experts");   // (num_experts: null is no count there)
        expertCount("n_routed_experts", experts, 3);
        long expertIntermediate = f.size("moe_intermediate_size");
        long shared = sharedExpertsWidth(f, expertIntermediate, 1);
        f.refuseNull("first_k_dense_replace", "0 or more");
        ModelConfig.Moe moe;
        if (f.has("mlp_layer_types")) {
            if (f.has("first_k_dense_replace")) f.count("first_k_dense_replace");   // typed int, unread then
            moe = new ModelConfig.Moe(experts, expertIntermediate, OptionalLong.of(shared), 1, denseLayers(f, layers), 0);
        } else {
            if (!f.has("first_k_dense_replace")) {
                throw new IllegalArgumentException(f.where() + " has no first_k_dense_replace and no mlp_layer_types (the class "
                        + "default, 3 dense layers, is the released model's; write either)");
            }
            moe = new ModelConfig.Moe(experts, expertIntermediate, OptionalLong.of(shared), 1, Set.of(), f.count("first_k_dense_replace"));
        }
        return new ModelConfig.Decoder(ModelType.DEEPSEEK_V32, vocab, hidden, intermediate, layers, heads, heads, mla.ropeDim(), tie,
                bias, bias, false, padRow(f, vocab, OptionalLong.empty()), range, dtype, Optional.of(moe), Optional.of(mla), false);
    }

    /**
     * GLM-4-MoE-Lite (the GLM-4.7-Flash shape) as Glm4MoeLiteConfig (5.18) builds it (each rule tried with from_config):
     * DeepSeek-V3's latent attention ({@code q_lora_rank} null means one q_proj) and MoE (router with a float32
     * e_score_correction_bias, routed experts, one shared MLP of moe_intermediate_size · n_shared_experts, default 1), no MLP
     * biases. The latent sizes, q_lora_rank and the expert count (n_routed_experts or its alias num_local_experts; num_experts
     * is no alias there) and size must be written (the class defaults are GLM-4.7-Flash's). head_dim is an attribute_map
     * alias of qk_rope_head_dim: either names it, and both must agree (transformers silently takes the last written).
     * Which layers are sparse is mlp_layer_types, else layer 0 dense and the rest sparse: the class has no
     * first_k_dense_replace, so one other than 1 (which released configs write) is refused here rather than ignored.
     */
    private static ModelConfig.Decoder glm4MoeLite(ConfigFields f, double range, Optional<DType> dtype) {
        long vocab = f.size("vocab_size"), hidden = f.size("hidden_size"), intermediate = f.size("intermediate_size");
        long layers = f.size("num_hidden_layers"), heads = f.size("num_attention_heads");
        f.refuseNull("num_key_value_heads", "a positive integer");
        f.size("num_key_value_heads", 20);   // shapes nothing, but heads // kv_heads is taken at init (0 divides by zero)
        OptionalLong qLora = queryLoraRank(f, "GLM-4.7-Flash's 768");
        long rope = f.sizeAlias("qk_rope_head_dim", "head_dim");   // attribute_map: head_dim -> qk_rope_head_dim (null: a TypeError)
        ModelConfig.Mla mla = new ModelConfig.Mla(qLora, f.size("kv_lora_rank"), rope, f.size("qk_nope_head_dim"), f.size("v_head_dim"));
        // validate_rope, and the rotary embedding's int(head_dim * partial_rotary_factor) (a non-number fails there).
        double factor = partialRotaryFactor(f, 1.0);
        long rotated = (long) (rope * factor);
        requireEvenRotary("qk_rope_head_dim (" + rope + ")", rope, rotated);
        // Glm4MoeLiteRotaryEmbedding makes cos and sin of arange(0, rotated, 2) pairs, but the latent attention applies them to
        // all of qk_rope_head_dim: any other width builds a model whose forward fails (QA: {qk_rope_head_dim 8, factor 0.5}
        // and {7, 0.5} were written). Dims up to 4 rotated whole stay, as validate_rope keeps them for fixtures.
        if (rotated != rope && rotated + rotated % 2 != rope) {
            throw new IllegalArgumentException("partial_rotary_factor (" + factor + ") makes glm4_moe_lite's rotary embedding rotate "
                    + (rotated + rotated % 2) + " of qk_rope_head_dim's " + rope + " dimensions, but its latent attention applies it to all "
                    + rope + ": from_config builds a model that cannot run (leave partial_rotary_factor out, or 1.0)");
        }
        boolean bias = f.bool("attention_bias", false);   // q_a_proj, kv_a_proj_with_mqa and o_proj
        boolean tie = f.bool("tie_word_embeddings", false);
        f.typed("pretraining_tp", Long.class, false);
        f.bool("rope_interleave", true);
        topK(f, false);
        f.bool("norm_topk_prob", true);
        groupRouting(f, false);
        long experts = expertCount("n_routed_experts", f.sizeAlias("n_routed_experts", "num_local_experts"), 3);
        long expertIntermediate = f.size("moe_intermediate_size");
        long shared = sharedExpertsWidth(f, expertIntermediate, 1);
        Set<Long> dense;
        long firstDense = 0;
        if (f.has("mlp_layer_types")) {
            dense = denseLayers(f, layers);
        } else {
            if (f.has("first_k_dense_replace") && !Long.valueOf(1).equals(f.integer("first_k_dense_replace").orElse(-1))) {
                throw new IllegalArgumentException(f.where() + ": first_k_dense_replace is not read by Glm4MoeLiteConfig (transformers "
                        + "builds layer 0 dense and the others sparse whatever it says); remove it, or list the layers in "
                        + "mlp_layer_types (\"dense\" or \"sparse\", one per layer)");
            }
            dense = Set.of();
            firstDense = 1;
        }
        ModelConfig.Moe moe = new ModelConfig.Moe(experts, expertIntermediate, OptionalLong.of(shared), 1, dense, firstDense);
        return new ModelConfig.Decoder(ModelType.GLM4_MOE_LITE, vocab, hidden, intermediate, layers, heads, heads, rope, tie, bias, bias,
                false, padRow(f, vocab, OptionalLong.empty()), range, dtype, Optional.of(moe), Optional.of(mla), false);
    }

    /**
     * The dense layers of an mlp_layer_types list (DeepSeek-V3.2, GLM-4-MoE-Lite: the decoder layer builds the MoE where the
     * entry is "sparse", a dense MLP elsewhere). Entries must be "sparse" or "dense": validate_layer_type refuses others
     * where it runs, and where it does not (Glm4MoeLiteConfig without layer_types) transformers would silently build a dense
     * layer for a misspelt one. A list shorter than the layers is refused (the class indexes it per layer); a longer one
     * only where validate_layer_type runs (parse's layerTypes).
     */
    private static Set<Long> denseLayers(ConfigFields f, long layers) {
        List<?> entries = f.list("mlp_layer_types");
        Set<Long> dense = new java.util.HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Object e = entries.get(i);
            if (!(e instanceof String name) || !MLP_LAYER_TYPES.contains(name)) {
                throw new IllegalArgumentException(f.where() + ": mlp_layer_types holds " + Json.write(e) + "; it takes \"sparse\" or "
                        + "\"dense\" per layer (transformers refuses other entries, or builds a dense layer for them)");
            }
            if (name.equals("dense")) dense.add((long) i);
        }
        if (entries.size() < layers) {
            throw new IllegalArgumentException(f.where() + ": mlp_layer_types has " + entries.size() + " entries but num_hidden_layers is "
                    + layers + "; transformers wants one per layer (cut the list with the layers, or remove it for the default)");
        }
        return dense;
    }

    /**
     * GPT-OSS as GptOssConfig (5.18) builds it (tried with from_config): Llama-like attention with biases by
     * {@code attention_bias} (default true) and a sink logit per head; every layer a mixture of {@code num_local_experts}
     * (alias num_experts; required, its default 128 is the 120B model's) experts of {@code intermediate_size}, saved fused.
     * {@code num_key_value_heads} must be written (its default 8 rarely fits a hand-made config); {@code head_dim} defaults
     * to 64 whatever hidden_size / num_attention_heads is. The strict config class refuses a null head_dim, kv-head count or
     * expert count (its __post_init__ would read null head_dim and kv heads as hidden / heads and heads, but the type check
     * comes first); a {@code layer_types} list of another length than num_hidden_layers is refused for every type (parse).
     */
    /** Refuses a layer count whose layers, at {@code tensorsPerLayer} saved tensors or more each, pass {@link TensorTable#MAX_TENSORS}. */
    private static void requireLayersFit(long layers, int tensorsPerLayer) {
        if (layers > TensorTable.MAX_TENSORS / tensorsPerLayer) {
            throw new IllegalArgumentException("num_hidden_layers (" + layers + ") is too large: at " + tensorsPerLayer + " or more tensors per "
                    + "layer that is more than the " + TensorTable.MAX_TENSORS + " tensors tensorinit plans (real checkpoints have up to a few "
                    + "tens of thousands)");
        }
    }

    private static ModelConfig.Decoder gptOss(ConfigFields f, double range, Optional<DType> dtype) {
        long vocab = f.size("vocab_size"), hidden = f.size("hidden_size"), intermediate = f.size("intermediate_size");
        long layers = f.size("num_hidden_layers"), heads = f.size("num_attention_heads");
        requireLayersFit(layers, 11);   // before the per-layer rules below walk the layers
        long kvHeads = f.size("num_key_value_heads");
        f.refuseNull("head_dim", "a positive integer");
        long headDim = f.size("head_dim", 64);   // GptOssConfig's default, whatever hidden_size / num_attention_heads is
        requireEvenRotary("head_dim (" + headDim + ")", headDim, headDim);
        boolean bias = f.bool("attention_bias", true);   // q, k, v and o_proj
        boolean tie = f.bool("tie_word_embeddings", false);
        topK(f, false);
        f.bool("output_router_logits", false);
        f.typed("router_aux_loss_coef", Double.class, false);
        // attribute_map reads num_experts as num_local_experts: either names the count (both must agree).
        long experts = expertCount("num_local_experts", f.sizeAlias("num_local_experts", "num_experts"), 0);   // (a null one refused)
        ModelConfig.Moe moe = new ModelConfig.Moe(experts, intermediate, OptionalLong.empty(), 1, Set.of(), 0);
        return new ModelConfig.Decoder(ModelType.GPT_OSS, vocab, hidden, intermediate, layers, heads, kvHeads, headDim, tie, bias, bias,
                false, padRow(f, vocab, OptionalLong.empty()), range, dtype, Optional.of(moe), Optional.empty(), false);
    }

    /**
     * Llama 4's text model as Llama4TextConfig (5.18) builds it (tried with from_config): Llama attention with biases by
     * {@code attention_bias} (default false; use_qk_norm is an L2 norm without weights), dense layers a gated MLP of
     * {@code intermediate_size_mlp}, MoE layers {@code num_local_experts} fused experts of {@code intermediate_size}, a router
     * and one shared expert of intermediate_size. The sizes, the expert count and num_key_value_heads must be written (the
     * class defaults are Llama-4-Scout's); head_dim defaults to 128 whatever hidden_size / num_attention_heads is. The MoE
     * layers are {@code moe_layers} when it is a list (indices, refused outside [0, num_hidden_layers): transformers would
     * silently build those layers dense, as in a copy whose layers were cut), else every
     * {@code interleave_moe_layer_step}-th layer (layers step-1, 2·step-1, ...). The strict class refuses nulls for all of
     * these but moe_layers, and a non-empty no_rope_layers of another length than the layers (it becomes layer_types).
     */
    private static ModelConfig.Decoder llama4(ConfigFields f, double range, Optional<DType> dtype) {
        long vocab = f.size("vocab_size"), hidden = f.size("hidden_size");
        long expertIntermediate = f.size("intermediate_size"), intermediate = f.size("intermediate_size_mlp");
        long layers = f.size("num_hidden_layers"), heads = f.size("num_attention_heads");
        long kvHeads = f.size("num_key_value_heads");   // typed int: a null is refused there, and its default 8 rarely fits
        f.refuseNull("head_dim", "a positive integer");
        long headDim = f.size("head_dim", 128);   // Llama4TextConfig's default, whatever hidden_size / num_attention_heads is
        requireEvenRotary("head_dim (" + headDim + ")", headDim, headDim);
        boolean bias = f.bool("attention_bias", false);   // q, k, v and o_proj
        boolean tie = f.bool("tie_word_embeddings", false);
        f.bool("use_qk_norm", true);   // Llama4TextL2Norm has no weight: shapes nothing, but typed bool
        topK(f, false);
        f.bool("output_router_logits", false);
        f.typed("router_aux_loss_coef", Double.class, false);
        // No attribute_map: num_experts is no alias there, only num_local_experts counts (0 builds empty experts; refused).
        long experts = expertCount("num_local_experts", f.size("num_local_experts"), 0);
        f.refuseNull("interleave_moe_layer_step", "a positive integer");
        Set<Long> dense = Set.of();
        long step = 1;
        if (f.has("moe_layers")) {
            f.typed("interleave_moe_layer_step", Long.class, false);   // unread then, but typed int
            if (layers > TensorTable.MAX_TENSORS) {
                throw new IllegalArgumentException("num_hidden_layers (" + layers + ") is too large: more than the "
                        + TensorTable.MAX_TENSORS + " tensors tensorinit plans");
            }
            Set<Long> sparse = new java.util.HashSet<>();
            for (long x : f.integers("moe_layers")) {
                if (x < 0 || x >= layers) {
                    throw new IllegalArgumentException(f.where() + ": moe_layers holds " + x + ", not a layer index in [0, " + layers
                            + "); transformers would build no MoE layer for it (cut moe_layers with num_hidden_layers)");
                }
                sparse.add(x);
            }
            Set<Long> d = new java.util.HashSet<>();
            for (long x = 0; x < layers; x++) if (!sparse.contains(x)) d.add(x);
            dense = d;
        } else {
            step = f.size("interleave_moe_layer_step", 1);   // range(step - 1, layers, step); 0 fails there
        }
        // no_rope_layers (one 0/1 per layer) becomes layer_types when that is absent, and validate_layer_type then wants
        // one per layer; an empty list takes the default. no_rope_layer_interval builds that default (0 fails there).
        if (f.has("no_rope_layers")) {
            int n = f.integers("no_rope_layers").size();
            if (n > 0 && (f.has("layer_types") ? n < layers : n != layers)) {
                throw new IllegalArgumentException(f.where() + ": no_rope_layers has " + n + " entries but num_hidden_layers is "
                        + layers + "; transformers wants one per layer (or none for its default)");
            }
        }
        // The class builds the default list from no_rope_layer_interval even when a list is given (QA: 0 beside a list
        // failed from_config with a division by zero).
        f.refuseNull("no_rope_layer_interval", "a positive integer");
        f.size("no_rope_layer_interval", 4);
        // Attention settings no shape depends on, typed by Llama4TextConfig (QA: 4 for the bool, 8192.0 for the int and a
        // string for the floats wrote configs transformers refused).
        f.bool("attn_temperature_tuning", true);
        f.typed("floor_scale", Long.class, false);
        f.typed("attn_scale", Double.class, false);
        f.typed("router_jitter_noise", Double.class, false);
        f.typed("attention_chunk_size", Long.class, true);
        ModelConfig.Moe moe = new ModelConfig.Moe(experts, expertIntermediate, OptionalLong.of(expertIntermediate), step, dense, 0);
        return new ModelConfig.Decoder(ModelType.LLAMA4_TEXT, vocab, hidden, intermediate, layers, heads, kvHeads, headDim, tie, bias,
                bias, false, padRow(f, vocab, OptionalLong.empty()), range, dtype, Optional.of(moe), Optional.empty(), false);
    }

    /**
     * Qwen3-Next, Qwen3.5 and Qwen3.5-MoE (text) as Qwen3NextConfig, Qwen3_5TextConfig and Qwen3_5MoeTextConfig (5.18) build
     * them (each rule tried with from_config and a forward pass): strict classes, so every int, bool and float field below
     * refuses a null. num_key_value_heads (class defaults 2, 4, 2) and the linear-attention head counts
     * (linear_num_key_heads, linear_num_value_heads: 16 and 32, the released models') must be written, like the MoE sizes;
     * head_dim defaults to 256, the linear head dims to 128 and linear_conv_kernel_dim to 4, whatever the other sizes. The
     * value heads must be a multiple of the key heads (the forward pass repeats each key head; any other count builds a
     * model whose forward fails). Only partial_rotary_factor (default 0.25) of head_dim rotates, so an odd head_dim passes
     * unless it is all rotated. Qwen3.5-MoE has no intermediate_size (every layer sparse). layer_types, when given, must name
     * linear_attention or full_attention per layer (the decoder layer builds no attention for any other name: from_config
     * fails for sliding_attention, and builds a layer without attention for "mamba"); else layer i is full attention when
     * (i + 1) is a multiple of full_attention_interval (default 4; 0 divides by zero there, null fails, and a float is
     * refused here). A model without any full_attention layer is refused: its first forward pass with a cache fails
     * (get_seq_length "can only be called on Attention layers").
     */
    private static ModelConfig.Hybrid hybrid(ModelType type, ConfigFields f, double range, Optional<DType> dtype) {
        boolean moeEverywhere = type == ModelType.QWEN3_5_MOE_TEXT;
        long vocab = f.size("vocab_size"), hidden = f.size("hidden_size");
        long intermediate = moeEverywhere ? 0 : f.size("intermediate_size");
        long layers = f.size("num_hidden_layers"), heads = f.size("num_attention_heads");
        long kvHeads = f.size("num_key_value_heads");
        f.refuseNull("head_dim", "a positive integer");
        boolean defaultHeadDim = !f.present("head_dim");
        long headDim = f.size("head_dim", 256);   // the classes' default, whatever hidden_size / num_attention_heads is
        // Qwen3NextConfig's __post_init__ sets partial_rotary_factor 0.25 when absent (the rope object's own factor wins).
        double factor = partialRotaryFactor(f, 0.25);
        requireEvenRotary("head_dim (" + headDim + (defaultHeadDim ? ", the class default" : "") + ")", headDim, (long) (headDim * factor));
        boolean bias = f.bool("attention_bias", false);   // q/k/v/o of the full-attention layers (Qwen3MoeAttention's rule)
        boolean tie = f.bool("tie_word_embeddings", false);
        f.refuseNull("linear_conv_kernel_dim", "a positive integer");
        f.refuseNull("linear_key_head_dim", "a positive integer");
        f.refuseNull("linear_value_head_dim", "a positive integer");
        ModelConfig.LinearAttention linear = new ModelConfig.LinearAttention(f.size("linear_num_key_heads"), f.size("linear_num_value_heads"),
                f.size("linear_key_head_dim", 128), f.size("linear_value_head_dim", 128), f.size("linear_conv_kernel_dim", 4));
        if (linear.valueHeads() % linear.keyHeads() != 0) {
            throw new IllegalArgumentException("linear_num_value_heads (" + linear.valueHeads() + ") must be a multiple of linear_num_key_heads ("
                    + linear.keyHeads() + "): the GatedDeltaNet repeats each key head for its value heads, and transformers builds a "
                    + "model whose forward fails otherwise");
        }
        Optional<List<Boolean>> layerTypes = Optional.empty();
        long interval = 4;
        if (f.has("layer_types")) {
            List<?> entries = f.list("layer_types");
            List<Boolean> full = new java.util.ArrayList<>();
            for (Object e : entries) {
                if (!"linear_attention".equals(e) && !"full_attention".equals(e)) {
                    throw new IllegalArgumentException(f.where() + ": layer_types holds " + Json.write(e) + "; " + type.id()
                            + " layers are \"linear_attention\" or \"full_attention\" (transformers builds no attention for other names)");
                }
                full.add("full_attention".equals(e));
            }
            if (entries.size() != layers) {
                throw new IllegalArgumentException(f.where() + ": layer_types has " + entries.size() + " entries but num_hidden_layers is "
                        + layers + "; transformers wants one per layer (cut the list with the layers, or remove it for the default)");
            }
            if (!full.contains(true)) {
                throw new IllegalArgumentException(f.where() + ": layer_types has no \"full_attention\" layer; transformers builds such a "
                        + "model, but its first forward pass fails (its cache needs one attention layer)");
            }
            layerTypes = Optional.of(full);
        } else {
            f.refuseNull("full_attention_interval", "a positive integer");
            if (f.present("full_attention_interval")) {
                interval = f.integer("full_attention_interval").getAsLong();
                if (interval == 0) {
                    throw new IllegalArgumentException(f.where() + ": full_attention_interval is 0; transformers divides by it (every "
                            + "full_attention_interval-th layer is full attention)");
                }
            }
            if (interval > layers || interval < -layers) {   // (Python's % by a negative interval: the same layers)
                throw new IllegalArgumentException(f.where() + ": full_attention_interval (" + interval + ") is more than num_hidden_layers ("
                        + layers + "), so no layer is full attention; transformers builds such a model, but its first forward pass "
                        + "fails (its cache needs one attention layer): set full_attention_interval or layer_types");
            }
        }
        Optional<ModelConfig.Moe> moe = moe(type, f, intermediate);
        // The router takes topk(num_experts_per_tok) of the experts: more than there are builds a model whose forward fails
        // ("selected index k out of range", QA). The class defaults are 10 (Qwen3NextConfig) and 8 (Qwen3_5MoeTextConfig).
        long topK = f.has("num_experts_per_tok") ? f.size("num_experts_per_tok") : type == ModelType.QWEN3_NEXT ? 10 : 8;
        if (moe.isPresent() && moe.get().experts() > 0) {
            requireTopKFits(f, topK, "num_experts", moe.get().experts(),
                    "transformers' router cannot pick that many, and the model it builds fails its first forward pass");
        }
        ModelConfig.Decoder base = new ModelConfig.Decoder(type, vocab, hidden, intermediate, layers, heads, kvHeads, headDim, tie, bias,
                bias, false, padRow(f, vocab, OptionalLong.empty()), range, dtype, moe, Optional.empty(), true);
        return new ModelConfig.Hybrid(base, linear, layerTypes, interval);
    }

    /**
     * Settings no shape depends on that every supported config class (transformers 5.18) types strictly, each tried with
     * AutoConfig.for_model on all 35 types (null, 512.0, 1, "x", true, [1, 2], [1, "x"]; the refusals are the same for all but
     * attention_dropout): max_position_embeddings an int (gpt2's n_positions and bert's are read as sizes), the norm's epsilon
     * a float (1 refused; rms_norm_eps, gpt2's layer_norm_epsilon, bert's layer_norm_eps), the activation's name a str
     * (hidden_act; Gemma 2, 3 and 4's hidden_activation, gpt2's activation_function; any name is taken), use_cache a bool,
     * bos_token_id an int or None, eos_token_id an int, a list of ints or None. attention_dropout is a float or int (not a
     * bool), also None for llama, gemma2, gemma3_text, granitemoe(shared), deepseek_v2, deepseek_v3 and gemma4_text, and a
     * float only (0 refused) for deepseek_v2; gpt2 and bert have none (the key is taken unchecked there). A null or
     * mistyped one wrote a checkpoint whose copy of the config did not load (QA, then every type tried). rope_theta and the
     * other rope settings: ropeSettings.
     */
    private static void strictSettings(ModelType type, ConfigFields f) {
        f.typed("max_position_embeddings", Long.class, false);
        // (GPTNeoXConfig and PhiConfig name their LayerNorm epsilon as BertConfig does; an rms_norm_eps there is unread.)
        boolean layerNormEps = type == ModelType.BERT || type == ModelType.GPT_NEOX || type == ModelType.PHI;
        f.typed(type == ModelType.GPT2 ? "layer_norm_epsilon" : layerNormEps ? "layer_norm_eps"
                : type == ModelType.STARCODER2 ? "norm_epsilon" : "rms_norm_eps", Double.class, false);
        boolean hiddenActivation = type == ModelType.GEMMA2 || type == ModelType.GEMMA3_TEXT || type == ModelType.GEMMA4_TEXT;
        f.typed(type == ModelType.GPT2 ? "activation_function" : hiddenActivation ? "hidden_activation" : "hidden_act", String.class, false);
        f.bool("use_cache", true);
        if (type != ModelType.GPT2 && type != ModelType.BERT) {
            boolean dropoutNullable = switch (type) {
                case LLAMA, GEMMA2, GEMMA3_TEXT, GRANITEMOE, GRANITEMOESHARED, DEEPSEEK_V2, DEEPSEEK_V3, GEMMA4_TEXT -> true;
                default -> false;
            };
            if (type == ModelType.DEEPSEEK_V2) {
                f.typed("attention_dropout", Double.class, true);
            } else {
                if (!dropoutNullable) f.refuseNull("attention_dropout", "a number such as 0.0");
                f.number("attention_dropout");
            }
        }
        f.typed("bos_token_id", Long.class, true);
        f.tokenIds("eos_token_id");
    }

    /**
     * The experts of the MoE types. Their counts and sizes must be written (the class defaults, 8 experts for Mixtral,
     * 60 or 128 for Qwen, rarely fit a hand-made config and decide most of the bytes). Qwen's num_experts may be 0
     * (every layer dense, as the class builds it), decoder_sparse_step (default 1) makes every step-th layer sparse and
     * mlp_only_layers (default none) keeps the listed ones dense.
     */
    private static Optional<ModelConfig.Moe> moe(ModelType type, ConfigFields f, long intermediate) {
        if (!type.moe()) return Optional.empty();
        if (type.graniteMoe()) return Optional.of(graniteMoe(type, f, intermediate));
        if (type == ModelType.GLM4_MOE) return Optional.of(glm4Moe(f));
        if (type == ModelType.OLMOE || type == ModelType.MINIMAX_M2) return Optional.of(everyLayerSparse(type, f, intermediate));
        if (type == ModelType.QWEN3_5_MOE_TEXT) return Optional.of(qwen35Moe(f));
        boolean mixtral = type == ModelType.MIXTRAL;
        // Not read for shapes, but typed by every MoE config class (an int and bools): a hand-set null, 2.0 or "2" made a
        // checkpoint transformers then refused to load.
        topK(f, false);
        f.bool("output_router_logits", false);
        f.typed("router_aux_loss_coef", Double.class, false);   // a float field: 1 or null is refused there
        if (!mixtral) f.bool("norm_topk_prob", false);
        String count = mixtral ? "num_local_experts" : "num_experts";
        long experts = expertCount(count, mixtral ? f.size(count) : f.count(count), 3);
        if (mixtral) return Optional.of(new ModelConfig.Moe(experts, intermediate, OptionalLong.empty(), 1, Set.of(), 0));
        // Qwen3-Next's sparse blocks are Qwen2-MoE's (Qwen3NextSparseMoeBlock: shared_expert and shared_expert_gate).
        OptionalLong shared = type == ModelType.QWEN2_MOE || type == ModelType.QWEN3_NEXT
                ? OptionalLong.of(f.size("shared_expert_intermediate_size")) : OptionalLong.empty();
        f.refuseNull("decoder_sparse_step", "a positive integer");   // typed int in the Qwen MoE configs (and Qwen3-Next's)
        return Optional.of(new ModelConfig.Moe(experts, f.size("moe_intermediate_size"), shared, f.size("decoder_sparse_step", 1),
                Set.copyOf(f.integers("mlp_only_layers")), 0));
    }

    /**
     * Qwen3.5-MoE's experts as Qwen3_5MoeTextConfig (5.18) types them (tried with from_config): every layer's MLP is a
     * Qwen3_5MoeSparseMoeBlock (Qwen2-MoE's: the router, num_experts experts of moe_intermediate_size, a shared_expert of
     * shared_expert_intermediate_size and its shared_expert_gate), all required (the class defaults, 256 experts of 512,
     * are the released 35B-A3B's); 0 experts builds a router of no outputs whose forward fails, so it is refused. The class
     * has no decoder_sparse_step or mlp_only_layers: a config that sets them to make dense layers is refused rather than
     * silently written all sparse. num_experts_per_tok, output_router_logits and router_aux_loss_coef are typed (nulls refused).
     */
    private static ModelConfig.Moe qwen35Moe(ConfigFields f) {
        topK(f, false);
        f.bool("output_router_logits", false);
        f.typed("router_aux_loss_coef", Double.class, false);
        long experts = expertCount("num_experts", f.size("num_experts"), 3);
        if (f.has("decoder_sparse_step") && !Long.valueOf(1).equals(f.integer("decoder_sparse_step").orElse(-1))
                || !f.integers("mlp_only_layers").isEmpty()) {
            throw new IllegalArgumentException(f.where() + ": decoder_sparse_step and mlp_only_layers are not read by Qwen3_5MoeTextConfig "
                    + "(transformers builds every layer sparse whatever they say); remove them");
        }
        return new ModelConfig.Moe(experts, f.size("moe_intermediate_size"), OptionalLong.of(f.size("shared_expert_intermediate_size")),
                1, Set.of(), 0);
    }

    /**
     * Granite MoE's experts as GraniteMoeConfig and GraniteMoeSharedConfig (5.18) type them (tried with from_config): every
     * layer a router and num_local_experts fused experts of intermediate_size; granitemoeshared adds shared_mlp (input_linear
     * [2 · shared_intermediate_size, hidden], output_linear) when shared_intermediate_size (a plain int, default 0) is not 0.
     * num_local_experts and num_experts_per_tok are int | None, but GraniteMoeTopKRouter builds torch.empty(None, ...) (fails)
     * and its forward takes topk(num_experts_per_tok) of the E logits (fails for None or more than E): so the count must be
     * written (the default 8 is no released model's), positive, and at least num_experts_per_tok. output_router_logits is
     * bool | None, router_aux_loss_coef float | None.
     */
    private static ModelConfig.Moe graniteMoe(ModelType type, ConfigFields f, long intermediate) {
        long experts = expertCount("num_local_experts", f.size("num_local_experts"), 0);   // fused: 3 tensors per layer whatever E
        f.refuseNull("num_experts_per_tok", "a positive integer");
        long topK = f.size("num_experts_per_tok", 2);
        requireTopKFits(f, topK, "num_local_experts", experts,
                type.hfClass() + "'s router takes the top num_experts_per_tok of the experts' logits, which fails");
        if (f.has("output_router_logits")) f.bool("output_router_logits", false);   // bool | None: null taken, else true or false
        f.typed("router_aux_loss_coef", Double.class, true);
        OptionalLong shared = OptionalLong.empty();
        if (type == ModelType.GRANITEMOESHARED) {
            f.refuseNull("shared_intermediate_size", "an integer, 0 for no shared expert");
            long s = f.has("shared_intermediate_size") ? f.count("shared_intermediate_size") : 0;
            if (s > 0) shared = OptionalLong.of(s);
        }
        return new ModelConfig.Moe(experts, intermediate, shared, 1, Set.of(), 0);
    }

    /**
     * OLMoE's and MiniMax-M2's experts, as OlmoeConfig and MiniMaxM2Config (5.18) type them (tried with from_config): every layer
     * sparse, experts of intermediate_size, no shared expert. The count must be written (defaults 64 and 256, the released
     * models'): OLMoE's num_experts (alias num_local_experts), MiniMax-M2's num_local_experts (alias num_experts); both must
     * agree, and 0 (from_config builds empty [0, ...] experts and a router with no output) is refused. The router settings
     * are plain ints, floats and bools there: nulls refused; OLMoE's clip_qkv is float | None (8 refused, 8.0 taken).
     */
    private static ModelConfig.Moe everyLayerSparse(ModelType type, ConfigFields f, long intermediate) {
        boolean olmoe = type == ModelType.OLMOE;
        topK(f, false);
        f.bool("output_router_logits", false);
        f.typed("router_aux_loss_coef", Double.class, false);
        if (olmoe) {
            f.bool("norm_topk_prob", false);
            f.typed("clip_qkv", Double.class, true);
        } else {
            f.typed("router_jitter_noise", Double.class, false);
        }
        long experts = olmoe ? f.sizeAlias("num_experts", "num_local_experts") : f.sizeAlias("num_local_experts", "num_experts");
        expertCount(olmoe ? "num_experts" : "num_local_experts", experts, 3);
        return new ModelConfig.Moe(experts, intermediate, OptionalLong.empty(), 1, Set.of(), 0);
    }

    /**
     * GLM-4-MoE's experts as Glm4MoeConfig (5.18) types them (tried with from_config): DeepSeek-V3's MoE (a router with its
     * e_score_correction_bias buffer, routed experts of moe_intermediate_size, one shared MLP of moe_intermediate_size ·
     * n_shared_experts, default 1, and dense first first_k_dense_replace layers, default 1). The expert count (n_routed_experts,
     * or its alias num_local_experts) and size must be written (the defaults are GLM-4.5-Air's); the router settings are
     * plain ints, a float and a bool there, none of them nullable.
     */
    private static ModelConfig.Moe glm4Moe(ConfigFields f) {
        long experts = expertCount("n_routed_experts", f.sizeAlias("n_routed_experts", "num_local_experts"), 3);
        long expertIntermediate = f.size("moe_intermediate_size");
        long shared = sharedExpertsWidth(f, expertIntermediate, 1);
        f.refuseNull("first_k_dense_replace", "0 or more");
        long firstDense = f.has("first_k_dense_replace") ? f.count("first_k_dense_replace") : 1;
        topK(f, false);
        f.bool("norm_topk_prob", true);
        groupRouting(f, false);
        f.typed("num_mtp_layers", Long.class, false);   // a plain int field (num_nextn_predict_layers may be null)
        return new ModelConfig.Moe(experts, expertIntermediate, OptionalLong.of(shared), 1, Set.of(), firstDense);
    }

    /**
     * q_lora_rank of the latent-attention configs that take a null one (DeepSeek-V2 and -V3, GLM-4-MoE-Lite): null is one
     * q_proj (empty), absent is refused, since the class default ({@code classDefault}) is a released model's.
     */
    private static OptionalLong queryLoraRank(ConfigFields f, String classDefault) {
        if (!f.present("q_lora_rank")) {
            throw new IllegalArgumentException(f.where() + " has no q_lora_rank (null for no query compression; the class default is "
                    + classDefault + ")");
        }
        return f.has("q_lora_rank") ? OptionalLong.of(f.size("q_lora_rank")) : OptionalLong.empty();
    }

    /**
     * The width of the one shared-experts MLP of DeepSeek's and GLM-4-MoE's layouts: moe_intermediate_size ·
     * n_shared_experts ({@code dflt} when absent; typed int, not int | None, in every such config class: null refused).
     */
    private static long sharedExpertsWidth(ConfigFields f, long expertIntermediate, long dflt) {
        f.refuseNull("n_shared_experts", "a positive integer");
        return Math.multiplyExact(expertIntermediate, f.size("n_shared_experts", dflt));
    }

    /**
     * SmolLM3's no_rope_layers (one 0/1 per layer; shapes nothing): the class indexes it per layer (a shorter list failed
     * from_config), and builds the default from no_rope_layer_interval (0 divided by zero there).
     */
    private static void noRopeLayers(ConfigFields f, long layers) {
        int n = f.integers("no_rope_layers").size();
        if (f.has("no_rope_layers") && n == 0) {   // only null takes the default there; [] is indexed and fails
            throw new IllegalArgumentException(f.where() + ": no_rope_layers is empty; transformers indexes it per layer: give one "
                    + "entry per layer, or null for its default");
        }
        if (n > 0 && n < layers) {
            throw new IllegalArgumentException(f.where() + ": no_rope_layers has " + n + " entries but num_hidden_layers is " + layers
                    + "; transformers wants one per layer (or none for its default)");
        }
        f.refuseNull("no_rope_layer_interval", "a positive integer");
        if (n == 0) f.size("no_rope_layer_interval", 4);
        else f.typed("no_rope_layer_interval", Long.class, false);
    }

    /**
     * num_experts_per_tok: it shapes nothing, but every MoE config class types it (int, or int | None where
     * {@code nullable}), and a checkpoint whose copy of the config transformers refuses is no checkpoint.
     */
    /**
     * Refuses num_experts_per_tok ({@code topK}, the config's or the class default) above the expert count: a model
     * transformers builds but whose router's top-k over the experts' logits fails. {@code why} says so for the class.
     */
    private static void requireTopKFits(ConfigFields f, long topK, String expertsField, long experts, String why) {
        if (topK > experts) {
            throw new IllegalArgumentException("num_experts_per_tok (" + topK + (f.has("num_experts_per_tok") ? "" : ", the class default")
                    + ") is more than " + expertsField + " (" + experts + "): " + why);
        }
    }

    private static void topK(ConfigFields f, boolean nullable) {
        if (!nullable) f.refuseNull("num_experts_per_tok", "a positive integer");
        f.size("num_experts_per_tok", 1);
    }

    /**
     * DeepSeek's and GLM-4-MoE's group-limited routing settings, typed likewise: routed_scaling_factor a float (the released
     * DeepSeek-V2 config writes 16.0; 16 is refused), n_group and topk_group ints ({@code nullable}: int | None, DeepSeek's).
     */
    private static void groupRouting(ConfigFields f, boolean nullable) {
        f.typed("routed_scaling_factor", Double.class, false);
        f.typed("n_group", Long.class, nullable);
        f.typed("topk_group", Long.class, nullable);
    }

    /**
     * GLM-4-MoE's and MiniMax-M2's partial_rotary_factor, as transformers 5.18 resolves it (convert_rope_params_to_dict): the
     * rope object's own factor wins (see below); else MiniMax-M2's rotary_dim (below); else the top-level one, which
     * Glm4MoeConfig defaults to 0.5 when absent, while an explicit null leaves validate_rope its 1.0.
     */
    private static double partialRotaryFactor(ModelType type, ConfigFields f, long headDim) {
        OptionalDouble inRope = ropeObjectFactor(f);
        if (inRope.isPresent()) return inRope.getAsDouble();
        if (type == ModelType.MINIMAX_M2 && !f.present("partial_rotary_factor")) {
            // MiniMaxM2Config.convert_rope_params_to_dict: the released checkpoints' rotary_dim, when not null, sets
            // partial_rotary_factor = rotary_dim / head_dim (a top-level partial_rotary_factor, even null, wins); else none, 1.0.
            if (!f.has("rotary_dim")) return 1.0;
            return f.number("rotary_dim").getAsDouble() / headDim;
        }
        return topLevelFactor(f, 0.5);
    }

    /**
     * As above for the classes without a top-level default ({@code absent}: DeepSeek-V3.2's and GLM-4-MoE-Lite's configs have
     * none, so validate_rope's 1.0).
     */
    private static double partialRotaryFactor(ConfigFields f, double absent) {
        OptionalDouble inRope = ropeObjectFactor(f);
        return inRope.isPresent() ? inRope.getAsDouble() : topLevelFactor(f, absent);
    }

    /** The rope object (a non-empty rope_scaling, else rope_parameters) and its own partial_rotary_factor, if it has one. */
    private static OptionalDouble ropeObjectFactor(ConfigFields f) {
        ConfigFields rope = ropeObject(f);
        if (rope == null || !rope.present("partial_rotary_factor")) return OptionalDouble.empty();
        // A null there reaches the rotary embedding's int(head_dim * factor), which fails for every head_dim.
        rope.refuseNull("partial_rotary_factor", "a number such as 0.5");
        return rope.number("partial_rotary_factor");
    }

    /** The rope object: a non-empty rope_scaling, else rope_parameters (null when neither is an object). */
    private static ConfigFields ropeObject(ConfigFields f) {
        ConfigFields scaling = f.object("rope_scaling"), parameters = f.object("rope_parameters");
        return scaling != null && !scaling.isEmpty() ? scaling : parameters;
    }

    /** The top-level partial_rotary_factor: {@code absent} when the config has none, 1.0 (validate_rope's) when it is null. */
    private static double topLevelFactor(ConfigFields f, double absent) {
        if (!f.present("partial_rotary_factor")) return absent;
        return f.has("partial_rotary_factor") ? f.number("partial_rotary_factor").getAsDouble() : 1.0;
    }

    /**
     * validate_rope's rule (transformers 5.18): rotary embeddings rotate pairs, so an odd head dimension is refused when
     * it is rotated whole ({@code rotated} = dim) and larger than 4 (smaller ones are kept for test fixtures there).
     */
    private static void requireEvenRotary(String what, long dim, long rotated) {
        // The rotary embedding takes int(dim · factor) dimensions and builds torch.arange(0, that, 2): a negative width (a
        // negative partial_rotary_factor or MiniMax-M2 rotary_dim) fails from_config there (QA: it was written).
        if (rotated < 0) {
            throw new IllegalArgumentException(what + " times partial_rotary_factor (or rotary_dim / head_dim) rotates " + rotated
                    + " dimensions: a negative rotary width, which transformers' rotary embedding refuses");
        }
        if (dim > 4 && dim % 2 != 0 && rotated == dim) {
            throw new IllegalArgumentException(what + " must be even: rotary embeddings rotate pairs of dimensions");
        }
    }

    /**
     * {@code experts}, refused when one layer of them could not be planned: where each expert is saved as
     * {@code tensorsPerExpert} tensors per layer (3: gate, up, down), a typo of 10^9 experts must fail here, not after
     * filling the heap with names (one layer's experts, attention and norms must fit in {@link TensorTable#MAX_TENSORS}).
     * GPT-OSS saves its experts fused, 4 tensors per layer whatever their count (0 per expert): no count is too many to
     * plan, and one too large for the bytes fails in the plan, naming the sizes.
     */
    private static long expertCount(String field, long experts, int tensorsPerExpert) {
        if (tensorsPerExpert > 0 && experts > (TensorTable.MAX_TENSORS - 32) / tensorsPerExpert) {
            throw new IllegalArgumentException(field + " (" + experts + ") is too large: at " + tensorsPerExpert + " tensors per expert "
                    + "and layer that is more than the " + TensorTable.MAX_TENSORS + " tensors tensorinit plans");
        }
        return experts;
    }

    /**
     * Gemma 4's text decoder as Gemma4TextConfig (5.18) builds it; each rule tried with from_config. Plain ints and bools
     * there (nulls refused): num_key_value_heads (required: the default 4 rarely fits), head_dim (default 256),
     * num_kv_shared_layers, hidden_size_per_layer_input, vocab_size_per_layer_input, attention_k_eq_v, enable_moe_block,
     * use_double_wide_mlp, sliding_window, max_position_embeddings. Per layer type: when the config has no per_layer_config
     * key, __post_init__ gives every full_attention layer head_dim = global_head_dim (default 512) and, with
     * attention_k_eq_v only, num_key_value_heads = num_global_key_value_heads (None: no override); a per_layer_config key,
     * even null or {}, replaces that (its head_dim and num_key_value_heads overrides are read; the rotary embedding
     * wants one config per layer type, so layers of one type must agree). hidden_size_per_layer_input must be written (the
     * default 256 adds a 262,144-row per-layer embedding to any config): 0 for none.
     */
    private static ModelConfig.Gemma4 gemma4(ConfigFields f, double range, Optional<DType> dtype) {
        long vocab = f.size("vocab_size"), hidden = f.size("hidden_size"), intermediate = f.size("intermediate_size");
        long layers = f.size("num_hidden_layers"), heads = f.size("num_attention_heads");
        requireLayersFit(layers, 11);   // before the per-layer rules below walk the layers
        long kvHeads = f.size("num_key_value_heads");
        f.refuseNull("head_dim", "a positive integer");
        long headDim = f.size("head_dim", 256);
        boolean kEqV = f.bool("attention_k_eq_v", false);
        boolean bias = f.bool("attention_bias", false);
        boolean doubleWide = f.bool("use_double_wide_mlp", false);
        boolean tie = f.bool("tie_word_embeddings", true);
        List<String> layerTypes = gemma4LayerTypes(f, layers);
        ModelConfig.Gemma4.Attention global = new ModelConfig.Gemma4.Attention(headDim, kvHeads);
        ModelConfig.Gemma4.Attention[] byType = gemma4PerLayer(f, layers, layerTypes, global, kEqV);
        for (ModelConfig.Gemma4.Attention a : byType) {
            if (heads % a.kvHeads() != 0) {
                throw new IllegalArgumentException("num_attention_heads (" + heads + ") must be a multiple of num_key_value_heads ("
                        + a.kvHeads() + "): Gemma4TextAttention repeats each key/value head num_attention_heads // num_key_value_heads times");
            }
        }
        // Each layer type's rotary embedding makes cos/sin of an even width (default: ceil(d / 2) pairs; proportional: d / 2
        // pairs, rounded down) and applies them to all of its head_dim: from_config builds an odd one of any size, but the
        // forward fails (QA: head_dim 3, 7, 9, 15 and global_head_dim 15 were written).
        for (int t = 0; t < 2; t++) {
            String name = t == 1 ? "full_attention" : "sliding_attention";
            boolean used = false;
            for (long i = 0; i < layers && !used; i++) used = gemma4Type(layerTypes, layers, i).equals(name);
            if (used && byType[t].headDim() % 2 != 0) {
                throw new IllegalArgumentException("the head_dim of the " + name + " layers (" + byType[t].headDim() + ") must be even: their "
                        + "rotary embedding rotates pairs of dimensions (transformers builds the model, but its forward fails)");
            }
        }
        f.refuseNull("num_kv_shared_layers", "an integer, 0 or more");
        long shared = f.has("num_kv_shared_layers") ? f.count("num_kv_shared_layers") : 0;
        if (shared >= layers) {
            // From num_hidden_layers shared layers on, from_config builds layers with no k/v projections at all (0 = all of
            // them are shared) or silently shares none (more): no model that runs.
            throw new IllegalArgumentException("num_kv_shared_layers (" + shared + ") must be less than num_hidden_layers (" + layers
                    + "): the shared layers reuse the keys and values of an earlier layer of their type");
        }
        if (shared > 0) {
            // Gemma4TextAttention: a kv-shared layer reads shared_kv_states[its layer type], stored by the last non-shared layer
            // of that type; with none, from_config builds but the forward fails (KeyError).
            long first = layers - shared;
            for (long i = first; i < layers; i++) {
                String type = gemma4Type(layerTypes, layers, i);
                boolean found = false;
                for (long j = 0; j < first && !found; j++) found = gemma4Type(layerTypes, layers, j).equals(type);
                if (!found) {
                    throw new IllegalArgumentException("layer " + i + " (" + type + ") is one of the last num_kv_shared_layers (" + shared
                            + ") layers, which reuse the keys and values of an earlier " + type + " layer, but none of the first " + first
                            + " layers is one (transformers builds it, but its forward fails)");
                }
            }
        }
        f.refuseNull("hidden_size_per_layer_input", "an integer, 0 for no per-layer embeddings");
        if (!f.present("hidden_size_per_layer_input")) {
            throw new IllegalArgumentException(f.where() + " has no hidden_size_per_layer_input (0 for no per-layer input embeddings; "
                    + "the class default 256 adds a vocab_size_per_layer_input x (num_hidden_layers * 256) table, 262,144 rows by default)");
        }
        long ple = f.count("hidden_size_per_layer_input");
        f.refuseNull("vocab_size_per_layer_input", "a positive integer");
        // Without per-layer embeddings the class reads no vocab_size_per_layer_input: any int passes (QA: 0 was refused).
        if (ple == 0) f.typed("vocab_size_per_layer_input", Long.class, false);
        long pleVocab = ple > 0 ? f.size("vocab_size_per_layer_input") : 262_144;
        boolean moe = f.bool("enable_moe_block", false);
        long experts = 0, expertIntermediate = 0;
        if (moe) {
            experts = expertCount("num_experts", f.size("num_experts"), 0);
            expertIntermediate = f.size("moe_intermediate_size");
            // Gemma4TextRouter's forward takes top_k_experts (from_config builds with None; the forward fails), and so many of the
            // experts (more: "selected index k out of range", QA: written).
            long topK = f.size("top_k_experts");
            if (topK > experts) {
                throw new IllegalArgumentException("top_k_experts (" + topK + ") is more than num_experts (" + experts + "): the router cannot "
                        + "pick that many, and the model transformers builds fails its first forward pass");
            }
        } else {
            for (String key : List.of("num_experts", "top_k_experts", "moe_intermediate_size")) f.typed(key, Long.class, true);
        }
        // pad_token_id (default 0) is the padding_idx of both embeddings: it must fit both tables.
        OptionalLong pad = padRow(f, vocab, OptionalLong.of(0));
        OptionalLong plePad = ple > 0 ? padRow(f, pleVocab, OptionalLong.of(0)) : OptionalLong.empty();   // wrapped into its own rows
        gemma4Rope(f, layers, layerTypes);
        f.typed("sliding_window", Long.class, false);
        f.typed("final_logit_softcapping", Double.class, true);
        String bidirectional = f.text("use_bidirectional_attention");
        if (bidirectional != null && !bidirectional.equals("all") && !bidirectional.equals("vision")) {
            throw new IllegalArgumentException(f.where() + ": use_bidirectional_attention must be \"all\", \"vision\" or null, got "
                    + Json.write(bidirectional));
        }
        return new ModelConfig.Gemma4(vocab, hidden, intermediate, layers, heads, layerTypes, byType[0], byType[1], kEqV, shared, doubleWide,
                bias, ple, pleVocab, experts, expertIntermediate, tie, pad, plePad, range, dtype);
    }

    /** Gemma 4's layer types: the config's list (sliding_attention or full_attention only), or empty for the class default. */
    private static List<String> gemma4LayerTypes(ConfigFields f, long layers) {
        if (!f.has("layer_types")) return List.of();
        layerTypes(f, layers, true);   // names transformers knows, one per layer
        List<String> types = new java.util.ArrayList<>();
        for (Object o : f.list("layer_types")) {
            String name = (String) o;
            // Gemma4TextConfig's default rope_parameters and per_layer_config know these two; another type needs rope
            // parameters of its own (KeyError without), which tensorinit does not read.
            if (!name.equals("sliding_attention") && !name.equals("full_attention")) {
                throw new IllegalArgumentException(f.where() + ": layer_types holds " + Json.write(name) + "; tensorinit reads Gemma 4 layers "
                        + "of types sliding_attention and full_attention only");
            }
            types.add(name);
        }
        return types;
    }

    private static String gemma4Type(List<String> layerTypes, long layers, long i) {
        if (i == layers - 1) return "full_attention";   // Gemma4TextConfig forces the last layer to full_attention
        if (!layerTypes.isEmpty()) return layerTypes.get((int) i);
        return (i + 1) % 6 == 0 ? "full_attention" : "sliding_attention";
    }

    /**
     * The attention sizes of the sliding ([0]) and full ([1]) layers: the per_layer_config overrides (layer index keys, ints
     * such as "1" or "01", in [0, layers); only head_dim and num_key_value_heads, positive ints, are taken: any other key is
     * refused, since the class fails on most of them or Gemma 4's modules ignore them), or the class's default from
     * global_head_dim and num_global_key_value_heads.
     */
    private static ModelConfig.Gemma4.Attention[] gemma4PerLayer(ConfigFields f, long layers, List<String> layerTypes,
                                                                ModelConfig.Gemma4.Attention global, boolean kEqV) {
        java.util.Map<Long, ModelConfig.Gemma4.Attention> overrides = new java.util.HashMap<>();
        if (f.present("per_layer_config")) {
            ConfigFields plc = f.object("per_layer_config");
            for (String key : plc == null ? java.util.Set.<String>of() : plc.keys()) {
                long i;
                try {
                    i = Long.parseLong(key.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(f.where() + ": per_layer_config key " + Json.write(key) + " is not a layer index");
                }
                if (i < 0 || i >= layers) {
                    throw new IllegalArgumentException(f.where() + ": per_layer_config key " + key + " is not a layer index in [0, " + layers + ")");
                }
                ConfigFields layer = plc.object(key);
                if (layer == null) {
                    throw new IllegalArgumentException(f.where() + ": per_layer_config " + key + " must be an object of overrides, got null");
                }
                for (String k : layer.keys()) {
                    if (!k.equals("head_dim") && !k.equals("num_key_value_heads")) {
                        throw new IllegalArgumentException(f.where() + ": per_layer_config " + key + " overrides " + Json.write(k)
                                + "; tensorinit reads head_dim and num_key_value_heads per layer only");
                    }
                    layer.refuseNull(k, "a positive integer");
                }
                overrides.put(i, new ModelConfig.Gemma4.Attention(layer.size("head_dim", global.headDim()),
                        layer.size("num_key_value_heads", global.kvHeads())));
            }
        } else {
            f.refuseNull("global_head_dim", "a positive integer");
            long globalHeadDim = f.size("global_head_dim", 512);
            // Read with attention_k_eq_v only (else popped and unused); null there means no override.
            long globalKv = kEqV && f.has("num_global_key_value_heads") ? f.size("num_global_key_value_heads") : global.kvHeads();
            ModelConfig.Gemma4.Attention full = new ModelConfig.Gemma4.Attention(globalHeadDim, globalKv);
            for (long i = 0; i < layers; i++) if (gemma4Type(layerTypes, layers, i).equals("full_attention")) overrides.put(i, full);
        }
        ModelConfig.Gemma4.Attention[] byType = {null, null};
        for (long i = 0; i < layers; i++) {
            int t = gemma4Type(layerTypes, layers, i).equals("full_attention") ? 1 : 0;
            ModelConfig.Gemma4.Attention a = overrides.getOrDefault(i, global);
            if (byType[t] == null) {
                byType[t] = a;
            } else if (!byType[t].equals(a)) {
                throw new IllegalArgumentException(f.where() + ": per_layer_config gives layer " + i + " (" + (t == 1 ? "full" : "sliding")
                        + "_attention) head_dim " + a.headDim() + " and num_key_value_heads " + a.kvHeads() + ", but an earlier layer of its "
                        + "type has " + byType[t].headDim() + " and " + byType[t].kvHeads() + "; transformers wants the same for every layer of a type");
            }
        }
        if (byType[0] == null) byType[0] = global;   // no sliding layer: unused
        return byType;
    }

    /**
     * Gemma 4's rope_parameters (or rope_scaling, when that key is there: it replaces them, and null is refused): null or
     * absent takes the class's (default for sliding layers, proportional for full ones);
     * else an object with an entry per layer type used (the rotary embedding looks each up: KeyError without, or with a null
     * entry, which the rotary embedding skips), an object whose rope_type (or "type"; default "default") tensorinit takes as
     * "default" or "proportional", with a numeric rope_theta (both read it) and, for proportional, a numeric
     * partial_rotary_factor when given (null fails there).
     */
    private static void gemma4Rope(ConfigFields f, long layers, List<String> layerTypes) {
        // A rope_scaling key, whatever it holds, replaces them: PreTrainedConfig sets it as an attribute after
        // Gemma4TextConfig's __post_init__ filled in rope_parameters, and its setter writes rope_parameters (QA: a flat
        // {"rope_type": "linear", ...} or a null rope_scaling was written beside valid rope_parameters; from_config failed).
        String key = f.present("rope_scaling") ? "rope_scaling" : "rope_parameters";
        if (key.equals("rope_scaling") && !f.has(key)) {
            throw new IllegalArgumentException(f.where() + ": rope_scaling is null, which Gemma4TextConfig takes as rope_parameters (and "
                    + "from_config then fails); remove it, and give the rope settings as rope_parameters");
        }
        if (key.equals("rope_scaling")) f.object("rope_parameters");   // still typed dict | None, though unread then
        if (!f.has(key)) return;
        ConfigFields rope = f.object(key);
        java.util.Set<String> used = new java.util.TreeSet<>();
        used.add("full_attention");
        for (long i = 0; i < layers && used.size() < 2; i++) used.add(gemma4Type(layerTypes, layers, i));
        for (String type : used) {
            if (!rope.present(type)) {
                throw new IllegalArgumentException(f.where() + ": " + key + " has no " + type + " entry (Gemma 4 wants one per layer "
                        + "type, e.g. {\"sliding_attention\": {\"rope_type\": \"default\", \"rope_theta\": 10000.0}, \"full_attention\": ...})");
            }
            ConfigFields one = rope.object(type);
            if (one == null) {
                // Gemma4TextRotaryEmbedding skips a null entry, but the model's forward looks up that type's cos/sin (KeyError, QA).
                throw new IllegalArgumentException(f.where() + ": " + key + "." + type + " is null; transformers builds the model, but its "
                        + "forward looks up the rotary embedding of every layer type used and fails: give its rope_type and rope_theta");
            }
            String ropeType = one.has("rope_type") ? one.text("rope_type") : one.has("type") ? one.text("type") : "default";
            if (!ropeType.equals("default") && !ropeType.equals("proportional")) {
                throw new IllegalArgumentException(f.where() + ": " + key + "." + type + " has rope_type " + Json.write(ropeType)
                        + "; tensorinit reads Gemma 4's default and proportional only");
            }
            one.refuseNull("rope_theta", "a number");
            if (!one.has("rope_theta")) throw new IllegalArgumentException(f.where() + ": " + key + "." + type + " has no rope_theta");
            one.number("rope_theta");
            if (ropeType.equals("proportional")) {
                one.refuseNull("partial_rotary_factor", "a number such as 0.25");
                one.number("partial_rotary_factor");
            }
        }
    }

    /**
     * GPT-NeoX as GPTNeoXConfig (5.18) builds it; each rule tried with from_config and a 4-token forward and backward. The
     * sizes must be written (the class defaults are GPT-NeoX-20B's); hidden_size must be a multiple of num_attention_heads
     * (validate_architecture). attention_bias (default true), use_parallel_residual, is_decoder and tie_word_embeddings
     * (default false) are plain bools, hidden_dropout and classifier_dropout float | int (nulls refused there).
     * pad_token_id shapes nothing (embed_in has no padding_idx: any int is taken). The rotary embedding rotates
     * int(d · factor) dimensions rounded up to even, d = a truthy head_dim or else hidden_size / heads, factor = the rope
     * object's partial_rotary_factor, else rotary_pct, else 0.25 (convert_rope_params_to_dict; a top-level
     * partial_rotary_factor is not read); the attention applies that many of each head's hidden_size / heads dimensions,
     * so more fails the forward (QA: hidden 20, 4 heads, rotary_pct 1.0 builds, then fails).
     */
    private static ModelConfig.GptNeox gptNeox(ConfigFields f, double range, Optional<DType> dtype) {
        long vocab = f.size("vocab_size"), hidden = f.size("hidden_size"), intermediate = f.size("intermediate_size");
        long layers = f.size("num_hidden_layers"), heads = f.size("num_attention_heads");
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden_size (" + hidden + ") must be a multiple of num_attention_heads (" + heads
                    + ") for gpt_neox: transformers' config class refuses it");
        }
        boolean bias = f.bool("attention_bias", true);   // query_key_value and dense
        boolean tie = f.bool("tie_word_embeddings", false);
        f.bool("use_parallel_residual", true);
        f.bool("is_decoder", false);
        for (String key : List.of("hidden_dropout", "classifier_dropout")) {
            f.refuseNull(key, "a number");
            f.number(key);
        }
        f.typed("pad_token_id", Long.class, true);
        long headSize = hidden / heads;
        OptionalLong headDim = f.integer("head_dim");   // read by the rotary embedding only (getattr(config, "head_dim") or ...)
        long rotaryBase = headDim.isPresent() && headDim.getAsLong() != 0 ? headDim.getAsLong() : headSize;
        String ropeType = ropeType(f);
        OptionalDouble inRope = ropeObjectFactor(f);
        double factor;
        if (inRope.isPresent()) {
            factor = inRope.getAsDouble();
        } else if (f.present("rotary_pct")) {
            f.refuseNull("rotary_pct", "a number such as 0.25");   // int(head_dim * None) fails building the model
            factor = f.number("rotary_pct").getAsDouble();
        } else {
            factor = 0.25;
        }
        long dim = (long) (rotaryBase * factor);
        if (dim < 0) {   // torch.arange(0, dim, 2) refuses a negative end when the model is built
            throw new IllegalArgumentException("gpt_neox's rotary embedding would rotate int(" + rotaryBase + " * " + factor + ") = " + dim
                    + " dimensions: a negative rotary width, which transformers' rotary embedding refuses");
        }
        requireDynamicWidth(ropeType, dim);
        // arange(0, dim, 2) frequencies, each used twice. A huge factor (1e19) saturates the cast at Long.MAX_VALUE, whose
        // round-up overflowed to a negative width that passed the check below; there transformers fails (int(inf), or an
        // arange of 10^19 elements).
        long rotated = dim == Long.MAX_VALUE ? dim : dim + dim % 2;
        // (A head of one dimension takes any width: its one value is broadcast against the cos/sin, QA: it runs.)
        if (rotated > headSize && headSize > 1) {
            throw new IllegalArgumentException("gpt_neox's rotary embedding rotates " + rotated + " dimensions (int(" + rotaryBase + " * " + factor
                    + ") = " + dim + (rotated != dim ? ", rounded up to pairs" : "") + ") but each head has hidden_size / num_attention_heads = "
                    + headSize + ": transformers builds a model whose forward fails (lower rotary_pct / partial_rotary_factor)");
        }
        ConfigFields rope = ropeObject(f);
        if ((rope == null || !rope.present("rope_theta")) && f.present("rotary_emb_base")) {
            f.refuseNull("rotary_emb_base", "a number such as 10000");   // the rotary embedding's base ** ... fails on None
            f.number("rotary_emb_base");
        }
        return new ModelConfig.GptNeox(vocab, hidden, intermediate, layers, heads, bias, tie, range, dtype);
    }

    /**
     * Phi as PhiConfig (5.18) builds it; each rule tried with from_config and a 4-token forward and backward. The sizes must be
     * written (the class defaults are phi-1.5's); num_key_value_heads (int | None: None is the heads) must divide the heads.
     * head_dim is no field of the class, but PhiAttention reads getattr(config, "head_dim", hidden_size // heads) (floor: the
     * heads need not divide hidden_size): a null or 0 fails building the model. qk_layernorm's LayerNorms are sized
     * hidden_size // heads whatever head_dim is, so another head_dim fails the forward. The attention rotates int(head_dim ·
     * factor) dimensions (factor: the rope object's partial_rotary_factor, else the top-level one, else 0.5; a null fails),
     * which must be even (or 1, which runs by broadcasting) and at most head_dim (else the forward fails). resid_pdrop and embd_pdrop are float | int;
     * attention_dropout is float | int | None, but a null fails the training forward (sdpa's dropout_p), so it is refused.
     * pad_token_id is embed_tokens' padding_idx.
     */
    private static ModelConfig.Phi phi(ConfigFields f, double range, Optional<DType> dtype) {
        long vocab = f.size("vocab_size"), hidden = f.size("hidden_size"), intermediate = f.size("intermediate_size");
        long layers = f.size("num_hidden_layers"), heads = f.size("num_attention_heads");
        long kvHeads = f.size("num_key_value_heads", heads);
        if (f.present("head_dim") && !f.has("head_dim")) {
            throw new IllegalArgumentException(f.where() + ": head_dim is null; PhiAttention reads it as the head size and fails on it "
                    + "(remove it for hidden_size // num_attention_heads)");
        }
        long headDim = f.has("head_dim") ? f.size("head_dim") : hidden / heads;
        if (headDim == 0) {
            throw new IllegalArgumentException("hidden_size (" + hidden + ") // num_attention_heads (" + heads + ") is 0: phi's heads would "
                    + "have no dimensions (give fewer heads or head_dim)");
        }
        boolean qkLayernorm = f.bool("qk_layernorm", false);
        if (qkLayernorm && headDim != hidden / heads) {
            throw new IllegalArgumentException("head_dim (" + headDim + ") must be hidden_size // num_attention_heads (" + hidden / heads
                    + ") with qk_layernorm: PhiAttention sizes q_layernorm and k_layernorm so, and the forward fails otherwise");
        }
        String ropeType = ropeType(f);
        OptionalDouble inRope = ropeObjectFactor(f);
        double factor;
        if (inRope.isPresent()) {
            factor = inRope.getAsDouble();
        } else if (f.present("partial_rotary_factor")) {
            f.refuseNull("partial_rotary_factor", "a number such as 0.5");   // PhiConfig then has none: KeyError building the model
            factor = f.number("partial_rotary_factor").getAsDouble();
        } else {
            factor = 0.5;
        }
        long rotary = (long) (headDim * factor);
        // (negative: torch.arange fails building the model; 1 runs, its one cos/sin pair broadcast over one dimension)
        if (rotary < 0 || rotary > 1 && rotary % 2 != 0 || rotary > headDim) {
            throw new IllegalArgumentException("phi rotates int(head_dim (" + headDim + ") * partial_rotary_factor (" + factor + ")) = " + rotary
                    + " dimensions of each head, which must be even (or 1), 0 or more and at most head_dim: transformers cannot build or run that model");
        }
        requireDynamicWidth(ropeType, rotary);
        boolean tie = f.bool("tie_word_embeddings", false);
        for (String key : List.of("resid_pdrop", "embd_pdrop")) {
            f.refuseNull(key, "a number");
            f.number(key);
        }
        if (f.present("attention_dropout") && !f.has("attention_dropout")) {
            throw new IllegalArgumentException(f.where() + ": attention_dropout is null; PhiForCausalLM builds, but in training its "
                    + "attention's dropout fails on it; write a number, or remove it for the class default 0.0");
        }
        OptionalLong pad = padRow(f, vocab, OptionalLong.empty());
        return new ModelConfig.Phi(vocab, hidden, intermediate, layers, heads, kvHeads, headDim, qkLayernorm, tie, pad, range, dtype);
    }

    /**
     * The rope settings every rotary type but Gemma 3's and 4's shares (transformers 5.18, probed with from_config and a
     * 4-token forward for 36 types): the rope object (a non-empty rope_scaling, else rope_parameters) must be an object
     * (a list or a string fails the config); its rope_type (or "type") one transformers knows and not null (KeyError
     * building); then what validate_rope requires (a missing key: KeyError) and what the rope's init function computes
     * with (a null or a string there fails building or the forward). validate_rope only warns on odd values (a factor
     * of 0, 0.5 or -1, beta_fast below beta_slow, high_freq_factor not above low_freq_factor): those models build and
     * run, so they are taken. {@code longropeWidth}: the rotary width, int(head_dim · partial_rotary_factor), where known.
     */
    private static void ropeSettings(ModelType type, ConfigFields f, OptionalLong longropeWidth) {
        ConfigFields rope = ropeObject(f);
        // Olmo3Config nests its rope by layer type (layer_types): a flat rope_parameters is unread, and a rope_scaling becomes
        // the full_attention layers' only when it names its rope_type (probed: "type", a bogus rope_parameters, a null
        // rope_theta there all built and ran).
        if (type == ModelType.OLMO3) {
            ConfigFields scaling = f.object("rope_scaling");
            if (scaling == null || scaling.isEmpty() || !scaling.present("rope_type")) {
                if (f.present("rope_theta")) ropeNumber(f, "rope_theta", false);   // its layers' default base (probed: null fails)
                return;
            }
        }
        // The base: the rope object's rope_theta, else the top-level one (convert_rope_params_to_dict's setdefault); a
        // null, a string or a list reaches base ** (arange / dim) and fails building (0 and negatives are taken). GPT-NeoX
        // reads rotary_emb_base instead, and Ministral3's default rope_parameters carry their own rope_theta (probed).
        if (rope != null && rope.present("rope_theta")) ropeNumber(rope, "rope_theta", false);
        else if (f.present("rope_theta") && type != ModelType.GPT_NEOX && type != ModelType.MINISTRAL3) ropeNumber(f, "rope_theta", false);
        // GPT-OSS's default rope is yarn, whose attention factor takes log(base) (another rope type takes 0: probed): 0 or less fails building (math domain error).
        if (type == ModelType.GPT_OSS && (rope == null || ropeType(f).equals("yarn"))) {
            ConfigFields base = rope != null && rope.present("rope_theta") ? rope : f.present("rope_theta") ? f : null;
            if (base != null && base.number("rope_theta").getAsDouble() <= 0) {
                throw new IllegalArgumentException(f.where() + ": rope_theta " + base.number("rope_theta").getAsDouble() + " is not positive: "
                        + "gpt_oss's yarn rope takes its logarithm and transformers cannot build the model");
            }
        }
        if (rope == null) return;
        // standardize_rope_params' setdefault keeps an explicit null rope_type, which ROPE_INIT_FUNCTIONS[None] fails on.
        String key = rope.present("rope_type") ? "rope_type" : "type";
        if (rope.present(key) && !rope.has(key)) {
            throw new IllegalArgumentException(f.where() + ": rope_scaling/rope_parameters " + key + " is null, which transformers "
                    + "cannot build (KeyError: None); give a rope type or remove it for \"default\"");
        }
        String ropeType = ropeType(f);
        switch (ropeType) {
            case "linear", "dynamic" -> ropeNumber(rope, "factor", false);   // required (KeyError); inv_freq / factor
            case "yarn" -> {
                // Required, but a null is taken (the yarn init defaults it: probed on 31 types).
                if (!rope.present("factor")) ropeNumber(rope, "factor", false);
                ropeNumber(rope, "factor", true);
                // Required, defaulted to max_position_embeddings when absent; divides (0: ZeroDivisionError in the config).
                if (rope.present("original_max_position_embeddings")) {
                    ropeNumber(rope, "original_max_position_embeddings", false);
                    if (rope.number("original_max_position_embeddings").getAsDouble() == 0) {
                        throw new IllegalArgumentException(f.where() + ": rope_scaling original_max_position_embeddings is 0: the yarn "
                                + "rope divides by it (transformers refuses the config: ZeroDivisionError)");
                    }
                }
                // Optional, None for the defaults; a string fails building (beta_*) or the forward (attention_factor).
                for (String k : List.of("beta_fast", "beta_slow", "attention_factor")) ropeNumber(rope, k, true);
            }
            case "longrope" -> {
                ropeNumber(rope, "factor", true);
                ropeNumber(rope, "attention_factor", true);
                // factor None is taken as max_position_embeddings / original_max_position_embeddings: both null fails building.
                if (type != ModelType.PHI3   // (Phi3Config's top-level original_max_position_embeddings wins: probed)
                        && !rope.has("factor") && rope.present("original_max_position_embeddings") && !rope.has("original_max_position_embeddings")) {
                    throw new IllegalArgumentException(f.where() + ": the longrope rope has neither a factor nor an "
                            + "original_max_position_embeddings (both null): transformers cannot build it; give factor");
                }
                // Both required (KeyError); validate_rope takes len() of each, and short_factor becomes the tensor that
                // scales inv_freq at build time: a list of numbers of the rotary width's half (or 1, broadcast).
                for (String k : List.of("short_factor", "long_factor")) {
                    if (!rope.has(k) || rope.raw(k) instanceof Number || rope.raw(k) instanceof Boolean) {
                        throw new IllegalArgumentException(f.where() + ": the longrope rope needs " + k + " (a list of numbers), got "
                                + (rope.present(k) ? Json.write(rope.raw(k)) : "none") + ": transformers refuses the config or cannot build the model");
                    }
                }
                if (!(rope.raw("short_factor") instanceof List<?> shortFactor) || !shortFactor.stream().allMatch(x -> x instanceof Number)) {
                    throw new IllegalArgumentException(f.where() + ": the longrope rope's short_factor must be a list of numbers, got "
                            + Json.write(rope.raw("short_factor")) + ": transformers cannot build the model");
                }
                if (longropeWidth.isPresent() && shortFactor.size() != longropeWidth.getAsLong() / 2 && shortFactor.size() != 1) {
                    throw new IllegalArgumentException(f.where() + ": the longrope rope's short_factor has " + shortFactor.size() + " entries "
                            + "but the rotary width " + longropeWidth.getAsLong() + " has " + longropeWidth.getAsLong() / 2
                            + " frequencies: transformers cannot build the model");
                }
            }
            case "llama3" -> {
                // All required (KeyError), and computed with: a null or a string fails the config or building.
                for (String k : List.of("factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings")) {
                    if (!rope.present(k)) {
                        throw new IllegalArgumentException(f.where() + ": the llama3 rope needs " + k + ": transformers refuses the config "
                                + "(missing required key)");
                    }
                    ropeNumber(rope, k, false);
                }
            }
            default -> { }
        }
        // Per class (probed): Phi3Config's validate_rope refuses every rope but the default and longrope ones (yarn becomes a
        // longrope without its factors); Mixtral's rotary embedding reads head_dim (None unless given) for the dynamic, yarn
        // and longrope ropes; the proportional rope fails building (KeyError: 'factor') or the forward for DeepSeek's, GLM-4-MoE-Lite's and Phi's.
        if (type == ModelType.PHI3 && !ropeType.equals("default") && !ropeType.equals("longrope")
                || type == ModelType.MIXTRAL && !f.has("head_dim") && List.of("dynamic", "yarn", "longrope").contains(ropeType)
                || ropeType.equals("proportional") && List.of(ModelType.DEEPSEEK_V2, ModelType.DEEPSEEK_V3, ModelType.DEEPSEEK_V32,
                        ModelType.GLM4_MOE_LITE, ModelType.PHI, ModelType.PHI3, ModelType.MINISTRAL3).contains(type)) {
            throw new IllegalArgumentException(f.where() + ": rope_type " + Json.write(ropeType) + " is one " + type.hfClass() + " (transformers 5.18) "
                    + (type == ModelType.MIXTRAL ? "cannot build without head_dim (give head_dim)" : "cannot build or run"));
        }
        // Qwen3.5's rotary embedding interleaves its frequencies by mrope_section's first three entries: fewer (or a null)
        // builds, but the forward fails (probed: [1, 1], "x", null; [0, 0, 0] and four entries run). Other types ignore it.
        if ((type == ModelType.QWEN3_5_TEXT || type == ModelType.QWEN3_5_MOE_TEXT) && rope.present("mrope_section")
                && !(rope.raw("mrope_section") instanceof List<?> section && section.size() >= 3)) {
            throw new IllegalArgumentException(f.where() + ": mrope_section " + Json.write(rope.raw("mrope_section")) + " must be a list of "
                    + "3 sizes: " + type.hfClass() + " builds, but its forward fails");
        }
        // Ministral3's attention scales queries by the rope object's llama_4_scaling_beta and original_max_position_embeddings
        // (its default rope_parameters carry both): a rope object without them builds, but its forward fails (probed).
        if (type == ModelType.MINISTRAL3) {   // (an explicit {} too: probed)
            for (String k : List.of("llama_4_scaling_beta", "original_max_position_embeddings")) {
                boolean defaulted = k.startsWith("original") && !rope.present(k) && List.of("yarn", "llama3", "longrope").contains(ropeType);
                if (!defaulted && !(rope.raw(k) instanceof Number)) {
                    throw new IllegalArgumentException(f.where() + ": ministral3's rope_scaling/rope_parameters need " + k + " (a number), got "
                            + (rope.present(k) ? Json.write(rope.raw(k)) : "none") + ": transformers builds the model, but its forward fails");
                }
            }
        }
    }

    /** Whether the rope object names the longrope rope (whose short_factor's length depends on the rotary width). */
    private static boolean isLongrope(ConfigFields f) {
        ConfigFields rope = ropeObject(f);
        return rope != null && ("longrope".equals(rope.raw("rope_type")) || !rope.present("rope_type") && "longrope".equals(rope.raw("type")));
    }

    /**
     * The rotary width the longrope init takes (int(head_dim · partial_rotary_factor), head_dim getattr(config, "head_dim")
     * or hidden_size // heads: DeepSeek's and GLM-4-MoE-Lite's are qk_rope_head_dim) for the types decoder() does not read;
     * the factor is the rope object's, else the top-level one, else the class default (GPT-NeoX: rotary_pct, 0.25; Phi
     * 0.5; Qwen3-Next and Qwen3.5 0.25; the others 1.0). Probed: lr_ok built, one frequency more failed, for all twelve.
     */
    private static long longropeWidth(ModelType type, ConfigFields f, ModelConfig config) {
        if (config instanceof ModelConfig.GptNeox n) {
            OptionalLong given = f.integer("head_dim");
            long base = given.isPresent() && given.getAsLong() != 0 ? given.getAsLong() : n.hidden() / n.heads();
            OptionalDouble inRope = ropeObjectFactor(f);
            double factor = inRope.isPresent() ? inRope.getAsDouble() : f.has("rotary_pct") ? f.number("rotary_pct").getAsDouble() : 0.25;
            return (long) (base * factor);
        }
        long headDim = config instanceof ModelConfig.Decoder d ? d.headDim() : config instanceof ModelConfig.Hybrid h ? h.base().headDim()
                : config instanceof ModelConfig.Phi p ? p.headDim() : ((ModelConfig.Starcoder2) config).headDim();
        double absent = type == ModelType.PHI ? 0.5 : type.hybrid() ? 0.25 : 1.0;
        return (long) (headDim * partialRotaryFactor(f, absent));
    }

    /** A rope setting that transformers computes with: a number (a bool is an int there), null only where {@code nullable}. */
    private static void ropeNumber(ConfigFields rope, String key, boolean nullable) {
        if (!rope.present(key)) {
            if (key.equals("factor") && !nullable) {
                throw new IllegalArgumentException(rope.where() + ": the rope needs factor (a number): transformers refuses the config "
                        + "(missing required key)");
            }
            return;
        }
        Object v = rope.raw(key);
        if (v == null || v == Json.NULL ? nullable : v instanceof Number || v instanceof Boolean) return;
        throw new IllegalArgumentException(rope.where() + ": " + key + " must be a number, got " + Json.write(v)
                + ": transformers refuses the config or cannot build or run the model");
    }

    /** transformers 5.18's rope types: "default" and ROPE_INIT_FUNCTIONS' keys (another fails building the model: KeyError). */
    private static final List<String> ROPE_TYPES = List.of("default", "dynamic", "linear", "llama3", "longrope", "proportional", "yarn");

    /**
     * The dynamic rope (_compute_dynamic_ntk_parameters) raises its base to dim / (dim - 2), dim the rotary width: a width of 2
     * divides by zero building the model (QA: gpt_neox at head size 8 and rotary_pct 0.25).
     */
    private static void requireDynamicWidth(String ropeType, long width) {
        if (ropeType.equals("dynamic") && width == 2) {
            throw new IllegalArgumentException("the dynamic rope over a rotary width of 2 divides by zero (its base is raised to dim / (dim - 2)): "
                    + "transformers cannot build this model; rotate more dimensions or use another rope type");
        }
    }

    /**
     * The rope object's rope_type (or "type"; "default" when none), refused unless transformers 5.18 knows it: GPT-NeoX's, Phi's
     * and StarCoder2's rotary embeddings look other types up in ROPE_INIT_FUNCTIONS and fail building the model (QA: KeyError).
     */
    private static String ropeType(ConfigFields f) {
        ConfigFields rope = ropeObject(f);
        String t = rope == null ? "default" : rope.has("rope_type") ? rope.text("rope_type") : rope.has("type") ? rope.text("type") : "default";
        if (!ROPE_TYPES.contains(t)) {
            throw new IllegalArgumentException(f.where() + ": rope_type " + Json.write(t) + " is not one transformers (5.18) knows ("
                    + String.join(", ", ROPE_TYPES) + "): building the model fails");
        }
        return t;
    }

    /**
     * StarCoder2 as Starcoder2Config (5.18) builds it; each rule tried with from_config and a 4-token forward and backward. The
     * sizes and num_key_value_heads (a plain int there, default 2, null refused) must be written. head_dim is no field of the
     * class, but Starcoder2Attention reads getattr(config, "head_dim", None) or hidden_size // heads (floored): null and 0 mean
     * the latter, a floor of 0 fails; the rotary embedding rotates all of it, so an odd one is refused (validate_rope refuses
     * those above 4, 3 fails the forward; 1 runs, by broadcasting). The default rope ignores partial_rotary_factor, but the
     * other rope types apply it (the rope object's, else the top-level one) and the attention rotates all of head_dim, so a
     * factor that changes the width fails the forward; an unknown rope type fails building. use_bias (default true) biases
     * q/k/v/o and c_fc/c_proj; tie_word_embeddings defaults to true. sliding_window (int | None) must be positive when
     * given (0 or less fails the forward); layer_types may name full_attention and sliding_attention only (chunked_attention
     * fails: no attention_chunk_size), and a sliding_attention layer needs a sliding_window. residual_dropout and
     * embedding_dropout are float | int (null refused); pad_token_id is embed_tokens' padding_idx.
     */
    private static ModelConfig.Starcoder2 starcoder2(ConfigFields f, double range, Optional<DType> dtype) {
        long vocab = f.size("vocab_size"), hidden = f.size("hidden_size"), intermediate = f.size("intermediate_size");
        long layers = f.size("num_hidden_layers"), heads = f.size("num_attention_heads");
        long kvHeads = f.size("num_key_value_heads");   // Starcoder2Config's default 2 rarely fits a hand-made config
        OptionalLong given = f.integer("head_dim");
        if (given.isPresent() && given.getAsLong() < 0) {
            throw new IllegalArgumentException(f.where() + ": head_dim must be a positive integer, got " + given.getAsLong());
        }
        long headDim = given.isPresent() && given.getAsLong() != 0 ? given.getAsLong() : hidden / heads;
        String what = given.isPresent() && given.getAsLong() != 0 ? "head_dim (" + headDim + ")"
                : "head_dim = hidden_size // num_attention_heads (" + hidden + " // " + heads + " = " + headDim + ")";
        if (headDim == 0) {
            throw new IllegalArgumentException(what + " is 0: starcoder2's heads would have no dimensions (give fewer heads or head_dim)");
        }
        if (headDim > 1 && headDim % 2 != 0) {
            throw new IllegalArgumentException(what + " must be even: rotary embeddings rotate pairs of dimensions");
        }
        ConfigFields rope = ropeObject(f);
        String ropeType = ropeType(f);
        // (The proportional rope pads its frequencies to all of head_dim whatever the factor: probed, 0.5 runs.)
        if (!ropeType.equals("default") && !ropeType.equals("proportional")) {
            double factor;
            if (rope.present("partial_rotary_factor")) {
                rope.refuseNull("partial_rotary_factor", "a number such as 1.0");
                factor = rope.number("partial_rotary_factor").getAsDouble();
            } else {
                factor = topLevelFactor(f, 1.0);   // (a top-level null: 1.0, QA)
            }
            long width = (long) (headDim * factor);
            requireDynamicWidth(ropeType, width);
            if (width < 0 || width + width % 2 != headDim && headDim > 1) {   // (head_dim 1 broadcasts, QA: it runs)
                throw new IllegalArgumentException("partial_rotary_factor (" + factor + ") makes starcoder2's " + ropeType + " rotary embedding "
                        + "rotate " + width + " of head_dim's " + headDim + " dimensions, but its attention rotates all of them: transformers "
                        + "builds a model whose forward fails (leave partial_rotary_factor out, or 1.0)");
            }
        }
        boolean bias = f.bool("use_bias", true);
        boolean tie = f.bool("tie_word_embeddings", true);
        f.typed("sliding_window", Long.class, true);
        if (f.has("sliding_window") && f.integer("sliding_window").getAsLong() <= 0) {
            throw new IllegalArgumentException(f.where() + ": sliding_window must be a positive integer or null, got " + f.integer("sliding_window").getAsLong()
                    + " (transformers builds the model, but its sliding-window mask then fails the forward)");
        }
        if (f.has("layer_types")) {
            for (Object e : f.list("layer_types")) {
                if (!(e instanceof String name)) continue;   // (refused by layerTypes)
                if (!name.equals("full_attention") && !name.equals("sliding_attention")) {
                    throw new IllegalArgumentException(f.where() + ": layer_types holds " + Json.write(name) + "; tensorinit reads starcoder2 "
                            + "layers of types full_attention and sliding_attention only (chunked_attention fails its forward)");
                }
                if (name.equals("sliding_attention") && !f.has("sliding_window")) {
                    throw new IllegalArgumentException(f.where() + ": layer_types has sliding_attention layers but sliding_window is null or "
                            + "absent: transformers builds the model, but its forward fails; give sliding_window");
                }
            }
        }
        for (String key : List.of("residual_dropout", "embedding_dropout")) {
            f.refuseNull(key, "a number");
            f.number(key);
        }
        OptionalLong pad = padRow(f, vocab, OptionalLong.empty());
        return new ModelConfig.Starcoder2(vocab, hidden, intermediate, layers, heads, kvHeads, headDim, bias, tie, pad, range, dtype);
    }

    private static ModelConfig.Gpt2 gpt2(ConfigFields f, double range, Optional<DType> dtype) {
        refuseCrossAttention(f);
        long embed = f.sizeAlias("n_embd", "hidden_size");
        if (!f.has("n_inner") && embed > Long.MAX_VALUE / 4) {
            throw new IllegalArgumentException("n_embd (" + embed + ") is too large: n_inner defaults to 4 * n_embd, more than 2^63-1");
        }
        long inner = f.size("n_inner", 4 * embed);
        return new ModelConfig.Gpt2(f.size("vocab_size"), embed, f.sizeAlias("n_positions", "max_position_embeddings"),
                f.sizeAlias("n_layer", "num_hidden_layers"), f.sizeAlias("n_head", "num_attention_heads"), inner,
                f.bool("tie_word_embeddings", true), range, dtype);
    }

    private static ModelConfig.Bert bert(ConfigFields f, double range, Optional<DType> dtype) {
        refuseCrossAttention(f);
        long vocab = f.size("vocab_size");
        f.refuseNull("type_vocab_size", "a positive integer");
        // BertConfig's pad_token_id defaults to 0, and BertEmbeddings passes it as padding_idx.
        return new ModelConfig.Bert(vocab, f.size("hidden_size"), f.size("intermediate_size"), f.size("num_hidden_layers"),
                f.size("num_attention_heads"), f.size("max_position_embeddings"), f.size("type_vocab_size", 2),
                padRow(f, vocab, OptionalLong.of(0)), range, dtype);
    }

    private static void refuseCrossAttention(ConfigFields f) {
        if (f.bool("add_cross_attention", false)) {
            throw new IllegalArgumentException("add_cross_attention = true is not supported (it adds cross-attention weights)");
        }
    }

    /** torch.nn.Embedding's padding_idx rule: -vocab <= id < vocab, negatives counted from the end. */
    private static OptionalLong padRow(ConfigFields f, long vocab, OptionalLong dflt) {
        OptionalLong id = f.present("pad_token_id") ? f.integer("pad_token_id") : dflt;
        if (id.isEmpty()) return id;
        long p = id.getAsLong();
        if (p >= vocab || p < -vocab) {
            throw new IllegalArgumentException("pad_token_id " + p + (f.present("pad_token_id") ? "" : " (the config class's default)")
                    + " is outside the vocabulary of " + vocab + " tokens" + (f.present("pad_token_id") ? "" : "; set pad_token_id"));
        }
        return OptionalLong.of(p < 0 ? p + vocab : p);
    }

    private static Optional<DType> dtype(ConfigFields f) {
        String key = f.has("dtype") ? "dtype" : "torch_dtype";
        String d = f.text(key);
        if (d == null) return Optional.empty();
        // from_config takes getattr(torch, dtype), exactly as written: torch.half is float16 and torch.float is float32;
        // float64 (double) is a torch float tensorinit does not write: f32 then, the copy saying so (documented).
        return switch (d) {
            case "float32", "float" -> Optional.of(DType.F32);
            case "bfloat16" -> Optional.of(DType.BF16);
            case "float16", "half" -> Optional.of(DType.F16);
            case "float64", "double" -> Optional.empty();
            // "bf16", "torch.bfloat16", "BFloat16", "auto": no torch dtype, so transformers cannot load this config, and
            // writing f32 in silence gave twice the bytes someone who meant bf16 asked for; int8 and the like are no
            // float dtype a model can be built in.
            default -> throw new IllegalArgumentException(key + " '" + d + "' is not a floating-point torch dtype name (transformers "
                    + "refuses it); write float32, bfloat16 or float16");
        };
    }
}

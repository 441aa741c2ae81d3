package dev.tensorinit.cli.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Hugging Face {@code model_type}s we can lay out, and the class whose {@code state_dict()} we match:
 * the one {@code AutoModelForCausalLM.from_config} builds for the decoders, and {@code AutoModel}'s
 * {@code BertModel} (with its pooler) for BERT, which has no causal-LM class of its own by default.
 */
public enum ModelType {
    LLAMA("llama", "LlamaForCausalLM"),
    MISTRAL("mistral", "MistralForCausalLM"),
    QWEN2("qwen2", "Qwen2ForCausalLM"),
    QWEN3("qwen3", "Qwen3ForCausalLM"),
    GEMMA("gemma", "GemmaForCausalLM"),
    GEMMA2("gemma2", "Gemma2ForCausalLM"),
    GEMMA3_TEXT("gemma3_text", "Gemma3ForCausalLM"),
    PHI3("phi3", "Phi3ForCausalLM"),
    OLMO2("olmo2", "Olmo2ForCausalLM"),
    OLMO3("olmo3", "Olmo3ForCausalLM"),
    SMOLLM3("smollm3", "SmolLM3ForCausalLM"),
    GRANITE("granite", "GraniteForCausalLM"),
    GRANITEMOE("granitemoe", "GraniteMoeForCausalLM"),
    GRANITEMOESHARED("granitemoeshared", "GraniteMoeSharedForCausalLM"),
    MINISTRAL3("ministral3", "Ministral3ForCausalLM"),
    SEED_OSS("seed_oss", "SeedOssForCausalLM"),
    NANOCHAT("nanochat", "NanoChatForCausalLM"),
    MIXTRAL("mixtral", "MixtralForCausalLM"),
    QWEN2_MOE("qwen2_moe", "Qwen2MoeForCausalLM"),
    QWEN3_MOE("qwen3_moe", "Qwen3MoeForCausalLM"),
    OLMOE("olmoe", "OlmoeForCausalLM"),
    MINIMAX_M2("minimax_m2", "MiniMaxM2ForCausalLM"),
    DEEPSEEK_V2("deepseek_v2", "DeepseekV2ForCausalLM"),
    DEEPSEEK_V3("deepseek_v3", "DeepseekV3ForCausalLM"),
    DEEPSEEK_V32("deepseek_v32", "DeepseekV32ForCausalLM"),
    GLM4_MOE_LITE("glm4_moe_lite", "Glm4MoeLiteForCausalLM"),
    GLM4_MOE("glm4_moe", "Glm4MoeForCausalLM"),
    GPT_OSS("gpt_oss", "GptOssForCausalLM"),
    LLAMA4_TEXT("llama4_text", "Llama4ForCausalLM"),
    GPT2("gpt2", "GPT2LMHeadModel"),
    QWEN3_NEXT("qwen3_next", "Qwen3NextForCausalLM"),
    QWEN3_5_TEXT("qwen3_5_text", "Qwen3_5ForCausalLM"),
    QWEN3_5_MOE_TEXT("qwen3_5_moe_text", "Qwen3_5MoeForCausalLM"),
    BERT("bert", "BertModel"),
    GEMMA4_TEXT("gemma4_text", "Gemma4ForCausalLM"),
    GPT_NEOX("gpt_neox", "GPTNeoXForCausalLM"),
    PHI("phi", "PhiForCausalLM"),
    STARCODER2("starcoder2", "Starcoder2ForCausalLM");

    private final String id;
    private final String hfClass;

    ModelType(String id, String hfClass) {
        this.id = id;
        this.hfClass = hfClass;
    }

    public String id() { return id; }

    /** The transformers class whose saved state_dict the checkpoint reproduces. */
    public String hfClass() { return hfClass; }

    /** Gemma 1-3: RMSNorms applied as (1 + weight), tied embeddings, pad row 0 and head_dim 256 by default. */
    public boolean gemmaFamily() { return this == GEMMA || this == GEMMA2 || this == GEMMA3_TEXT; }

    /**
     * Mixtral, Qwen2-MoE, Qwen3-MoE, OLMoE, MiniMax-M2, DeepSeek-V2, -V3 and -V3.2, GLM-4-MoE(-Lite), GPT-OSS, Llama 4, Qwen3-Next,
     * Qwen3.5-MoE and Granite MoE (shared): mixture-of-experts decoders.
     */
    public boolean moe() { return unfusesExperts() || this == GPT_OSS || this == LLAMA4_TEXT || graniteMoe(); }

    /**
     * Granite MoE (GraniteMoeForCausalLM) and Granite MoE with a shared expert (GraniteMoeSharedForCausalLM): Granite's
     * attention and every layer a {@code block_sparse_moe} of fused experts held [E, out, in] (each used as F.linear). transformers
     * 5.18's "granitemoe" conversion (granitemoeshared maps to it) only renames: save_pretrained writes experts.gate_up_proj as
     * input_linear.weight, experts.down_proj as output_linear.weight and router.weight as router.layer.weight, 3-D and 2-D as held,
     * but walks the state_dict sorted ({@link SaveOrder}) by the names the model holds, as for the unfused MoE types.
     */
    public boolean graniteMoe() { return this == GRANITEMOE || this == GRANITEMOESHARED; }

    /**
     * The MoE types but GPT-OSS and Llama 4: transformers keeps each layer's experts fused in memory and save_pretrained writes them
     * back as one 2-D Linear weight per expert, in its own order (see {@link SaveOrder}). GPT-OSS and Llama 4 have no such
     * conversion: their fused expert tensors are saved as they are, 3-D, in registration order.
     */
    public boolean unfusesExperts() {
        return this == MIXTRAL || this == QWEN2_MOE || this == QWEN3_MOE || this == OLMOE || this == MINIMAX_M2 || latentAttention()
                || this == GLM4_MOE || this == QWEN3_NEXT || this == QWEN3_5_MOE_TEXT;
    }

    /**
     * Qwen3-Next, Qwen3.5 and Qwen3.5-MoE (text): hybrid decoders whose layer_types mix linear_attention layers
     * (GatedDeltaNet, under {@code linear_attn}) with gated full_attention layers, and whose RMSNorms are (1 + weight).
     * (transformers 5.18 converts Qwen3-Next's and Qwen3.5-MoE's experts as Qwen2-MoE's when saving: checked with a real
     * save_pretrained, experts saved one Linear each in name order; Qwen3.5's dense model keeps registration order.)
     */
    public boolean hybrid() { return this == QWEN3_NEXT || this == QWEN3_5_TEXT || this == QWEN3_5_MOE_TEXT; }

    /**
     * Mixtral and MiniMax-M2: transformers' "mixtral" weight conversion saves each sparse layer under
     * {@code block_sparse_moe.} with experts.N.w1 (gate), w2 (down) and w3 (up), as the checkpoints before transformers 5 had them.
     */
    public boolean blockSparseMoe() { return this == MIXTRAL || this == MINIMAX_M2; }

    /** DeepSeek-V2, -V3 and -V3.2: latent attention, dense first layers, routed and shared experts. */
    public boolean deepseek() { return this == DEEPSEEK_V2 || this == DEEPSEEK_V3 || this == DEEPSEEK_V32; }

    /**
     * DeepSeek's multi-head latent attention (DeepseekV2/V3/V32Attention) and the classes that copy it with DeepSeek-V3's
     * MoE: GLM-4-MoE-Lite (Glm4MoeLiteAttention, the GLM-4.7-Flash shape).
     */
    public boolean latentAttention() { return deepseek() || this == GLM4_MOE_LITE; }

    /**
     * DeepSeek-V2, -V3 and -V3.2, GLM-4-MoE and GLM-4-MoE-Lite: a sparse layer's experts come with one shared-experts MLP
     * ({@code mlp.shared_experts}, moe_intermediate_size · n_shared_experts wide), and some layers are dense: the first
     * {@code first_k_dense_replace}, or those mlp_layer_types names (V3.2, -Lite; -Lite without it: layer 0).
     */
    public boolean sharedExperts() { return latentAttention() || this == GLM4_MOE; }

    /** DeepSeek-V3 and -V3.2, GLM-4-MoE(-Lite): the router saves its e_score_correction_bias buffer (zeros) with the weights. */
    public boolean routerBiasBuffer() { return this == DEEPSEEK_V3 || this == GLM4_MOE || routerBiasF32(); }

    /**
     * GLM-4-MoE, DeepSeek-V3.2 and GLM-4-MoE-Lite: the router's buffer is made float32 whatever the model's dtype, and saved
     * so (their TopkRouter creates it with dtype=torch.float32; checked with a bf16 from_config + save_pretrained).
     */
    public boolean routerBiasF32() { return this == GLM4_MOE || this == DEEPSEEK_V32 || this == GLM4_MOE_LITE; }

    /**
     * The config classes that fill in a default layer_types when the config has none (transformers 5.18: Qwen2, Qwen3,
     * Gemma 2 and 3, Qwen2-MoE, GPT-OSS, Llama 4, OLMo 3, SmolLM3, DeepSeek-V3.2: "indexed_attention" per layer; Gemma 4; Qwen3-Next,
     * Qwen3.5(-MoE): from full_attention_interval), so that
     * validate_layer_type checks mlp_layer_types for them even then.
     */
    public boolean defaultLayerTypes() {
        return this == QWEN2 || this == QWEN3 || this == GEMMA2 || this == GEMMA3_TEXT || this == QWEN2_MOE || this == GPT_OSS
                || this == LLAMA4_TEXT || this == OLMO3 || this == SMOLLM3 || this == DEEPSEEK_V32 || this == GEMMA4_TEXT || hybrid();
    }

    public static String supported() {
        return Arrays.stream(values()).map(ModelType::id).collect(Collectors.joining(", "));
    }

    /**
     * transformers looks {@code model_type} up exactly (CONFIG_MAPPING[model_type]): "LLAMA" or " llama" is a config
     * it cannot load, and the checkpoint carries a copy of it, so only the exact name is taken.
     */
    public static ModelType parse(String modelType) {
        for (ModelType m : values()) if (m.id.equals(modelType)) return m;
        String t = modelType.strip().toLowerCase(Locale.ROOT);
        for (ModelType m : values()) {
            if (m.id.equals(t)) {
                throw new IllegalArgumentException("model_type '" + modelType + "' must be written '" + m.id
                        + "': transformers matches it exactly and could not load this config");
            }
        }
        throw new IllegalArgumentException("unsupported model_type '" + modelType + "' (supported: " + supported() + ")");
    }
}

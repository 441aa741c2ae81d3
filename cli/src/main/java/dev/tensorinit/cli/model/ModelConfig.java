package dev.tensorinit.cli.model;

import dev.tensorinit.DType;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A parsed and validated Hugging Face config: only what decides the tensors' names, shapes and
 * initial values. Sizes are longs; every record checks its own invariants.
 */
public sealed interface ModelConfig {

    ModelType type();

    /** {@code initializer_range}: the std of every normal init under the hf scheme. */
    double initializerRange();

    /** {@code num_hidden_layers} (GPT-2's {@code n_layer}). */
    long layers();

    /** The config's {@code dtype} (or older {@code torch_dtype}) when it is one we write. */
    Optional<DType> dtype();

    /** The fields that decide the shapes, as config.json names them, for a message: "vocab_size = 1000, hidden_size = 64, ...". */
    String sizes();

    /** Grouped-query attention: each key/value head serves num_attention_heads / num_key_value_heads query heads. */
    static void requireKvGroups(long heads, long kvHeads) {
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + heads + ") must be a multiple of num_key_value_heads (" + kvHeads + ")");
        }
    }

    /**
     * Llama, Mistral, Qwen2, Qwen3 and Gemma 1-3: one layout, different bias switches and norms (see the methods
     * below, which follow from the type). {@code headDim} is the config's {@code head_dim} or the class's default;
     * {@code padTokenId} already wrapped into [0, vocab); {@code qkNorms}: an RMSNorm of head_dim on the queries and on the
     * keys (self_attn.q_norm, k_norm), as Qwen3, Qwen3-MoE, Gemma 3 and GLM-4-MoE with use_qk_norm have.
     */
    record Decoder(ModelType type, long vocab, long hidden, long intermediate, long layers, long heads, long kvHeads,
                   long headDim, boolean tieEmbeddings, boolean qkvBias, boolean outBias, boolean mlpBias,
                   OptionalLong padTokenId, double initializerRange, Optional<DType> dtype, Optional<Moe> moe, Optional<Mla> mla,
                   boolean qkNorms)
            implements ModelConfig {
        public Decoder {
            if (mla.isPresent() != type.latentAttention()) throw new IllegalArgumentException(type.id() + ": latent attention is DeepSeek's");
            if (moe.isPresent() != type.moe()) throw new IllegalArgumentException(type.id() + (type.moe() ? " needs" : " has no") + " experts");
            requireKvGroups(heads, kvHeads);
        }

        public String sizes() {
            return "vocab_size = " + vocab + ", hidden_size = " + hidden + (llama4() ? ", intermediate_size_mlp = " : ", intermediate_size = ")
                    + intermediate + ", num_hidden_layers = "
                    + layers + ", num_attention_heads = " + heads + ", num_key_value_heads = " + kvHeads + ", head_dim = " + headDim
                    + moe.map(m -> ", " + m.sizes()).orElse("") + mla.map(m -> ", " + m.sizes()).orElse("");
        }

        /** Whether layer {@code layer}'s MLP is a mixture of experts (else the dense gate/up/down of intermediate_size). */
        public boolean sparse(long layer) { return moe.isPresent() && moe.get().sparse(layer); }

        /** Gemma 2 and 3: norms before and after the MLP too (pre_ and post_feedforward_layernorm). */
        public boolean feedForwardNorms() { return type == ModelType.GEMMA2 || type == ModelType.GEMMA3_TEXT; }

        /** Gemma 1-3: every RMSNorm scales by (1 + weight), so its weight starts at zeros. */
        public boolean offsetNorms() { return type.gemmaFamily(); }

        /** Phi-3: attention's q, k and v in one qkv_proj (registered after o_proj), the MLP's gate and up in one gate_up_proj. */
        public boolean fusedProjections() { return type == ModelType.PHI3; }

        /**
         * GPT-OSS: a learned sink logit per head (self_attn.sinks), a router with a bias (mlp.router), and its experts saved
         * fused as they are held: gate_up_proj [E, hidden, 2·intermediate], down_proj [E, intermediate, hidden], each with a
         * bias per expert.
         */
        public boolean gptOss() { return type == ModelType.GPT_OSS; }

        /**
         * Llama 4 (text): every module under {@code feed_forward}. A dense layer is a gated MLP of {@code intermediate}
         * (intermediate_size_mlp); a sparse one holds its experts fused and saved so, gate_up_proj [E, hidden, 2·I] and
         * down_proj [E, I, hidden] (I: intermediate_size, used as x @ W[e]), a bias-free router Linear [E, hidden] and one
         * shared expert, a gated MLP of I.
         */
        public boolean llama4() { return type == ModelType.LLAMA4_TEXT; }

        /**
         * OLMo 2: RMSNorms over the whole q and k projections (not per head), and norms after attention and after the MLP
         * only (post_attention_ and post_feedforward_layernorm; no input_layernorm).
         */
        public boolean olmo2Norms() { return type == ModelType.OLMO2 || type == ModelType.OLMO3; }

        /**
         * RMSNorms over the whole q and k projections (self_attn.q_norm [heads·head_dim], k_norm [kv heads·head_dim]): OLMo 2
         * and 3, and with the usual input_ and post_attention_layernorm OLMoE (OlmoeAttention: hidden_size and
         * (hidden / heads)·kv heads, the same since its head_dim must be hidden / heads) and MiniMax-M2 (MiniMaxM2Attention).
         */
        public boolean projectionQkNorms() { return olmo2Norms() || type == ModelType.OLMOE || type == ModelType.MINIMAX_M2; }

        /**
         * NanoChat: RMSNorms without weights (nothing saved for input_layernorm, post_attention_layernorm, q/k norms or
         * model.norm), an MLP of fc1 [intermediate, hidden] and fc2 [hidden, intermediate] without biases, and o_proj drawn
         * with initializer_range / sqrt(2 · num_hidden_layers) (NanoChatPreTrainedModel._init_weights).
         */
        public boolean nanochat() { return type == ModelType.NANOCHAT; }
    }

    /**
     * DeepSeek's multi-head latent attention: queries through a rank-{@code qLoraRank} bottleneck (q_a_proj, q_a_layernorm,
     * q_b_proj) or one q_proj when it is empty; keys and values through kv_a_proj_with_mqa [kvLoraRank + ropeDim, hidden],
     * kv_a_layernorm and kv_b_proj [heads·(nopeDim + vDim), kvLoraRank]; o_proj [hidden, heads·vDim]. DeepSeek-V3.2 adds
     * the sparse-attention {@code indexer} to every layer's attention.
     */
    record Mla(OptionalLong qLoraRank, long kvLoraRank, long ropeDim, long nopeDim, long vDim, Optional<Indexer> indexer) {
        public Mla {
            if (kvLoraRank < 1 || ropeDim < 1 || nopeDim < 1 || vDim < 1 || qLoraRank.isPresent() && qLoraRank.getAsLong() < 1) {
                throw new IllegalArgumentException("bad latent attention sizes");
            }
            if (indexer.isPresent() && qLoraRank.isEmpty()) throw new IllegalArgumentException("the indexer reads the q_lora_rank latent");
        }

        /** Latent attention without an indexer (DeepSeek-V2, -V3, GLM-4-MoE-Lite). */
        public Mla(OptionalLong qLoraRank, long kvLoraRank, long ropeDim, long nopeDim, long vDim) {
            this(qLoraRank, kvLoraRank, ropeDim, nopeDim, vDim, Optional.empty());
        }

        String sizes() {
            return "q_lora_rank = " + (qLoraRank.isPresent() ? qLoraRank.getAsLong() : "null") + ", kv_lora_rank = " + kvLoraRank
                    + ", qk_rope_head_dim = " + ropeDim + ", qk_nope_head_dim = " + nopeDim + ", v_head_dim = " + vDim
                    + indexer.map(i -> ", index_n_heads = " + i.heads() + ", index_head_dim = " + i.headDim()).orElse("");
        }
    }

    /**
     * DeepseekV32Indexer (DeepSeek Sparse Attention): wq_b [heads·headDim, q_lora_rank] on the query latent, wk
     * [headDim, hidden], k_norm (an nn.LayerNorm of headDim: weight and bias) and weights_proj [heads, hidden].
     */
    record Indexer(long heads, long headDim) {
        public Indexer {
            if (heads < 1 || headDim < 1) throw new IllegalArgumentException("bad indexer sizes");
        }
    }

    /**
     * The experts of a mixture-of-experts decoder. {@code experts} per sparse layer, each a gate/up/down MLP of
     * {@code expertIntermediate} (Mixtral's and GPT-OSS's intermediate_size, Qwen's moe_intermediate_size); Qwen2-MoE adds a shared
     * expert of {@code sharedIntermediate} and its 1-output gate. A layer is sparse when experts > 0, it is not in
     * {@code mlpOnlyLayers} and (layer + 1) is a multiple of {@code sparseStep} (Qwen's decoder_sparse_step; 1 for Mixtral),
     * and it is not one of the first {@code firstDense} (DeepSeek's first_k_dense_replace; 0 for the others). DeepSeek's
     * shared experts are one MLP of {@code sharedIntermediate} (moe_intermediate_size · n_shared_experts), without a gate.
     */
    record Moe(long experts, long expertIntermediate, OptionalLong sharedIntermediate, long sparseStep, Set<Long> mlpOnlyLayers,
               long firstDense) {
        public Moe {
            if (experts < 0 || expertIntermediate < 1 || sparseStep < 1 || firstDense < 0
                    || sharedIntermediate.isPresent() && sharedIntermediate.getAsLong() < 1) {
                throw new IllegalArgumentException("bad expert sizes: " + experts + ", " + expertIntermediate + ", " + sharedIntermediate + ", " + sparseStep);
            }
            mlpOnlyLayers = Set.copyOf(mlpOnlyLayers);
        }

        boolean sparse(long layer) {
            return experts > 0 && layer >= firstDense && !mlpOnlyLayers.contains(layer) && (layer + 1) % sparseStep == 0;
        }

        String sizes() {
            return "experts = " + experts + ", expert intermediate size = " + expertIntermediate
                    + (sharedIntermediate.isPresent() ? ", shared_expert_intermediate_size = " + sharedIntermediate.getAsLong() : "");
        }
    }

    /** GPT-2: Conv1D weights stored [in, out]; {@code inner} is n_inner or 4·n_embd. */
    record Gpt2(long vocab, long embed, long positions, long layers, long heads, long inner, boolean tieEmbeddings,
                double initializerRange, Optional<DType> dtype) implements ModelConfig {
        public Gpt2 {
            if (embed % heads != 0) {
                throw new IllegalArgumentException("n_embd (" + embed + ") must be a multiple of n_head (" + heads + ")");
            }
        }
        public ModelType type() { return ModelType.GPT2; }

        public String sizes() {
            return "vocab_size = " + vocab + ", n_embd = " + embed + ", n_positions = " + positions + ", n_layer = " + layers
                    + ", n_inner = " + inner;
        }
    }

    /**
     * Qwen3-Next, Qwen3.5 and Qwen3.5-MoE (text): {@code base} holds the Llama-like parts (embedding, gated full attention of
     * heads · head_dim with q/k norms, the dense MLP or the experts, lm_head); {@code linear} sizes the GatedDeltaNet of
     * the linear_attention layers. A layer is full_attention when {@code layerTypes} says so, else (no layer_types) when
     * (layer + 1) is a multiple of {@code interval}, as the config classes' __post_init__ builds layer_types from
     * full_attention_interval.
     */
    record Hybrid(Decoder base, LinearAttention linear, Optional<java.util.List<Boolean>> layerTypes, long interval) implements ModelConfig {
        public Hybrid {
            if (!base.type().hybrid()) throw new IllegalArgumentException(base.type().id() + " has no linear attention");
            if (interval == 0) throw new IllegalArgumentException("full_attention_interval 0");
            layerTypes = layerTypes.map(java.util.List::copyOf);
            if (layerTypes.isPresent() && layerTypes.get().size() < base.layers()) throw new IllegalArgumentException("layer_types too short");
        }

        public ModelType type() { return base.type(); }
        public double initializerRange() { return base.initializerRange(); }
        public long layers() { return base.layers(); }
        public Optional<DType> dtype() { return base.dtype(); }

        /** Whether layer {@code layer} is full (gated softmax) attention; else linear attention (GatedDeltaNet). */
        public boolean fullAttention(long layer) {
            return layerTypes.isPresent() ? layerTypes.get().get((int) layer) : (layer + 1) % interval == 0;
        }

        public String sizes() {
            Decoder d = base;
            return "vocab_size = " + d.vocab() + ", hidden_size = " + d.hidden()
                    + (d.type() == ModelType.QWEN3_5_MOE_TEXT ? "" : ", intermediate_size = " + d.intermediate())
                    + ", num_hidden_layers = " + d.layers() + ", num_attention_heads = " + d.heads() + ", num_key_value_heads = "
                    + d.kvHeads() + ", head_dim = " + d.headDim() + ", " + linear.sizes() + d.moe().map(m -> ", " + m.sizes()).orElse("");
        }
    }

    /**
     * The GatedDeltaNet of Qwen3-Next's and Qwen3.5's linear_attention layers (Qwen3NextGatedDeltaNet, Qwen3_5GatedDeltaNet):
     * {@code keyHeads} query/key heads of {@code keyHeadDim}, {@code valueHeads} value heads of {@code valueHeadDim} (a
     * multiple of the key heads: the forward pass repeats each key head valueHeads / keyHeads times), a depthwise causal
     * conv1d of {@code kernel} over q, k and v.
     */
    record LinearAttention(long keyHeads, long valueHeads, long keyHeadDim, long valueHeadDim, long kernel) {
        public LinearAttention {
            if (keyHeads < 1 || valueHeads < 1 || keyHeadDim < 1 || valueHeadDim < 1 || kernel < 1) {
                throw new IllegalArgumentException("bad linear attention sizes");
            }
        }

        /** linear_num_key_heads · linear_key_head_dim. */
        public long keyDim() { return Math.multiplyExact(keyHeads, keyHeadDim); }

        /** linear_num_value_heads · linear_value_head_dim. */
        public long valueDim() { return Math.multiplyExact(valueHeads, valueHeadDim); }

        /** The conv1d's channels: q, k and v (2 · keyDim + valueDim). */
        public long convDim() { return Math.addExact(Math.multiplyExact(2, keyDim()), valueDim()); }

        String sizes() {
            return "linear_num_key_heads = " + keyHeads + ", linear_num_value_heads = " + valueHeads + ", linear_key_head_dim = "
                    + keyHeadDim + ", linear_value_head_dim = " + valueHeadDim + ", linear_conv_kernel_dim = " + kernel;
        }
    }

    /** BERT (BertModel with its pooler). */
    record Bert(long vocab, long hidden, long intermediate, long layers, long heads, long positions, long typeVocab,
                OptionalLong padTokenId, double initializerRange, Optional<DType> dtype) implements ModelConfig {
        public Bert {
            if (hidden % heads != 0) {
                throw new IllegalArgumentException("hidden_size (" + hidden + ") must be a multiple of num_attention_heads (" + heads + ")");
            }
        }
        public ModelType type() { return ModelType.BERT; }

        public String sizes() {
            return "vocab_size = " + vocab + ", hidden_size = " + hidden + ", intermediate_size = " + intermediate + ", num_hidden_layers = "
                    + layers + ", max_position_embeddings = " + positions + ", type_vocab_size = " + typeVocab;
        }
    }

    /**
     * GPT-NeoX (GPTNeoXForCausalLM: Pythia, GPT-NeoX-20B): heads of hidden_size / num_attention_heads (GPTNeoXConfig
     * refuses other sizes), one fused query_key_value [3·hidden, hidden] and dense [hidden, hidden], biased by
     * {@code attentionBias}; the MLP's dense_h_to_4h and dense_4h_to_h always biased; LayerNorms with biases.
     */
    record GptNeox(long vocab, long hidden, long intermediate, long layers, long heads, boolean attentionBias, boolean tieEmbeddings,
                   double initializerRange, Optional<DType> dtype) implements ModelConfig {
        public GptNeox {
            if (hidden % heads != 0) {
                throw new IllegalArgumentException("hidden_size (" + hidden + ") must be a multiple of num_attention_heads (" + heads + ")");
            }
        }
        public ModelType type() { return ModelType.GPT_NEOX; }

        public String sizes() {
            return "vocab_size = " + vocab + ", hidden_size = " + hidden + ", intermediate_size = " + intermediate + ", num_hidden_layers = "
                    + layers + ", num_attention_heads = " + heads;
        }
    }

    /**
     * Phi (PhiForCausalLM: phi-1, phi-1.5, phi-2): q/k/v (k and v of {@code kvHeads} heads) and dense, all biased, heads of
     * {@code headDim}; with {@code qkLayernorm} a LayerNorm of hidden_size // num_attention_heads on the queries and keys;
     * fc1 and fc2 biased; one input_layernorm per layer (attention and MLP run in parallel on it); lm_head has a bias, saved
     * even when its weight is tied. {@code padTokenId} already wrapped into [0, vocab).
     */
    record Phi(long vocab, long hidden, long intermediate, long layers, long heads, long kvHeads, long headDim, boolean qkLayernorm,
               boolean tieEmbeddings, OptionalLong padTokenId, double initializerRange, Optional<DType> dtype) implements ModelConfig {
        public Phi {
            requireKvGroups(heads, kvHeads);
        }
        public ModelType type() { return ModelType.PHI; }

        public String sizes() {
            return "vocab_size = " + vocab + ", hidden_size = " + hidden + ", intermediate_size = " + intermediate + ", num_hidden_layers = "
                    + layers + ", num_attention_heads = " + heads + ", num_key_value_heads = " + kvHeads + ", head_dim = " + headDim;
        }
    }

    /**
     * StarCoder2 (Starcoder2ForCausalLM): llama-like GQA attention q/k/v/o_proj and a plain MLP c_fc / c_proj, all biased by
     * {@code bias} (use_bias); LayerNorms with biases (input_layernorm, post_attention_layernorm, model.norm); tied by default.
     * {@code padTokenId} already wrapped into [0, vocab).
     */
    record Starcoder2(long vocab, long hidden, long intermediate, long layers, long heads, long kvHeads, long headDim, boolean bias,
                      boolean tieEmbeddings, OptionalLong padTokenId, double initializerRange, Optional<DType> dtype) implements ModelConfig {
        public Starcoder2 {
            requireKvGroups(heads, kvHeads);
        }
        public ModelType type() { return ModelType.STARCODER2; }

        public String sizes() {
            return "vocab_size = " + vocab + ", hidden_size = " + hidden + ", intermediate_size = " + intermediate + ", num_hidden_layers = "
                    + layers + ", num_attention_heads = " + heads + ", num_key_value_heads = " + kvHeads + ", head_dim = " + headDim;
        }
    }

    /**
     * Gemma 4's text decoder (Gemma4ForCausalLM, Gemma4TextConfig). Layers are "sliding_attention" or "full_attention"
     * ({@code layerTypes}, or when empty the class's default: every sixth layer full; the last layer is always full, as the
     * class forces it), and each type has its own head_dim and kv-head count ({@code sliding}, {@code full}: the resolved
     * per_layer_config, which must be the same for every layer of a type). {@code kEqV}: full layers have no v_proj (the
     * keys serve as values). The last {@code kvSharedLayers} layers reuse an earlier layer's keys and values: no k_proj,
     * v_proj or k_norm there, and with {@code doubleWideMlp} an MLP of 2 · intermediate_size. {@code perLayerHidden} > 0
     * adds the per-layer input embeddings (PLE) of {@code perLayerVocab} rows. {@code experts} > 0 (enable_moe_block) adds
     * to every layer a router and fused experts of {@code expertIntermediate} beside the dense MLP. {@code padRow} and
     * {@code perLayerPadRow}: pad_token_id wrapped into each embedding's rows.
     */
    record Gemma4(long vocab, long hidden, long intermediate, long layers, long heads, List<String> layerTypes, Attention sliding,
                  Attention full, boolean kEqV, long kvSharedLayers, boolean doubleWideMlp, boolean attentionBias, long perLayerHidden,
                  long perLayerVocab, long experts, long expertIntermediate, boolean tieEmbeddings, OptionalLong padRow,
                  OptionalLong perLayerPadRow, double initializerRange, Optional<DType> dtype) implements ModelConfig {
        public Gemma4 {
            layerTypes = List.copyOf(layerTypes);
            if (!layerTypes.isEmpty() && layerTypes.size() != layers) throw new IllegalArgumentException("one layer type per layer");
            if (kvSharedLayers < 0 || kvSharedLayers >= layers || perLayerHidden < 0 || experts < 0) {
                throw new IllegalArgumentException("bad gemma4_text sizes");
            }
        }

        public ModelType type() { return ModelType.GEMMA4_TEXT; }

        /** Gemma4TextConfig.__post_init__: the given layer_types, or every sixth layer full; the last layer forced full. */
        public boolean full(long layer) {
            if (layer == layers - 1) return true;
            return layerTypes.isEmpty() ? (layer + 1) % 6 == 0 : layerTypes.get((int) layer).equals("full_attention");
        }

        public Attention attention(long layer) { return full(layer) ? full : sliding; }

        /** Gemma4TextAttention.is_kv_shared_layer: layer >= num_hidden_layers - num_kv_shared_layers >= 0. */
        public boolean kvShared(long layer) { return kvSharedLayers > 0 && layer >= layers - kvSharedLayers; }

        /** Gemma4TextMLP: intermediate_size, doubled in the kv-shared layers when use_double_wide_mlp. */
        public long mlpWidth(long layer) {
            return doubleWideMlp && kvShared(layer) ? Math.multiplyExact(2, intermediate) : intermediate;
        }

        public String sizes() {
            return "vocab_size = " + vocab + ", hidden_size = " + hidden + ", intermediate_size = " + intermediate + ", num_hidden_layers = "
                    + layers + ", num_attention_heads = " + heads + ", sliding layers: head_dim = " + sliding.headDim() + ", num_key_value_heads = "
                    + sliding.kvHeads() + ", full layers: head_dim = " + full.headDim() + ", num_key_value_heads = " + full.kvHeads()
                    + (perLayerHidden > 0 ? ", hidden_size_per_layer_input = " + perLayerHidden + ", vocab_size_per_layer_input = " + perLayerVocab : "")
                    + (experts > 0 ? ", num_experts = " + experts + ", moe_intermediate_size = " + expertIntermediate : "");
        }

        /** One layer type's attention sizes. */
        public record Attention(long headDim, long kvHeads) {}
    }
}

package dev.tensorinit.cli.model;

import dev.tensorinit.DType;

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
            if (heads % kvHeads != 0) {
                throw new IllegalArgumentException("num_attention_heads (" + heads + ") must be a multiple of num_key_value_heads ("
                        + kvHeads + ")");
            }
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
}

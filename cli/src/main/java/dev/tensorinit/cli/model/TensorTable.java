package dev.tensorinit.cli.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;

/**
 * The tensors {@code save_pretrained} writes for a config, in the order it walks them, which decides how shards
 * are cut: {@code state_dict()} order (module registration order), or for the MoE types but GPT-OSS and Llama 4 {@link SaveOrder}. Non-persistent buffers (rotary
 * inv_freq, GPT-2's attn.bias mask, BERT's position_ids and token_type_ids) are not in the
 * state_dict; a tied lm_head.weight is in it but save_pretrained drops it, so it is left out here.
 * Derived from transformers 5.x modeling files; see src/test/resources/model/README.md.
 */
public final class TensorTable {
    private TensorTable() {}

    /**
     * The most tensors a checkpoint may have. Planning holds every tensor's name, shape and header entry in memory
     * (a --dry-run of 450,000 tensors took 7.6 s and 560 MB, near the launcher's 512 MiB heap), and one shard's
     * safetensors header must stay under the 100 MB the safetensors library reads. Llama-3.1-405B has 1,137.
     */
    public static final int MAX_TENSORS = 100_000;

    public static List<TensorSpec> of(ModelConfig config) {
        List<TensorSpec> t = new ArrayList<>();
        switch (config) {
            case ModelConfig.Decoder d -> decoder(d, t);
            case ModelConfig.Hybrid h -> hybrid(h, t);
            case ModelConfig.Gpt2 g -> gpt2(g, t);
            case ModelConfig.Bert b -> bert(b, t);
            case ModelConfig.Gemma4 g -> gemma4(g, t);
            case ModelConfig.GptNeox g -> gptNeox(g, t);
            case ModelConfig.Phi ph -> phi(ph, t);
            case ModelConfig.Starcoder2 sc -> starcoder2(sc, t);
        }
        return List.copyOf(t);
    }

    /**
     * LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM, GemmaForCausalLM, Gemma2ForCausalLM,
     * Gemma3ForCausalLM, Phi3ForCausalLM, Olmo2ForCausalLM, Olmo3ForCausalLM, SmolLM3ForCausalLM, GraniteForCausalLM,
     * GraniteMoeForCausalLM and GraniteMoeSharedForCausalLM (renamed fused experts, in {@link SaveOrder}), Ministral3ForCausalLM, SeedOssForCausalLM, NanoChatForCausalLM, and the mixture-of-experts MixtralForCausalLM, Qwen2MoeForCausalLM,
     * Qwen3MoeForCausalLM, OlmoeForCausalLM, MiniMaxM2ForCausalLM, DeepseekV2ForCausalLM, DeepseekV3ForCausalLM, DeepseekV32ForCausalLM,
     * Glm4MoeLiteForCausalLM, whose
     * tensors save_pretrained writes in {@link SaveOrder}, not in registration order, and GptOssForCausalLM and
     * Llama4ForCausalLM, whose fused experts it writes as they are, in registration order. (Gemma4ForCausalLM: {@link #gemma4}.)
     */
    private static void decoder(ModelConfig.Decoder c, List<TensorSpec> t) {
        double std = c.initializerRange();
        long q = Math.multiplyExact(c.heads(), c.headDim());
        long kv = Math.multiplyExact(c.kvHeads(), c.headDim());
        // NanoChatPreTrainedModel._init_weights draws each o_proj with initializer_range / sqrt(2 * num_hidden_layers).
        double residual = std / Math.sqrt(2.0 * c.layers());
        BiFunction<String, Long, TensorSpec> norm = c.offsetNorms() ? TensorSpec::offsetNorm : TensorSpec::norm;
        List<Param> p = new ArrayList<>();
        p.add(Param.own(TensorSpec.embedding("model.embed_tokens.weight", c.vocab(), c.hidden(), std, c.padTokenId())));
        layers(p, "model.layers.", c.layers(), "num_hidden_layers", Param::tensors, (out, pre, i) -> {
            List<TensorSpec> l = new ArrayList<>();
            if (c.mla().isPresent()) {
                latentAttention(l, pre, c, c.mla().get(), norm);
            } else if (c.fusedProjections()) {   // Phi3Attention registers o_proj first
                linear(l, pre + "self_attn.o_proj", c.hidden(), q, std, false);
                linear(l, pre + "self_attn.qkv_proj", Math.addExact(q, Math.multiplyExact(2, kv)), c.hidden(), std, false);
            } else {
                // GptOssAttention's own parameter comes before its submodules' in the state_dict.
                if (c.gptOss()) l.add(TensorSpec.sinks(pre + "self_attn.sinks", c.heads(), std));
                linear(l, pre + "self_attn.q_proj", q, c.hidden(), std, c.qkvBias());
                linear(l, pre + "self_attn.k_proj", kv, c.hidden(), std, c.qkvBias());
                linear(l, pre + "self_attn.v_proj", kv, c.hidden(), std, c.qkvBias());
                linear(l, pre + "self_attn.o_proj", c.hidden(), q, c.nanochat() ? residual : std, c.outBias());
            }
            if (c.qkNorms()) {
                l.add(norm.apply(pre + "self_attn.q_norm.weight", c.headDim()));
                l.add(norm.apply(pre + "self_attn.k_norm.weight", c.headDim()));
            }
            if (c.projectionQkNorms()) {
                l.add(norm.apply(pre + "self_attn.q_norm.weight", q));
                l.add(norm.apply(pre + "self_attn.k_norm.weight", kv));
            }
            if (c.gptOss()) {
                fusedExperts(l, pre, c.moe().orElseThrow().experts(), c.hidden(), c.intermediate(), std);
            } else if (c.llama4()) {
                if (c.sparse(i)) llama4Moe(l, pre + "feed_forward.", c.moe().orElseThrow(), c.hidden(), std);
                else mlp(l, pre + "feed_forward.", c.intermediate(), c.hidden(), std, false);
            } else if (c.type().graniteMoe()) {
                graniteMoe(c, c.moe().orElseThrow(), pre, out, l);
            } else if (c.sparse(i)) {
                experts(c, c.moe().orElseThrow(), pre, out, l);
            } else if (c.nanochat()) {   // NanoChatMLP: fc1, relu², fc2
                linear(l, pre + "mlp.fc1", c.intermediate(), c.hidden(), std, false);
                linear(l, pre + "mlp.fc2", c.hidden(), c.intermediate(), std, false);
            } else if (c.fusedProjections()) {
                linear(l, pre + "mlp.gate_up_proj", Math.multiplyExact(2, c.intermediate()), c.hidden(), std, false);
                linear(l, pre + "mlp.down_proj", c.hidden(), c.intermediate(), std, false);
            } else {
                mlp(l, pre + "mlp.", c.intermediate(), c.hidden(), std, c.mlpBias());
            }
            if (!c.olmo2Norms() && !c.nanochat()) l.add(norm.apply(pre + "input_layernorm.weight", c.hidden()));
            if (!c.nanochat()) l.add(norm.apply(pre + "post_attention_layernorm.weight", c.hidden()));
            if (c.olmo2Norms()) l.add(norm.apply(pre + "post_feedforward_layernorm.weight", c.hidden()));
            if (c.feedForwardNorms()) {
                l.add(norm.apply(pre + "pre_feedforward_layernorm.weight", c.hidden()));
                l.add(norm.apply(pre + "post_feedforward_layernorm.weight", c.hidden()));
            }
            for (TensorSpec s : l) out.add(Param.own(s));
        });
        if (!c.nanochat()) p.add(Param.own(norm.apply("model.norm.weight", c.hidden())));   // NanoChat's norms have no weight
        if (!c.tieEmbeddings()) p.add(Param.own(TensorSpec.linear("lm_head.weight", c.vocab(), c.hidden(), std)));
        if (c.type().unfusesExperts() || c.type().graniteMoe()) p.sort(Comparator.comparing(Param::internal, SaveOrder.NAMES));
        for (Param x : p) t.addAll(x.saved());
    }

    /**
     * One sparse layer's router and experts (and Qwen2-MoE's shared expert, plain modules in {@code plain}). The model
     * holds the experts fused, gate_up_proj [E, 2I, H] and down_proj [E, H, I]; transformers' reverse weight conversion
     * saves them as E Linear weights each, down_proj's first, then the gate halves, then the up halves, each group a
     * storage of its own. Every expert is drawn as the Linear it is saved as (its own name's stream, its own fans).
     */
    private static void experts(ModelConfig.Decoder c, ModelConfig.Moe m, String pre, List<Param> out, List<TensorSpec> plain) {
        double std = c.initializerRange();
        long h = c.hidden();
        long i = m.expertIntermediate();
        boolean mixtral = c.type().blockSparseMoe();
        // MixtralSparseMoeBlock was block_sparse_moe with experts.N.w1/w2/w3 before transformers 5, and is saved so (and
        // MiniMax-M2's, whose conversion is Mixtral's).
        String saved = pre + (mixtral ? "block_sparse_moe." : "mlp.");
        String fused = pre + "mlp.experts.";
        String down = mixtral ? "w2" : "down_proj", gate = mixtral ? "w1" : "gate_proj", up = mixtral ? "w3" : "up_proj";
        out.add(new Param(pre + "mlp.gate.weight", List.of(TensorSpec.linear(saved + "gate.weight", m.experts(), h, std))));
        // The TopkRouter's persistent buffer (DeepSeek-V3, -V3.2, GLM-4-MoE, -Lite), saved with the weights; _init_weights
        // zeroes it. DeepSeek-V2's router has none.
        if (c.type().routerBiasBuffer()) {
            // Made float32 by GLM-4-MoE's, GLM-4-MoE-Lite's and DeepSeek-V3.2's class; DeepSeek-V3's in the model's dtype.
            String name = pre + "mlp.gate.e_score_correction_bias";
            out.add(Param.own(c.type().routerBiasF32() ? TensorSpec.f32Buffer(name, m.experts()) : TensorSpec.buffer(name, m.experts())));
        }
        // MiniMaxM2SparseMoeBlock's own e_score_correction_bias buffer (zeros by _init_weights, in the model's dtype), held as
        // mlp.e_score_correction_bias and saved renamed beside the experts.
        if (c.type() == ModelType.MINIMAX_M2) {
            out.add(new Param(pre + "mlp.e_score_correction_bias", List.of(TensorSpec.buffer(saved + "e_score_correction_bias", m.experts()))));
        }
        List<TensorSpec> downs = new ArrayList<>(), gateUps = new ArrayList<>(), ups = new ArrayList<>();
        // The gate half [E, I, H] of gate_up_proj is copied out contiguous, a storage of its own, except with one expert:
        // then it already is contiguous, stays a view, and the gate and up halves share the parameter's storage.
        String gates = fused + "gate_up_proj" + (m.experts() == 1 ? "" : " (gate)"), upsStorage = fused + "gate_up_proj" + (m.experts() == 1 ? "" : " (up)");
        for (long e = 0; e < m.experts(); e++) {
            String x = saved + "experts." + e + ".";
            downs.add(TensorSpec.expert(x + down + ".weight", h, i, std, fused + "down_proj"));
            gateUps.add(TensorSpec.expert(x + gate + ".weight", i, h, std, gates));
            ups.add(TensorSpec.expert(x + up + ".weight", i, h, std, upsStorage));
        }
        gateUps.addAll(ups);
        out.add(new Param(fused + "down_proj", downs));
        out.add(new Param(fused + "gate_up_proj", gateUps));
        if (c.type().sharedExperts()) {   // DeepSeek's and the GLM MoEs' shared_experts: one MLP, no gate (V2's biased by mlp_bias)
            mlp(plain, pre + "mlp.shared_experts.", m.sharedIntermediate().getAsLong(), h, std, c.mlpBias());
        } else if (m.sharedIntermediate().isPresent()) {
            mlp(plain, pre + "mlp.shared_expert.", m.sharedIntermediate().getAsLong(), h, std, false);
            linear(plain, pre + "mlp.shared_expert_gate", 1, h, std, false);
        }
    }

    /**
     * GraniteMoeMoE (and GraniteMoeSharedMoE) and GraniteMoeSharedMLP. The model holds router.weight [E, H] (used as F.linear)
     * and GraniteMoeExperts' gate_up_proj [E, 2I, H] and down_proj [E, H, I] (each expert F.linear(x, W[e])); the "granitemoe"
     * weight conversion renames them on save to router.layer.weight, input_linear.weight and output_linear.weight, as held (a
     * real save_pretrained wrote those names and shapes), sorted by the held names. _init_weights draws all three
     * normal(0, initializer_range). shared_mlp's input_linear [2S, H] and output_linear [H, S] are bias-free nn.Linear.
     */
    private static void graniteMoe(ModelConfig.Decoder c, ModelConfig.Moe m, String pre, List<Param> out, List<TensorSpec> plain) {
        double std = c.initializerRange();
        long h = c.hidden(), i = m.expertIntermediate();
        String b = pre + "block_sparse_moe.";
        out.add(new Param(b + "router.weight", List.of(TensorSpec.linear(b + "router.layer.weight", m.experts(), h, std))));
        out.add(new Param(b + "experts.gate_up_proj",
                List.of(TensorSpec.linearExperts(b + "input_linear.weight", m.experts(), Math.multiplyExact(2, i), h, std))));
        out.add(new Param(b + "experts.down_proj", List.of(TensorSpec.linearExperts(b + "output_linear.weight", m.experts(), h, i, std))));
        if (m.sharedIntermediate().isPresent()) {
            long s = m.sharedIntermediate().getAsLong();
            linear(plain, pre + "shared_mlp.input_linear", Math.multiplyExact(2, s), h, std, false);
            linear(plain, pre + "shared_mlp.output_linear", h, s, std, false);
        }
    }

    /**
     * GptOssMLP: the router (weight and bias, both drawn normal by the class) and GptOssExperts, whose fused parameters
     * save_pretrained writes as they are (transformers has no weight conversion for gpt_oss): gate_up_proj [E, H, 2I] and
     * down_proj [E, I, H], each expert used as x @ W[e], and their per-expert biases.
     */
    private static void fusedExperts(List<TensorSpec> l, String pre, long experts, long h, long i, double std) {
        long gateUp = Math.multiplyExact(2, i);
        l.add(TensorSpec.linear(pre + "mlp.router.weight", experts, h, std));
        l.add(TensorSpec.drawnBias(pre + "mlp.router.bias", experts, std));
        l.add(TensorSpec.experts(pre + "mlp.experts.gate_up_proj", experts, h, gateUp, std));
        l.add(TensorSpec.expertBias(pre + "mlp.experts.gate_up_proj_bias", experts, gateUp));
        l.add(TensorSpec.experts(pre + "mlp.experts.down_proj", experts, i, h, std));
        l.add(TensorSpec.expertBias(pre + "mlp.experts.down_proj_bias", experts, h));
    }

    /**
     * Llama4TextMoe, in registration order: Llama4TextExperts' fused gate_up_proj [E, H, 2I] and down_proj [E, I, H] (each
     * expert used as x @ W[e]; saved as they are, transformers has no weight conversion for llama4), the router (an
     * nn.Linear [E, H] without bias, drawn normal as every Linear) and the shared expert, a gated MLP of I.
     */
    private static void llama4Moe(List<TensorSpec> l, String pre, ModelConfig.Moe m, long h, double std) {
        long i = m.expertIntermediate();
        l.add(TensorSpec.experts(pre + "experts.gate_up_proj", m.experts(), h, Math.multiplyExact(2, i), std));
        l.add(TensorSpec.experts(pre + "experts.down_proj", m.experts(), i, h, std));
        linear(l, pre + "router", m.experts(), h, std, false);
        mlp(l, pre + "shared_expert.", m.sharedIntermediate().getAsLong(), h, std, false);
    }

    /**
     * DeepseekV2Attention's, DeepseekV3Attention's and Glm4MoeLiteAttention's tensors (the same), and DeepseekV32Attention's
     * (the same with q_a_proj always, plus its indexer), in registration order (the MoE sort reorders them anyway).
     */
    private static void latentAttention(List<TensorSpec> l, String pre, ModelConfig.Decoder c, ModelConfig.Mla a,
                                        BiFunction<String, Long, TensorSpec> norm) {
        double std = c.initializerRange();
        long h = c.hidden();
        long qk = Math.multiplyExact(c.heads(), Math.addExact(a.nopeDim(), a.ropeDim()));
        if (a.qLoraRank().isEmpty()) {
            linear(l, pre + "self_attn.q_proj", qk, h, std, false);
        } else {
            long r = a.qLoraRank().getAsLong();
            linear(l, pre + "self_attn.q_a_proj", r, h, std, c.qkvBias());
            l.add(norm.apply(pre + "self_attn.q_a_layernorm.weight", r));
            linear(l, pre + "self_attn.q_b_proj", qk, r, std, false);
        }
        linear(l, pre + "self_attn.kv_a_proj_with_mqa", Math.addExact(a.kvLoraRank(), a.ropeDim()), h, std, c.qkvBias());
        l.add(norm.apply(pre + "self_attn.kv_a_layernorm.weight", a.kvLoraRank()));
        linear(l, pre + "self_attn.kv_b_proj", Math.multiplyExact(c.heads(), Math.addExact(a.nopeDim(), a.vDim())), a.kvLoraRank(), std, false);
        linear(l, pre + "self_attn.o_proj", h, Math.multiplyExact(c.heads(), a.vDim()), std, c.outBias());
        if (a.indexer().isPresent()) {   // DeepseekV32Indexer, registered after o_proj; no biases but k_norm's (an nn.LayerNorm)
            ModelConfig.Indexer x = a.indexer().get();
            String ix = pre + "self_attn.indexer.";
            linear(l, ix + "wq_b", Math.multiplyExact(x.heads(), x.headDim()), a.qLoraRank().getAsLong(), std, false);
            linear(l, ix + "wk", x.headDim(), h, std, false);
            layerNorm(l, ix + "k_norm", x.headDim());
            linear(l, ix + "weights_proj", x.heads(), h, std, false);
        }
    }

    /**
     * Qwen3NextForCausalLM, Qwen3_5ForCausalLM and Qwen3_5MoeForCausalLM. Each layer is linear attention (linear_attn, a
     * GatedDeltaNet) or full attention (self_attn: Qwen3NextAttention, whose q_proj is twice heads · head_dim wide, the
     * queries and their sigmoid output gate, with (1 + weight) q_norm/k_norm of head_dim and q/k/v/o biases by
     * attention_bias), then the MLP (Qwen3-Next: experts where Qwen2-MoE's rule makes the layer sparse, else a dense MLP of
     * intermediate_size; Qwen3.5: dense; Qwen3.5-MoE: experts in every layer; experts as Qwen2-MoE's, with shared_expert and
     * shared_expert_gate) and the (1 + weight) input_ and post_attention_layernorm, in registration order. The MoE types are
     * saved sorted by name, as their experts are converted (checked with save_pretrained); Qwen3.5's in registration order.
     */
    private static void hybrid(ModelConfig.Hybrid h, List<TensorSpec> t) {
        ModelConfig.Decoder c = h.base();
        double std = c.initializerRange();
        long q = Math.multiplyExact(c.heads(), c.headDim());
        long kv = Math.multiplyExact(c.kvHeads(), c.headDim());
        List<Param> p = new ArrayList<>();
        p.add(Param.own(TensorSpec.embedding("model.embed_tokens.weight", c.vocab(), c.hidden(), std, c.padTokenId())));
        layers(p, "model.layers.", c.layers(), "num_hidden_layers", Param::tensors, (out, pre, i) -> {
            List<TensorSpec> l = new ArrayList<>();
            if (h.fullAttention(i)) {
                linear(l, pre + "self_attn.q_proj", Math.multiplyExact(2, q), c.hidden(), std, c.qkvBias());
                linear(l, pre + "self_attn.k_proj", kv, c.hidden(), std, c.qkvBias());
                linear(l, pre + "self_attn.v_proj", kv, c.hidden(), std, c.qkvBias());
                linear(l, pre + "self_attn.o_proj", c.hidden(), q, std, c.outBias());
                l.add(TensorSpec.offsetNorm(pre + "self_attn.q_norm.weight", c.headDim()));   // Qwen3NextRMSNorm: zeros
                l.add(TensorSpec.offsetNorm(pre + "self_attn.k_norm.weight", c.headDim()));
            } else {
                gatedDeltaNet(l, pre + "linear_attn.", c, h.linear());
            }
            if (c.sparse(i)) experts(c, c.moe().orElseThrow(), pre, out, l);
            else mlp(l, pre + "mlp.", c.intermediate(), c.hidden(), std, false);
            l.add(TensorSpec.offsetNorm(pre + "input_layernorm.weight", c.hidden()));
            l.add(TensorSpec.offsetNorm(pre + "post_attention_layernorm.weight", c.hidden()));
            for (TensorSpec s : l) out.add(Param.own(s));
        });
        p.add(Param.own(TensorSpec.offsetNorm("model.norm.weight", c.hidden())));
        if (!c.tieEmbeddings()) p.add(Param.own(TensorSpec.linear("lm_head.weight", c.vocab(), c.hidden(), std)));
        if (c.type().unfusesExperts()) p.sort(Comparator.comparing(Param::internal, SaveOrder.NAMES));
        for (Param x : p) t.addAll(x.saved());
    }

    /**
     * Qwen3NextGatedDeltaNet / Qwen3_5GatedDeltaNet in state_dict order: its own parameters first, dt_bias [value heads]
     * (ones: _init_weights' ones_; a NORM-kind tensor, ones under every scheme, no fans) and A_log [value heads] (ln U(0.01,
     * 16), A_LOG), then conv1d [conv_dim, 1, kernel] (an nn.Conv1d without bias, drawn normal by the base _init_weights),
     * the projections, the gated RMSNorm norm [value head dim] (Qwen3NextRMSNormGated: "RMSNorm" in its name, so ones) and
     * out_proj. Qwen3-Next projects q, k, v, z in one in_proj_qkvz and b, a in one in_proj_ba, registered before the norm;
     * Qwen3.5 deletes those and registers in_proj_qkv, in_proj_z, in_proj_b and in_proj_a after out_proj.
     */
    private static void gatedDeltaNet(List<TensorSpec> l, String pre, ModelConfig.Decoder c, ModelConfig.LinearAttention a) {
        double std = c.initializerRange();
        long h = c.hidden();
        l.add(TensorSpec.norm(pre + "dt_bias", a.valueHeads()));   // ones, as NORM means (not a norm: no fans, never drawn)
        l.add(TensorSpec.aLog(pre + "A_log", a.valueHeads()));
        l.add(TensorSpec.depthwiseConv(pre + "conv1d.weight", a.convDim(), a.kernel(), std));
        boolean next = c.type() == ModelType.QWEN3_NEXT;
        if (next) {
            linear(l, pre + "in_proj_qkvz", Math.addExact(Math.multiplyExact(2, a.keyDim()), Math.multiplyExact(2, a.valueDim())), h, std, false);
            linear(l, pre + "in_proj_ba", Math.multiplyExact(2, a.valueHeads()), h, std, false);
        }
        l.add(TensorSpec.norm(pre + "norm.weight", a.valueHeadDim()));
        linear(l, pre + "out_proj", h, a.valueDim(), std, false);
        if (!next) {
            linear(l, pre + "in_proj_qkv", a.convDim(), h, std, false);
            linear(l, pre + "in_proj_z", a.valueDim(), h, std, false);
            linear(l, pre + "in_proj_b", a.valueHeads(), h, std, false);
            linear(l, pre + "in_proj_a", a.valueHeads(), h, std, false);
        }
    }

    /** A parameter as the model holds it ({@code internal}, the name save_pretrained sorts by) and the tensors it is saved as. */
    private record Param(String internal, List<TensorSpec> saved) {
        static Param own(TensorSpec s) { return new Param(s.name(), List.of(s)); }

        int tensors() { return saved.size(); }
    }

    /** GPT2LMHeadModel. wte has no padding_idx, so no row is zeroed even with a pad_token_id. */
    private static void gpt2(ModelConfig.Gpt2 c, List<TensorSpec> t) {
        double std = c.initializerRange();
        // GPT2PreTrainedModel._init_weights: every c_proj.weight (attention and MLP) is drawn with
        // initializer_range / sqrt(2 * n_layer), "2 layer norms per transformer block".
        double residual = c.initializerRange() / Math.sqrt(2.0 * c.layers());
        long e = c.embed();
        t.add(TensorSpec.embedding("transformer.wte.weight", c.vocab(), e, std, OptionalLong.empty()));
        t.add(TensorSpec.embedding("transformer.wpe.weight", c.positions(), e, std, OptionalLong.empty()));
        layers(t, "transformer.h.", c.layers(), "n_layer", x -> 1, (l, p, i) -> {
            layerNorm(l, p + "ln_1", e);
            conv1d(l, p + "attn.c_attn", e, Math.multiplyExact(3, e), std);
            conv1d(l, p + "attn.c_proj", e, e, residual);
            layerNorm(l, p + "ln_2", e);
            conv1d(l, p + "mlp.c_fc", e, c.inner(), std);
            conv1d(l, p + "mlp.c_proj", c.inner(), e, residual);
        });
        layerNorm(t, "transformer.ln_f", e);
        if (!c.tieEmbeddings()) t.add(TensorSpec.linear("lm_head.weight", c.vocab(), e, std));
    }

    /** BertModel (add_pooling_layer=True). */
    private static void bert(ModelConfig.Bert c, List<TensorSpec> t) {
        double std = c.initializerRange();
        long h = c.hidden();
        t.add(TensorSpec.embedding("embeddings.word_embeddings.weight", c.vocab(), h, std, c.padTokenId()));
        t.add(TensorSpec.embedding("embeddings.position_embeddings.weight", c.positions(), h, std, OptionalLong.empty()));
        t.add(TensorSpec.embedding("embeddings.token_type_embeddings.weight", c.typeVocab(), h, std, OptionalLong.empty()));
        layerNorm(t, "embeddings.LayerNorm", h);
        layers(t, "encoder.layer.", c.layers(), "num_hidden_layers", x -> 1, (l, p, i) -> {
            linear(l, p + "attention.self.query", h, h, std, true);
            linear(l, p + "attention.self.key", h, h, std, true);
            linear(l, p + "attention.self.value", h, h, std, true);
            linear(l, p + "attention.output.dense", h, h, std, true);
            layerNorm(l, p + "attention.output.LayerNorm", h);
            linear(l, p + "intermediate.dense", c.intermediate(), h, std, true);
            linear(l, p + "output.dense", h, c.intermediate(), std, true);
            layerNorm(l, p + "output.LayerNorm", h);
        });
        linear(t, "pooler.dense", h, h, std, true);
    }

    /**
     * Gemma4ForCausalLM (transformers 5.18), in state_dict order; no weight conversion for gemma4_text, so the fused experts
     * are saved as held (checked with a real save_pretrained). Gemma4RMSNorm scales by weight (not 1 + weight): ones. Per
     * layer: the layer_scalar buffer (persistent, ones), Gemma4TextAttention's q_proj, q_norm, then (not in kv-shared layers)
     * k_norm, k_proj and v_proj (none in full layers with attention_k_eq_v; v_norm has no weight), o_proj, all biased by
     * attention_bias; the dense MLP; the four norms; the PLE gate, projection and norm; with enable_moe_block the router
     * (its own scale [H] and per_expert_scale [E], ones, before proj), the experts [E, 2I, H] and [E, H, I] and three more
     * norms. After model.norm the PLE table [vocab_size_per_layer_input, layers · hidden_size_per_layer_input] (an
     * nn.Embedding with padding_idx = pad_token_id), its projection and norm.
     */
    private static void gemma4(ModelConfig.Gemma4 c, List<TensorSpec> t) {
        double std = c.initializerRange();
        long h = c.hidden(), ple = c.perLayerHidden();
        boolean bias = c.attentionBias();
        t.add(TensorSpec.embedding("model.embed_tokens.weight", c.vocab(), h, std, c.padRow()));
        layers(t, "model.layers.", c.layers(), "num_hidden_layers", x -> 1, (l, pre, i) -> {
            ModelConfig.Gemma4.Attention a = c.attention(i);
            long q = Math.multiplyExact(c.heads(), a.headDim()), kv = Math.multiplyExact(a.kvHeads(), a.headDim());
            l.add(TensorSpec.onesBuffer(pre + "layer_scalar", 1));
            linear(l, pre + "self_attn.q_proj", q, h, std, bias);
            l.add(TensorSpec.norm(pre + "self_attn.q_norm.weight", a.headDim()));
            if (!c.kvShared(i)) {
                l.add(TensorSpec.norm(pre + "self_attn.k_norm.weight", a.headDim()));
                linear(l, pre + "self_attn.k_proj", kv, h, std, bias);
                if (!(c.kEqV() && c.full(i))) linear(l, pre + "self_attn.v_proj", kv, h, std, bias);
            }
            linear(l, pre + "self_attn.o_proj", h, q, std, bias);
            mlp(l, pre + "mlp.", c.mlpWidth(i), h, std, false);
            for (String n : List.of("input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm")) {
                l.add(TensorSpec.norm(pre + n + ".weight", h));
            }
            if (ple > 0) {
                linear(l, pre + "per_layer_input_gate", ple, h, std, false);
                linear(l, pre + "per_layer_projection", h, ple, std, false);
                l.add(TensorSpec.norm(pre + "post_per_layer_input_norm.weight", h));
            }
            if (c.experts() > 0) {   // Gemma4TextRouter's scale and per_expert_scale: ones by _init_weights
                l.add(TensorSpec.norm(pre + "router.scale", h));
                l.add(TensorSpec.norm(pre + "router.per_expert_scale", c.experts()));
                linear(l, pre + "router.proj", c.experts(), h, std, false);
                long i2 = Math.multiplyExact(2, c.expertIntermediate());
                l.add(TensorSpec.linearExperts(pre + "experts.gate_up_proj", c.experts(), i2, h, std));
                l.add(TensorSpec.linearExperts(pre + "experts.down_proj", c.experts(), h, c.expertIntermediate(), std));
                for (String n : List.of("post_feedforward_layernorm_1", "post_feedforward_layernorm_2", "pre_feedforward_layernorm_2")) {
                    l.add(TensorSpec.norm(pre + n + ".weight", h));
                }
            }
        });
        t.add(TensorSpec.norm("model.norm.weight", h));
        if (ple > 0) {
            long packed = Math.multiplyExact(c.layers(), ple);
            t.add(TensorSpec.embedding("model.embed_tokens_per_layer.weight", c.perLayerVocab(), packed, std, c.perLayerPadRow()));
            linear(t, "model.per_layer_model_projection", packed, h, std, false);
            t.add(TensorSpec.norm("model.per_layer_projection_norm.weight", ple));
        }
        if (!c.tieEmbeddings()) t.add(TensorSpec.linear("lm_head.weight", c.vocab(), h, std));
    }

    /**
     * GPTNeoXForCausalLM (transformers 5.18). transformers' "GPTNeoXForCausalLM" weight conversion renames lm_head to
     * embed_out on save, so save_pretrained walks the state_dict sorted by the held names ({@link SaveOrder}, as for the
     * converted MoE types; checked with a real save_pretrained): embed_in, final_layer_norm, then each layer's attention.dense,
     * attention.query_key_value, input_layernorm, mlp.dense_4h_to_h, mlp.dense_h_to_4h, post_attention_layernorm, and last
     * lm_head.weight written as embed_out.weight (dropped when tied). No custom _init_weights: PreTrainedModel's normal(0,
     * initializer_range) for Linears and embed_in (no padding_idx), zero biases, LayerNorm ones and zeros.
     */
    private static void gptNeox(ModelConfig.GptNeox c, List<TensorSpec> t) {
        double std = c.initializerRange();
        long h = c.hidden();
        List<Param> p = new ArrayList<>();
        p.add(Param.own(TensorSpec.embedding("gpt_neox.embed_in.weight", c.vocab(), h, std, OptionalLong.empty())));
        layers(p, "gpt_neox.layers.", c.layers(), "num_hidden_layers", Param::tensors, (out, pre, i) -> {
            List<TensorSpec> l = new ArrayList<>();
            layerNorm(l, pre + "input_layernorm", h);
            layerNorm(l, pre + "post_attention_layernorm", h);
            linear(l, pre + "attention.query_key_value", Math.multiplyExact(3, h), h, std, c.attentionBias());
            linear(l, pre + "attention.dense", h, h, std, c.attentionBias());
            linear(l, pre + "mlp.dense_h_to_4h", c.intermediate(), h, std, true);
            linear(l, pre + "mlp.dense_4h_to_h", h, c.intermediate(), std, true);
            for (TensorSpec s : l) out.add(Param.own(s));
        });
        List<TensorSpec> fin = new ArrayList<>();
        layerNorm(fin, "gpt_neox.final_layer_norm", h);
        for (TensorSpec s : fin) p.add(Param.own(s));
        if (!c.tieEmbeddings()) p.add(new Param("lm_head.weight", List.of(TensorSpec.linear("embed_out.weight", c.vocab(), h, std))));
        p.sort(Comparator.comparing(Param::internal, SaveOrder.NAMES));
        for (Param x : p) t.addAll(x.saved());
    }

    /**
     * PhiForCausalLM (transformers 5.18), in registration order (no weight conversion for phi): embed_tokens (padding_idx =
     * pad_token_id), per layer self_attn q/k/v_proj and dense (all biased), q_layernorm and k_layernorm (qk_layernorm),
     * mlp.fc1 and fc2 (biased), input_layernorm; final_layernorm; lm_head (weight dropped when tied, its bias always saved).
     * No custom _init_weights: PreTrainedModel's normal(0, initializer_range), the pad row zeroed, biases zeros, LayerNorms
     * ones and zeros.
     */
    private static void phi(ModelConfig.Phi c, List<TensorSpec> t) {
        double std = c.initializerRange();
        long h = c.hidden();
        long q = Math.multiplyExact(c.heads(), c.headDim()), kv = Math.multiplyExact(c.kvHeads(), c.headDim());
        t.add(TensorSpec.embedding("model.embed_tokens.weight", c.vocab(), h, std, c.padTokenId()));
        layers(t, "model.layers.", c.layers(), "num_hidden_layers", x -> 1, (l, pre, i) -> {
            linear(l, pre + "self_attn.q_proj", q, h, std, true);
            linear(l, pre + "self_attn.k_proj", kv, h, std, true);
            linear(l, pre + "self_attn.v_proj", kv, h, std, true);
            linear(l, pre + "self_attn.dense", h, q, std, true);
            if (c.qkLayernorm()) {   // PhiAttention sizes them hidden_size // num_attention_heads (the parser makes that head_dim)
                layerNorm(l, pre + "self_attn.q_layernorm", c.hidden() / c.heads());
                layerNorm(l, pre + "self_attn.k_layernorm", c.hidden() / c.heads());
            }
            linear(l, pre + "mlp.fc1", c.intermediate(), h, std, true);
            linear(l, pre + "mlp.fc2", h, c.intermediate(), std, true);
            layerNorm(l, pre + "input_layernorm", h);
        });
        layerNorm(t, "model.final_layernorm", h);
        if (!c.tieEmbeddings()) t.add(TensorSpec.linear("lm_head.weight", c.vocab(), h, std));
        t.add(TensorSpec.bias("lm_head.bias", c.vocab()));
    }

    /**
     * Starcoder2ForCausalLM (transformers 5.18), in registration order (no weight conversion for starcoder2): embed_tokens
     * (padding_idx = pad_token_id), per layer self_attn q/k/v/o_proj and mlp.c_fc / c_proj (biased by use_bias), then the
     * input_layernorm and post_attention_layernorm LayerNorms (always with biases); model.norm (a LayerNorm); lm_head (no bias;
     * dropped when tied, the default). No custom _init_weights: PreTrainedModel's normal(0, initializer_range), the pad row
     * zeroed, biases zeros, LayerNorms ones and zeros.
     */
    private static void starcoder2(ModelConfig.Starcoder2 c, List<TensorSpec> t) {
        double std = c.initializerRange();
        long h = c.hidden();
        long q = Math.multiplyExact(c.heads(), c.headDim()), kv = Math.multiplyExact(c.kvHeads(), c.headDim());
        t.add(TensorSpec.embedding("model.embed_tokens.weight", c.vocab(), h, std, c.padTokenId()));
        layers(t, "model.layers.", c.layers(), "num_hidden_layers", x -> 1, (l, pre, i) -> {
            linear(l, pre + "self_attn.q_proj", q, h, std, c.bias());
            linear(l, pre + "self_attn.k_proj", kv, h, std, c.bias());
            linear(l, pre + "self_attn.v_proj", kv, h, std, c.bias());
            linear(l, pre + "self_attn.o_proj", h, q, std, c.bias());
            linear(l, pre + "mlp.c_fc", c.intermediate(), h, std, c.bias());
            linear(l, pre + "mlp.c_proj", h, c.intermediate(), std, c.bias());
            layerNorm(l, pre + "input_layernorm", h);
            layerNorm(l, pre + "post_attention_layernorm", h);
        });
        layerNorm(t, "model.norm", h);
        if (!c.tieEmbeddings()) t.add(TensorSpec.linear("lm_head.weight", c.vocab(), h, std));
    }

    /** Appends layer {@code index}'s entries to {@code t}, their names starting with {@code prefix} ("model.layers.3."). */
    private interface Layer<T> {
        void add(List<T> t, String prefix, long index);
    }

    /**
     * Appends {@code count} layers of entries holding {@code tensors} tensors each. A count whose tensors would pass
     * {@link #MAX_TENSORS} is refused, naming {@code field}: a typo of 2147483647 layers must fail at once, not after filling
     * the heap with their names (layer 0 decides at once; layers of other sizes, as MoE models' dense ones, as they come).
     */
    private static <T> void layers(List<T> t, String prefix, long count, String field, ToIntFunction<T> tensors, Layer<T> layer) {
        long total = 0;
        for (T x : t) total += tensors.applyAsInt(x);
        for (long i = 0; i < count; i++) {
            List<T> one = new ArrayList<>();
            layer.add(one, prefix + i + ".", i);
            long n = 0;
            for (T x : one) n += tensors.applyAsInt(x);
            if (i == 0 ? count > (MAX_TENSORS - total) / n : n > MAX_TENSORS - total) {
                throw new IllegalArgumentException(field + " (" + count + ") is too large: at " + n + " tensors per layer that is more "
                        + "than the " + MAX_TENSORS + " tensors tensorinit plans (real checkpoints have up to a few tens of thousands)");
            }
            total += n;
            t.addAll(one);
        }
    }

    private static void linear(List<TensorSpec> t, String module, long out, long in, double std, boolean bias) {
        t.add(TensorSpec.linear(module + ".weight", out, in, std));
        if (bias) t.add(TensorSpec.bias(module + ".bias", out));
    }

    /** A gated MLP (gate_proj, up_proj, down_proj, in that registration order) of {@code inner} under {@code prefix}. */
    private static void mlp(List<TensorSpec> t, String prefix, long inner, long hidden, double std, boolean bias) {
        linear(t, prefix + "gate_proj", inner, hidden, std, bias);
        linear(t, prefix + "up_proj", inner, hidden, std, bias);
        linear(t, prefix + "down_proj", hidden, inner, std, bias);
    }

    private static void conv1d(List<TensorSpec> t, String module, long in, long out, double std) {
        t.add(TensorSpec.conv1d(module + ".weight", in, out, std));
        t.add(TensorSpec.bias(module + ".bias", out));
    }

    private static void layerNorm(List<TensorSpec> t, String module, long n) {
        t.add(TensorSpec.norm(module + ".weight", n));
        t.add(TensorSpec.bias(module + ".bias", n));
    }
}

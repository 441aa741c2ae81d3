package dev.tensorinit.cli.model;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BiFunction;

/**
 * The tensors {@code save_pretrained} writes for a config, in {@code state_dict()} order (module
 * registration order, which also decides how shards are cut). Non-persistent buffers (rotary
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
            case ModelConfig.Gpt2 g -> gpt2(g, t);
            case ModelConfig.Bert b -> bert(b, t);
        }
        return List.copyOf(t);
    }

    /** LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM, GemmaForCausalLM, Gemma2ForCausalLM, Gemma3ForCausalLM. */
    private static void decoder(ModelConfig.Decoder c, List<TensorSpec> t) {
        double std = c.initializerRange();
        long q = Math.multiplyExact(c.heads(), c.headDim());
        long kv = Math.multiplyExact(c.kvHeads(), c.headDim());
        BiFunction<String, Long, TensorSpec> norm = c.offsetNorms() ? TensorSpec::offsetNorm : TensorSpec::norm;
        t.add(TensorSpec.embedding("model.embed_tokens.weight", c.vocab(), c.hidden(), std, c.padTokenId()));
        layers(t, "model.layers.", c.layers(), "num_hidden_layers", (l, p) -> {
            linear(l, p + "self_attn.q_proj", q, c.hidden(), std, c.qkvBias());
            linear(l, p + "self_attn.k_proj", kv, c.hidden(), std, c.qkvBias());
            linear(l, p + "self_attn.v_proj", kv, c.hidden(), std, c.qkvBias());
            linear(l, p + "self_attn.o_proj", c.hidden(), q, std, c.outBias());
            if (c.qkNorms()) {
                l.add(norm.apply(p + "self_attn.q_norm.weight", c.headDim()));
                l.add(norm.apply(p + "self_attn.k_norm.weight", c.headDim()));
            }
            linear(l, p + "mlp.gate_proj", c.intermediate(), c.hidden(), std, c.mlpBias());
            linear(l, p + "mlp.up_proj", c.intermediate(), c.hidden(), std, c.mlpBias());
            linear(l, p + "mlp.down_proj", c.hidden(), c.intermediate(), std, c.mlpBias());
            l.add(norm.apply(p + "input_layernorm.weight", c.hidden()));
            l.add(norm.apply(p + "post_attention_layernorm.weight", c.hidden()));
            if (c.feedForwardNorms()) {
                l.add(norm.apply(p + "pre_feedforward_layernorm.weight", c.hidden()));
                l.add(norm.apply(p + "post_feedforward_layernorm.weight", c.hidden()));
            }
        });
        t.add(norm.apply("model.norm.weight", c.hidden()));
        if (!c.tieEmbeddings()) t.add(TensorSpec.linear("lm_head.weight", c.vocab(), c.hidden(), std));
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
        layers(t, "transformer.h.", c.layers(), "n_layer", (l, p) -> {
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
        layers(t, "encoder.layer.", c.layers(), "num_hidden_layers", (l, p) -> {
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

    /** Appends one layer's tensors to {@code t}, their names starting with {@code prefix} ("model.layers.3."). */
    private interface Layer {
        void add(List<TensorSpec> t, String prefix);
    }

    /**
     * Appends {@code count} layers. A count whose tensors would pass {@link #MAX_TENSORS} is refused first, naming
     * {@code field}: a typo of 2147483647 layers must fail at once, not after filling the heap with their names.
     */
    private static void layers(List<TensorSpec> t, String prefix, long count, String field, Layer layer) {
        List<TensorSpec> first = new ArrayList<>();
        layer.add(first, prefix + "0.");
        if (count > (MAX_TENSORS - t.size()) / first.size()) {
            throw new IllegalArgumentException(field + " (" + count + ") is too large: at " + first.size() + " tensors per layer that is more "
                    + "than the " + MAX_TENSORS + " tensors tensorinit plans (a real checkpoint has a few thousand)");
        }
        t.addAll(first);
        for (long i = 1; i < count; i++) layer.add(t, prefix + i + ".");
    }

    private static void linear(List<TensorSpec> t, String module, long out, long in, double std, boolean bias) {
        t.add(TensorSpec.linear(module + ".weight", out, in, std));
        if (bias) t.add(TensorSpec.bias(module + ".bias", out));
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

package dev.tensorinit.cli;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.tensorinit.cli.model.Scheme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each scheme draws each kind of tensor from the right distribution: sample mean and std of every
 * weight against the formula for its fans (from 16384 to 524288 samples: the std is checked to 3 %,
 * more than 5 standard errors), supports of uniform and truncated draws, ones and zeros exact, the
 * pad row zero. Fans come from the module's layout: Linear [out, in], Conv1D [in, out].
 */
class ModelStatisticsTest {
    @TempDir Path dir;

    private static final String LLAMA = "{\"model_type\": \"llama\", \"vocab_size\": 2048, \"hidden_size\": 256, \"intermediate_size\": 768, "
            + "\"num_hidden_layers\": 1, \"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"pad_token_id\": 5, "
            + "\"attention_bias\": true, \"initializer_range\": 0.02}";
    private static final String GPT2 = "{\"model_type\": \"gpt2\", \"vocab_size\": 1024, \"n_embd\": 128, \"n_layer\": 2, \"n_head\": 4, "
            + "\"n_positions\": 256, \"n_inner\": 512, \"initializer_range\": 0.02}";
    private static final String GPT_OSS = "{\"model_type\": \"gpt_oss\", \"vocab_size\": 512, \"hidden_size\": 128, \"intermediate_size\": 96, "
            + "\"num_hidden_layers\": 1, \"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"head_dim\": 32, \"num_local_experts\": 4, "
            + "\"initializer_range\": 0.02}";
    private static final String NANOCHAT = "{\"model_type\": \"nanochat\", \"vocab_size\": 512, \"hidden_size\": 128, \"intermediate_size\": 512, "
            + "\"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"initializer_range\": 0.02}";
    private static final String GEMMA4 = "{\"model_type\": \"gemma4_text\", \"vocab_size\": 512, \"hidden_size\": 128, \"intermediate_size\": 256, "
            + "\"num_hidden_layers\": 1, \"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"head_dim\": 32, \"global_head_dim\": 32, "
            + "\"hidden_size_per_layer_input\": 0, \"enable_moe_block\": true, \"num_experts\": 4, \"top_k_experts\": 2, "
            + "\"moe_intermediate_size\": 96, \"initializer_range\": 0.02}";
    private static final String QWEN3_5 = "{\"model_type\": \"qwen3_5_text\", \"vocab_size\": 256, \"hidden_size\": 64, \"intermediate_size\": 64, "
            + "\"num_hidden_layers\": 2, \"layer_types\": [\"linear_attention\", \"full_attention\"], \"num_attention_heads\": 2, "
            + "\"num_key_value_heads\": 1, \"head_dim\": 16, \"linear_num_key_heads\": 4, \"linear_num_value_heads\": 8, "
            + "\"linear_key_head_dim\": 64, \"linear_value_head_dim\": 64, \"linear_conv_kernel_dim\": 16, \"initializer_range\": 0.02}";
    private static final String GRANITEMOESHARED = "{\"model_type\": \"granitemoeshared\", \"vocab_size\": 512, \"hidden_size\": 128, "
            + "\"intermediate_size\": 96, \"shared_intermediate_size\": 128, \"num_hidden_layers\": 1, \"num_attention_heads\": 4, "
            + "\"num_local_experts\": 4, \"initializer_range\": 0.02}";
    private static final double TRUNCATED_STD = 0.87962566103423978;

    private Map<String, TensorFiles.Parsed> write(String json, Scheme scheme) throws IOException {
        Path config = dir.resolve("config-" + json.hashCode() + ".json");
        Files.writeString(config, json);
        Path out = dir.resolve(scheme.id() + "-" + json.hashCode());
        ModelCommandTest.ok("model", "--config", config.toString(), "--out", out.toString(), "--scheme", scheme.id(), "--seed", "2024",
                "--dtype", "f32");
        return ModelCommandTest.readCheckpoint(out);
    }

    /** The std the scheme gives a weight with these fans (HF: the class's std). */
    private static double expectedStd(Scheme s, long fanIn, long fanOut, double hfStd) {
        return switch (s) {
            case HF -> hfStd;
            case XAVIER_UNIFORM, XAVIER_NORMAL, GLOROT_UNIFORM, GLOROT_NORMAL -> Math.sqrt(2.0 / (fanIn + fanOut));
            case KAIMING_UNIFORM, KAIMING_NORMAL -> Math.sqrt(2.0) / Math.sqrt(fanIn); // leaky_relu gain with a = 0
            case HE_NORMAL -> Math.sqrt(2.0 / fanIn);
            case LECUN_NORMAL -> Math.sqrt(1.0 / fanIn);
        };
    }

    /** Largest |value| the scheme can draw, or infinity for an untruncated normal. */
    private static double bound(Scheme s, double std) {
        return switch (s) {
            case XAVIER_UNIFORM, KAIMING_UNIFORM, GLOROT_UNIFORM -> Math.sqrt(3) * std;
            case GLOROT_NORMAL, HE_NORMAL, LECUN_NORMAL -> 2 * std / TRUNCATED_STD;
            default -> Double.POSITIVE_INFINITY;
        };
    }

    private static void checkWeight(String name, TensorFiles.Parsed p, double std, double bound) {
        float[] v = ModelCommandTest.f32(p.data());
        double sum = 0, sq = 0, max = 0;
        for (float x : v) {
            sum += x;
            max = Math.max(max, Math.abs(x));
        }
        double mean = sum / v.length;
        for (float x : v) sq += (x - mean) * (x - mean);
        double s = Math.sqrt(sq / (v.length - 1));
        assertTrue(v.length >= 16384, name + " sample size " + v.length);
        assertTrue(Math.abs(mean) < 6 * std / Math.sqrt(v.length), name + " mean " + mean + " for std " + std);
        assertEquals(1.0, s / std, 0.03, name + " std " + s + " expected " + std);
        assertTrue(max <= bound * (1 + 1e-6), name + " max |x| " + max + " over the bound " + bound);
    }

    /** A fused 3-D expert weight, saved 3-D, drawn with one expert's fans: fan_in from dimension {@code inDim}, fan_out from {@code outDim}. */
    private static void checkFusedExperts(String name, TensorFiles.Parsed w, Scheme scheme, int inDim, int outDim) {
        assertEquals(3, w.shape().length, name + " is saved 3-D");
        double std = expectedStd(scheme, w.shape()[inDim], w.shape()[outDim], 0.02);
        checkWeight(name, w, std, bound(scheme, std));
    }

    private static void checkConstant(String name, TensorFiles.Parsed p, float value) {
        for (float x : ModelCommandTest.f32(p.data())) {
            assertEquals(Float.floatToRawIntBits(value), Float.floatToRawIntBits(x), name + " must be exactly " + value);
        }
    }

    @ParameterizedTest
    @EnumSource(Scheme.class)
    void llamaLinearWeightsNormsBiasesAndEmbedding(Scheme scheme) throws IOException {
        Map<String, TensorFiles.Parsed> t = write(LLAMA, scheme);
        // [out, in] = torch layout: fan_in = in (dim 1), fan_out = out (dim 0).
        String[] linears = {"q_proj", "k_proj", "o_proj"};
        for (String m : linears) {
            TensorFiles.Parsed p = t.get("model.layers.0.self_attn." + m + ".weight");
            double std = expectedStd(scheme, p.shape()[1], p.shape()[0], 0.02);
            checkWeight(m, p, std, bound(scheme, std));
            checkConstant(m + ".bias", t.get("model.layers.0.self_attn." + m + ".bias"), 0f);
        }
        for (String m : new String[] {"gate_proj", "down_proj"}) { // 768x256 and 256x768: kaiming/he/lecun tell the fans apart
            TensorFiles.Parsed p = t.get("model.layers.0.mlp." + m + ".weight");
            double std = expectedStd(scheme, p.shape()[1], p.shape()[0], 0.02);
            checkWeight(m, p, std, bound(scheme, std));
        }
        TensorFiles.Parsed head = t.get("lm_head.weight");
        double headStd = expectedStd(scheme, 256, 2048, 0.02);
        checkWeight("lm_head", head, headStd, bound(scheme, headStd));
        checkConstant("input_layernorm", t.get("model.layers.0.input_layernorm.weight"), 1f);
        checkConstant("norm", t.get("model.norm.weight"), 1f);
        // Embeddings keep normal(0, initializer_range) under every scheme, and the pad row is zero.
        TensorFiles.Parsed embed = t.get("model.embed_tokens.weight");
        float[] e = ModelCommandTest.f32(embed.data());
        for (int c = 0; c < 256; c++) assertEquals(0, Float.floatToRawIntBits(e[5 * 256 + c]), "pad row 5 col " + c);
        checkWeight("embed_tokens", embed, 0.02, Double.POSITIVE_INFINITY);
    }

    @ParameterizedTest
    @EnumSource(Scheme.class)
    void gpt2Conv1dWeightsUseTheirInOutLayout(Scheme scheme) throws IOException {
        Map<String, TensorFiles.Parsed> t = write(GPT2, scheme);
        double residual = 0.02 / Math.sqrt(2 * 2); // hf: c_proj gets initializer_range / sqrt(2 * n_layer)
        for (int layer = 0; layer < 2; layer++) {
            String p = "transformer.h." + layer + ".";
            for (String m : new String[] {"attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"}) {
                TensorFiles.Parsed w = t.get(p + m + ".weight");
                // Conv1D [in, out]: fan_in = dim 0, fan_out = dim 1.
                double std = expectedStd(scheme, w.shape()[0], w.shape()[1], m.endsWith("c_proj") ? residual : 0.02);
                if (w.shape()[0] * w.shape()[1] >= 16384) checkWeight(p + m, w, std, bound(scheme, std));
                checkConstant(p + m + ".bias", t.get(p + m + ".bias"), 0f);
            }
            checkConstant(p + "ln_1.weight", t.get(p + "ln_1.weight"), 1f);
            checkConstant(p + "ln_2.bias", t.get(p + "ln_2.bias"), 0f);
        }
        checkWeight("wte", t.get("transformer.wte.weight"), 0.02, Double.POSITIVE_INFINITY);
        checkWeight("wpe", t.get("transformer.wpe.weight"), 0.02, Double.POSITIVE_INFINITY);
        assertTrue(!t.containsKey("lm_head.weight"), "tied by default");
    }

    /**
     * NanoChat: o_proj drawn with initializer_range / sqrt(2 * num_hidden_layers) under hf (NanoChatPreTrainedModel._init_weights;
     * hf_check load measured 0.0071 for 0.02 / sqrt(8)), the other Linears and the scaled o_proj by their fans under the
     * other schemes; fc1/fc2 instead of gate/up/down; no norm weights at all; pad row 1 (the class default) zero.
     */
    @ParameterizedTest
    @EnumSource(Scheme.class)
    void nanochatScalesOProjAndSavesNoNorms(Scheme scheme) throws IOException {
        Map<String, TensorFiles.Parsed> t = write(NANOCHAT, scheme);
        double residual = 0.02 / Math.sqrt(2 * 2);
        for (int layer = 0; layer < 2; layer++) {
            String p = "model.layers." + layer + ".";
            for (String m : new String[] {"self_attn.q_proj", "self_attn.o_proj", "mlp.fc1", "mlp.fc2"}) {
                TensorFiles.Parsed w = t.get(p + m + ".weight");
                double std = expectedStd(scheme, w.shape()[1], w.shape()[0], m.endsWith("o_proj") ? residual : 0.02);
                checkWeight(p + m, w, std, bound(scheme, std));
            }
        }
        assertTrue(t.keySet().stream().noneMatch(k -> k.contains("norm")), "weightless norms: " + t.keySet());
        float[] e = ModelCommandTest.f32(t.get("model.embed_tokens.weight").data());
        for (int c = 0; c < 128; c++) assertEquals(0, Float.floatToRawIntBits(e[128 + c]), "pad row 1 col " + c);
    }

    /**
     * GPT-OSS's fused experts [E, in, out] (each used as x @ W[e]) get one expert's fans: gate_up_proj [4, 128, 192] fan_in
     * 128 and fan_out 192, down_proj [4, 96, 128] fan_in 96 and fan_out 128 (the fan_in schemes tell them apart; the
     * torch layout would read 128·192 and 4·192, the jax one 4·128 and 4·192). Expert and router biases are zeros but
     * under hf, which draws the router bias normal(0, 0.02) as the class does.
     */
    @ParameterizedTest
    @EnumSource(Scheme.class)
    void gptOssFusedExpertsUseOneExpertsFans(Scheme scheme) throws IOException {
        Map<String, TensorFiles.Parsed> t = write(GPT_OSS, scheme);
        String p = "model.layers.0.mlp.";
        for (String m : new String[] {"experts.gate_up_proj", "experts.down_proj"}) {
            checkFusedExperts(m, t.get(p + m), scheme, 1, 2);   // [E, in, out]
            checkConstant(m + "_bias", t.get(p + m + "_bias"), 0f);
        }
        TensorFiles.Parsed router = t.get(p + "router.weight");   // a Linear [experts, hidden]
        double std = expectedStd(scheme, 128, 4, 0.02);
        if (scheme == Scheme.HF) {
            assertTrue(ModelCommandTest.f32(t.get(p + "router.bias").data())[0] != 0, "hf draws the router bias");
        } else {
            checkConstant("router.bias", t.get(p + "router.bias"), 0f);
        }
        float[] r = ModelCommandTest.f32(router.data());
        for (float x : r) assertTrue(Math.abs(x) <= Math.min(bound(scheme, std), 10 * std), "router weight " + x + " for std " + std);
    }

    /**
     * Gemma 4's fused experts are held [E, out, in], each expert an nn.Linear weight: gate_up_proj [4, 192, 128] has fan_in
     * 128 and fan_out 192, down_proj [4, 128, 96] fan_in 96 and fan_out 128 (the opposite reading to GPT-OSS's). Its
     * layer_scalar buffer and the router's scale and per_expert_scale are ones under every scheme.
     */
    @ParameterizedTest
    @EnumSource(Scheme.class)
    void gemma4LinearExpertsUseOneExpertsOutInFans(Scheme scheme) throws IOException {
        Map<String, TensorFiles.Parsed> t = write(GEMMA4, scheme);
        String p = "model.layers.0.";
        for (String m : new String[] {"experts.gate_up_proj", "experts.down_proj"}) checkFusedExperts(m, t.get(p + m), scheme, 2, 1);   // [E, out, in]
        checkConstant("layer_scalar", t.get(p + "layer_scalar"), 1f);
        checkConstant("router.scale", t.get(p + "router.scale"), 1f);
        checkConstant("router.per_expert_scale", t.get(p + "router.per_expert_scale"), 1f);
    }

    /**
     * Qwen3.5's GatedDeltaNet: conv1d [1024, 1, 16] is an nn.Conv1d drawn with torch's own fans, fan_in 1 · 16 and fan_out
     * 1024 · 16 (normal(0, 0.02) under hf); A_log is ln U(0.01, 16) under every scheme; dt_bias and the gated norm are ones,
     * the (1 + weight) RMSNorms zeros.
     */
    @ParameterizedTest
    @EnumSource(Scheme.class)
    void qwen35LinearAttentionTensors(Scheme scheme) throws IOException {
        Map<String, TensorFiles.Parsed> t = write(QWEN3_5, scheme);
        String p = "model.layers.0.linear_attn.";
        TensorFiles.Parsed conv = t.get(p + "conv1d.weight");
        assertEquals(3, conv.shape().length, "conv1d is saved [C, 1, k]");
        double std = expectedStd(scheme, 16, 1024L * 16, 0.02);
        checkWeight("conv1d", conv, std, bound(scheme, std));
        for (float x : ModelCommandTest.f32(t.get(p + "A_log").data())) {
            assertTrue(x >= Math.log(0.01) - 1e-6 && x <= Math.log(16) + 1e-6, "A_log " + x + " outside [ln 0.01, ln 16]");
        }
        checkConstant("dt_bias", t.get(p + "dt_bias"), 1f);
        checkConstant("norm", t.get(p + "norm.weight"), 1f);
        checkConstant("input_layernorm", t.get("model.layers.0.input_layernorm.weight"), 0f);
        checkConstant("q_norm", t.get("model.layers.1.self_attn.q_norm.weight"), 0f);
    }

    /**
     * Granite MoE's fused experts are held [E, out, in] (each F.linear(x, W[e])) and saved so under the checkpoint names:
     * input_linear [4, 192, 128] has fan_in 128 and fan_out 192, output_linear [4, 128, 96] fan_in 96 and fan_out 128; the
     * shared_mlp's input_linear [256, 128] and output_linear [128, 128] are plain [out, in] Linears (the router, [4, 128], is
     * one too, but too small to measure here).
     */
    @ParameterizedTest
    @EnumSource(Scheme.class)
    void graniteMoeExpertsUseOneExpertsOutInFans(Scheme scheme) throws IOException {
        Map<String, TensorFiles.Parsed> t = write(GRANITEMOESHARED, scheme);
        String p = "model.layers.0.";
        for (String m : new String[] {"block_sparse_moe.input_linear.weight", "block_sparse_moe.output_linear.weight"}) {
            checkFusedExperts(m, t.get(p + m), scheme, 2, 1);   // [E, out, in]
        }
        for (String m : new String[] {"shared_mlp.input_linear.weight", "shared_mlp.output_linear.weight"}) {
            TensorFiles.Parsed w = t.get(p + m);
            assertEquals(2, w.shape().length, m);
            double std = expectedStd(scheme, w.shape()[1], w.shape()[0], 0.02);
            checkWeight(m, w, std, bound(scheme, std));
        }
    }
}

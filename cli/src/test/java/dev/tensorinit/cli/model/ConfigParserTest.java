package dev.tensorinit.cli.model;

import dev.tensorinit.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigParserTest {

    private static ModelConfig parse(String json) {
        return ConfigParser.parse(json.getBytes(StandardCharsets.UTF_8), "config.json");
    }

    /**
     * Each row {edit, part of the message}: the config {@code config.apply(edit)} is refused with a message holding that part
     * (on one line where {@code oneLine}).
     */
    private static void assertRefused(java.util.function.UnaryOperator<String> config, String[][] rows, boolean oneLine) {
        for (String[] r : rows) {
            String json = config.apply(r[0]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(json), json);
            assertTrue(e.getMessage().contains(r[1]), r[0] + ": " + e.getMessage());
            if (oneLine) assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
        }
    }

    private static String llama(String extra) {
        return "{\"model_type\": \"llama\", \"vocab_size\": 100, \"hidden_size\": 64, \"intermediate_size\": 128, "
                + "\"num_hidden_layers\": 2, \"num_attention_heads\": 4" + extra + "}";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json                | {\"model_type\": \"llama\",                           | config.json is not valid JSON",
            "not an object           | [1, 2]                                                | must hold a JSON object",
            "no model_type           | {\"vocab_size\": 3}                                   | has no model_type (supported: llama, mistral, qwen2, qwen3, gemma, gemma2, gemma3_text, phi3, olmo2, olmo3, smollm3, granite, granitemoe, granitemoeshared, ministral3, seed_oss, nanochat, mixtral, qwen2_moe, qwen3_moe, olmoe, minimax_m2, deepseek_v2, deepseek_v3, deepseek_v32, glm4_moe_lite, glm4_moe, gpt_oss, llama4_text, gpt2, qwen3_next, qwen3_5_text, qwen3_5_moe_text, bert, gemma4_text, gpt_neox, phi, starcoder2)",
            "unknown model_type      | {\"model_type\": \"t5\"}                              | unsupported model_type 't5' (supported: llama, mistral, qwen2, qwen3, gemma, gemma2, gemma3_text, phi3, olmo2, olmo3, smollm3, granite, granitemoe, granitemoeshared, ministral3, seed_oss, nanochat, mixtral, qwen2_moe, qwen3_moe, olmoe, minimax_m2, deepseek_v2, deepseek_v3, deepseek_v32, glm4_moe_lite, glm4_moe, gpt_oss, llama4_text, gpt2, qwen3_next, qwen3_5_text, qwen3_5_moe_text, bert, gemma4_text, gpt_neox, phi, starcoder2)",
            "model_type in capitals  | {\"model_type\": \"LLAMA\", \"vocab_size\": 10}     | model_type 'LLAMA' must be written 'llama': transformers matches it exactly",
            "model_type with a space | {\"model_type\": \" gpt2\", \"vocab_size\": 10}     | model_type ' gpt2' must be written 'gpt2'",
            "missing hidden_size     | {\"model_type\": \"llama\", \"vocab_size\": 10}       | config.json has no hidden_size",
            "missing vocab           | {\"model_type\": \"bert\"}                            | config.json has no vocab_size",
            "gpt2 missing n_embd     | {\"model_type\": \"gpt2\", \"vocab_size\": 10}        | has no n_embd or hidden_size",
            "mistral needs kv heads  | {\"model_type\": \"mistral\", \"vocab_size\": 10, \"hidden_size\": 8, \"intermediate_size\": 8, \"num_hidden_layers\": 1, \"num_attention_heads\": 2} | has no num_key_value_heads",
    })
    void badConfigsNameTheProblem(String what, String json, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(json));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "zero vocab              | , \"vocab_size\": 0                  | vocab_size must be a positive integer, got 0",
            "negative layers         | , \"num_hidden_layers\": -1          | num_hidden_layers must be a positive integer, got -1",
            "fractional size         | , \"intermediate_size\": 12.5        | intermediate_size must be a positive integer, got 12.5",
            "string size             | , \"hidden_size\": \"64\"            | hidden_size must be a positive integer, got \"64\"",
            "heads do not divide     | , \"num_attention_heads\": 5         | hidden_size (64) must be a multiple of num_attention_heads (5)",
            "heads do not divide, head_dim given | , \"num_attention_heads\": 6, \"head_dim\": 8 | hidden_size (64) must be a multiple of num_attention_heads (6) for llama, even with head_dim",
            "kv heads do not divide  | , \"num_key_value_heads\": 3         | num_attention_heads (4) must be a multiple of num_key_value_heads (3)",
            "pad outside vocab       | , \"pad_token_id\": 100              | pad_token_id 100 is outside the vocabulary of 100 tokens",
            "pad below -vocab        | , \"pad_token_id\": -101             | pad_token_id -101 is outside the vocabulary of 100 tokens",
            "zero init range         | , \"initializer_range\": 0.0         | initializer_range must be a number > 0, got 0.0",
            "integer init range      | , \"initializer_range\": 1           | initializer_range must be written as a float (1.0): transformers refuses the integer 1",
            "null init range         | , \"initializer_range\": null        | initializer_range is null, which transformers refuses (it must be a number such as 0.02)",
            "null tie                | , \"tie_word_embeddings\": null      | tie_word_embeddings is null, which transformers refuses (it must be true or false)",
            "null attention_bias     | , \"attention_bias\": null           | attention_bias is null, which transformers refuses",
            "null mlp_bias           | , \"mlp_bias\": null                 | mlp_bias is null, which transformers refuses",
            "vocab past 2^63         | , \"vocab_size\": 99999999999999999999999 | vocab_size (99999999999999999999999) is too large: more than 2^63-1",
            "tie not a bool          | , \"tie_word_embeddings\": 1         | tie_word_embeddings must be true or false, got 1",
            "zero head_dim           | , \"head_dim\": 0                    | head_dim must be a positive integer, got 0",
            "odd head_dim            | , \"head_dim\": 7                    | head_dim (7) must be even: rotary embeddings rotate pairs of dimensions",
            "odd hidden / heads      | , \"num_attention_heads\": 8, \"hidden_size\": 40, \"num_key_value_heads\": 8 | head_dim = hidden_size / num_attention_heads (40 / 8 = 5) must be even",
    })
    void badLlamaFieldsNameTheFieldAndValue(String what, String extra, String message) {
        // A later key wins in Jackson's tree, so the extra field overrides the valid one.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(llama(extra)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /** transformers reads config.json as text, where Python's json refuses a byte order mark: the copy would not load. */
    @Test void aByteOrderMarkIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("\uFEFF" + llama("")));
        assertEquals("config.json starts with a UTF-8 byte order mark, which transformers refuses (Python's json: "
                + "\"Unexpected UTF-8 BOM\"); save it without one", e.getMessage());
    }

    /** Rotary embeddings need an even head_dim in every decoder (transformers' validate_rope refuses an odd one). */
    @ParameterizedTest
    @CsvSource({"llama", "mistral", "qwen2"})
    void everyRotaryDecoderRefusesAnOddHeadDim(String type) {
        String json = "{\"model_type\": \"" + type + "\", \"vocab_size\": 10, \"hidden_size\": 18, \"intermediate_size\": 8, "
                + "\"num_hidden_layers\": 1, \"num_attention_heads\": 2, \"num_key_value_heads\": 1}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(json));
        assertEquals("head_dim = hidden_size / num_attention_heads (18 / 2 = 9) must be even: rotary embeddings rotate pairs of dimensions",
                e.getMessage());
        assertEquals(8, ((ModelConfig.Decoder) parse(json.replace("}", ", \"head_dim\": 8}"))).headDim(), "an even head_dim is fine");
    }

    private static String decoder(String type, String extra) {
        return "{\"model_type\": \"" + type + "\", \"vocab_size\": 100, \"hidden_size\": 64, \"intermediate_size\": 128, "
                + "\"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"num_key_value_heads\": 2" + extra + "}";
    }

    /** Qwen3 and Gemma have their own head_dim defaults (128, 256), not hidden / heads: what their config classes build. */
    @ParameterizedTest
    @CsvSource({"qwen3, 128", "gemma, 256", "gemma2, 256", "gemma3_text, 256"})
    void qwen3AndGemmaTakeTheirClassHeadDimDefault(String type, long headDim) {
        assertEquals(headDim, ((ModelConfig.Decoder) parse(decoder(type, ""))).headDim());
        assertEquals(16, ((ModelConfig.Decoder) parse(decoder(type, ", \"head_dim\": 16"))).headDim());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(decoder(type, ", \"head_dim\": 15")));
        assertEquals("head_dim (15) must be even: rotary embeddings rotate pairs of dimensions", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse(decoder(type, ", \"head_dim\": null")));
        assertTrue(e.getMessage().contains("head_dim is null, which transformers refuses"), "their configs type it as a plain int: " + e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse(decoder(type, "").replace(", \"num_key_value_heads\": 2", "")));
        assertTrue(e.getMessage().contains("has no num_key_value_heads"), e.getMessage());
    }

    /** The class defaults that decide tensors: Gemma ties and pads row 0, Qwen3 neither; attention_bias covers q/k/v/o. */
    @Test void qwen3AndGemmaDefaults() {
        ModelConfig.Decoder q = (ModelConfig.Decoder) parse(decoder("qwen3", ""));
        assertTrue(!q.tieEmbeddings() && !q.qkvBias() && !q.outBias() && !q.mlpBias() && q.padTokenId().isEmpty());
        assertTrue(q.qkNorms() && !q.feedForwardNorms() && !q.offsetNorms());
        ModelConfig.Decoder qb = (ModelConfig.Decoder) parse(decoder("qwen3", ", \"attention_bias\": true, \"mlp_bias\": true"));
        assertTrue(qb.qkvBias() && qb.outBias() && !qb.mlpBias(), "Qwen3MLP has no bias whatever the config says");
        for (String g : new String[] {"gemma", "gemma2", "gemma3_text"}) {
            ModelConfig.Decoder d = (ModelConfig.Decoder) parse(decoder(g, ""));
            assertTrue(d.tieEmbeddings(), g + " ties by default");
            assertEquals(OptionalLong.of(0), d.padTokenId(), g + ": pad_token_id defaults to 0");
            assertTrue(d.offsetNorms(), g);
            assertEquals(OptionalLong.empty(), ((ModelConfig.Decoder) parse(decoder(g, ", \"pad_token_id\": null"))).padTokenId());
        }
        assertTrue(!((ModelConfig.Decoder) parse(decoder("gemma", ""))).feedForwardNorms());
        assertTrue(((ModelConfig.Decoder) parse(decoder("gemma2", ""))).feedForwardNorms());
        ModelConfig.Decoder g3 = (ModelConfig.Decoder) parse(decoder("gemma3_text", ""));
        assertTrue(g3.qkNorms() && g3.feedForwardNorms());
    }

    /** Gemma2Config and Gemma3TextConfig, like LlamaConfig, refuse hidden % heads != 0 even with a head_dim; Qwen3's and Gemma's do not. */
    @Test void whichDecodersRefuseHeadsThatDoNotDivideTheHiddenSize() {
        for (String t : new String[] {"gemma2", "gemma3_text"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> parse(decoder(t, ", \"num_attention_heads\": 6, \"head_dim\": 16")));
            assertEquals("hidden_size (64) must be a multiple of num_attention_heads (6) for " + t
                    + ", even with head_dim: transformers' config class refuses it", e.getMessage());
        }
        for (String t : new String[] {"qwen3", "gemma"}) {
            assertEquals(16, ((ModelConfig.Decoder) parse(decoder(t, ", \"num_attention_heads\": 6, \"head_dim\": 16"))).headDim());
        }
    }

    @Test void gpt2InnerDefaultThatOverflowsNamesNEmbd() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("{\"model_type\": \"gpt2\", \"vocab_size\": 10, "
                + "\"n_embd\": 4611686018427387904, \"n_layer\": 1, \"n_head\": 2, \"n_positions\": 8}"));
        assertEquals("n_embd (4611686018427387904) is too large: n_inner defaults to 4 * n_embd, more than 2^63-1", e.getMessage());
    }

    @Test void gpt2AndBertRefuseHeadsThatDoNotDivide() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("{\"model_type\": \"gpt2\", \"vocab_size\": 10, \"n_embd\": 10, "
                + "\"n_layer\": 1, \"n_head\": 3, \"n_positions\": 8}")).getMessage().contains("n_embd (10) must be a multiple of n_head (3)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("{\"model_type\": \"bert\", \"vocab_size\": 10, \"hidden_size\": 10, "
                + "\"num_hidden_layers\": 1, \"num_attention_heads\": 4, \"intermediate_size\": 8, \"max_position_embeddings\": 8}"))
                .getMessage().contains("hidden_size (10) must be a multiple of num_attention_heads (4)"));
    }

    @Test void gpt2AliasesMustAgree() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("{\"model_type\": \"gpt2\", \"vocab_size\": 10, "
                + "\"n_embd\": 8, \"hidden_size\": 16, \"n_layer\": 1, \"n_head\": 2, \"n_positions\": 8}"));
        assertTrue(e.getMessage().contains("n_embd = 8 and hidden_size = 16 disagree"), e.getMessage());
    }

    @Test void crossAttentionIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("{\"model_type\": \"gpt2\", \"vocab_size\": 10, "
                + "\"n_embd\": 8, \"n_layer\": 1, \"n_head\": 2, \"n_positions\": 8, \"add_cross_attention\": true}"));
        assertTrue(e.getMessage().contains("add_cross_attention"), e.getMessage());
    }

    @Test void classDefaultsApplyToOptionalFields() {
        ModelConfig.Decoder d = (ModelConfig.Decoder) parse(llama(""));
        assertEquals(4, d.kvHeads(), "LlamaConfig: num_key_value_heads defaults to num_attention_heads");
        assertEquals(16, d.headDim());
        assertEquals(0.02, d.initializerRange());
        assertEquals(OptionalLong.empty(), d.padTokenId());
        assertTrue(!d.tieEmbeddings() && !d.qkvBias() && !d.mlpBias());
        assertTrue(d.dtype().isEmpty());

        ModelConfig.Gpt2 g = (ModelConfig.Gpt2) parse("{\"model_type\": \"gpt2\", \"vocab_size\": 10, \"n_embd\": 8, \"n_layer\": 1, "
                + "\"n_head\": 2, \"n_positions\": 8}");
        assertTrue(g.tieEmbeddings(), "GPT2Config ties by default");
        assertEquals(32, g.inner(), "n_inner None means 4 * n_embd");

        ModelConfig.Bert b = (ModelConfig.Bert) parse("{\"model_type\": \"bert\", \"vocab_size\": 10, \"hidden_size\": 8, "
                + "\"num_hidden_layers\": 1, \"num_attention_heads\": 2, \"intermediate_size\": 8, \"max_position_embeddings\": 8}");
        assertEquals(OptionalLong.of(0), b.padTokenId(), "BertConfig: pad_token_id 0");
        assertEquals(2, b.typeVocab());
        ModelConfig.Bert noPad = (ModelConfig.Bert) parse("{\"model_type\": \"bert\", \"vocab_size\": 10, \"hidden_size\": 8, "
                + "\"num_hidden_layers\": 1, \"num_attention_heads\": 2, \"intermediate_size\": 8, \"max_position_embeddings\": 8, "
                + "\"pad_token_id\": null}");
        assertEquals(OptionalLong.empty(), noPad.padTokenId(), "an explicit null means no padding_idx");
    }

    /** Null where transformers 5 allows it (an Optional field) means the default; where it checks a plain type, a refusal. */
    @Test void nullIsTheDefaultOnlyWhereTransformersTakesIt() {
        assertEquals(16, ((ModelConfig.Decoder) parse(llama(", \"head_dim\": null, \"num_key_value_heads\": null"))).headDim());
        ModelConfig.Gpt2 g = (ModelConfig.Gpt2) parse("{\"model_type\": \"gpt2\", \"vocab_size\": 10, \"n_embd\": 8, \"n_layer\": 1, "
                + "\"n_head\": 2, \"n_positions\": 8, \"n_inner\": null}");
        assertEquals(32, g.inner());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("{\"model_type\": \"bert\", \"vocab_size\": 10, "
                + "\"hidden_size\": 8, \"num_hidden_layers\": 1, \"num_attention_heads\": 2, \"intermediate_size\": 8, "
                + "\"max_position_embeddings\": 8, \"type_vocab_size\": null}"));
        assertTrue(e.getMessage().contains("type_vocab_size is null, which transformers refuses (it must be a positive integer)"), e.getMessage());
        // Every config class types tie_word_embeddings, BertConfig too, though BertModel has no head to tie (QA round 2).
        e = assertThrows(IllegalArgumentException.class, () -> parse("{\"model_type\": \"bert\", \"vocab_size\": 10, "
                + "\"hidden_size\": 8, \"num_hidden_layers\": 1, \"num_attention_heads\": 2, \"intermediate_size\": 8, "
                + "\"max_position_embeddings\": 8, \"tie_word_embeddings\": null}"));
        assertTrue(e.getMessage().contains("tie_word_embeddings is null, which transformers refuses"), e.getMessage());
        // Qwen2: a null head_dim fails in its rotary set-up; a null num_key_value_heads is num_attention_heads (Qwen3 too).
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(decoder("qwen2", ", \"head_dim\": null"))).getMessage()
                .contains("head_dim is null, which transformers refuses"));
        for (String t : new String[] {"qwen2", "qwen3"}) {
            assertEquals(4, ((ModelConfig.Decoder) parse(decoder(t, "").replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": null")))
                    .kvHeads(), t);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(decoder("mistral", "")
                .replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": null"))).getMessage().contains("num_key_value_heads"));
    }

    @Test void negativePadIdCountsFromTheEndAsTorchDoes() {
        assertEquals(OptionalLong.of(99), ((ModelConfig.Decoder) parse(llama(", \"pad_token_id\": -1"))).padTokenId());
    }

    @Test void dtypeComesFromDtypeOrTorchDtype() {
        assertEquals(DType.BF16, parse(llama(", \"dtype\": \"bfloat16\"")).dtype().orElseThrow());
        assertEquals(DType.F16, parse(llama(", \"torch_dtype\": \"float16\"")).dtype().orElseThrow());
        assertTrue(parse(llama(", \"torch_dtype\": \"float64\"")).dtype().isEmpty(), "a torch float tensorinit does not write: f32");
        // transformers resolves the name with getattr(torch, name): torch.half is float16, torch.float is float32
        assertEquals(DType.F16, parse(llama(", \"torch_dtype\": \"half\"")).dtype().orElseThrow());
        assertEquals(DType.F32, parse(llama(", \"dtype\": \"float\"")).dtype().orElseThrow());
        // ... exactly as spelled: torch has no HALF, " float16", bf16 or torch.bfloat16, and int8 is no float (transformers
        // loads none of these configs): refused, where they used to give f32 without a word.
        for (String bad : new String[] {"HALF", " float16", "bf16", "torch.bfloat16", "int8", "auto"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(llama(", \"dtype\": \"" + bad + "\"")));
            assertEquals("dtype '" + bad + "' is not a floating-point torch dtype name (transformers refuses it); write float32, bfloat16 "
                    + "or float16", e.getMessage());
        }
    }

    @Test void qwen2HasQkvBiasesWhateverTheConfigSays() {
        ModelConfig.Decoder q = (ModelConfig.Decoder) parse("{\"model_type\": \"qwen2\", \"vocab_size\": 10, \"hidden_size\": 8, "
                + "\"intermediate_size\": 8, \"num_hidden_layers\": 1, \"num_attention_heads\": 2, \"num_key_value_heads\": 1, "
                + "\"attention_bias\": false}");
        assertTrue(q.qkvBias() && !q.outBias() && !q.mlpBias());
    }

    /** Only LlamaConfig checks hidden % heads when head_dim is given; MistralConfig and Qwen2Config build q_proj [96, 100]. */
    @ParameterizedTest
    @CsvSource({"mistral", "qwen2"})
    void mistralAndQwen2TakeAHeadDimWhoseHeadsDoNotDivideTheHiddenSize(String type) {
        ModelConfig.Decoder d = (ModelConfig.Decoder) parse("{\"model_type\": \"" + type + "\", \"vocab_size\": 10, \"hidden_size\": 100, "
                + "\"intermediate_size\": 8, \"num_hidden_layers\": 1, \"num_attention_heads\": 6, \"num_key_value_heads\": 2, "
                + "\"head_dim\": 16}");
        assertEquals(16, d.headDim());
    }

    private static String moe(String type, String extra) {
        String experts = switch (type) {
            case "mixtral" -> ", \"num_local_experts\": 4";
            case "qwen2_moe" -> ", \"num_experts\": 4, \"moe_intermediate_size\": 32, \"shared_expert_intermediate_size\": 48";
            default -> ", \"num_experts\": 4, \"moe_intermediate_size\": 32";
        };
        return decoder(type, experts + extra);
    }

    /**
     * MoE configs refused (the null, zero-step and type cases are ones transformers 5.18's AutoConfig + from_config refuses
     * too): expert counts and sizes must be written (their defaults, 8 to 128 experts, rarely fit a hand-made config);
     * Qwen's decoder_sparse_step must be at least 1 (0 divides by zero there); a null head_dim or kv-head count is refused.
     * 0 Mixtral experts and a 0-wide shared expert, which transformers builds as empty tensors, are refused as sizes.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "mixtral null experts        | mixtral   | , \"num_local_experts\": null       | num_local_experts is null; it must be a positive integer",
            "mixtral with 0 experts      | mixtral   | , \"num_local_experts\": 0          | num_local_experts must be a positive integer, got 0",
            "qwen3_moe null size         | qwen3_moe | , \"moe_intermediate_size\": null   | moe_intermediate_size is null; it must be a positive integer",
            "qwen2_moe null shared       | qwen2_moe | , \"shared_expert_intermediate_size\": null | shared_expert_intermediate_size is null",
            "top-k null                  | mixtral   | , \"num_experts_per_tok\": null     | num_experts_per_tok is null, which transformers refuses",
            "top-k a float               | qwen3_moe | , \"num_experts_per_tok\": 2.0      | num_experts_per_tok must be a positive integer, got 2.0",
            "top-k a string              | qwen2_moe | , \"num_experts_per_tok\": \"2\"      | num_experts_per_tok must be a positive integer, got \"2\"",
            "norm_topk_prob null         | qwen3_moe | , \"norm_topk_prob\": null          | norm_topk_prob is null, which transformers refuses",
            "negative experts            | qwen3_moe | , \"num_experts\": -1               | num_experts must be 0 or more, got -1",
            "a billion experts           | qwen2_moe | , \"num_experts\": 1000000000       | num_experts (1000000000) is too large: at 3 tensors per expert and layer",
            "sparse step 0               | qwen3_moe | , \"decoder_sparse_step\": 0        | decoder_sparse_step must be a positive integer, got 0",
            "sparse step null            | qwen2_moe | , \"decoder_sparse_step\": null     | decoder_sparse_step is null, which transformers refuses",
            "mlp_only_layers of text     | qwen2_moe | , \"mlp_only_layers\": [\"1\"]      | mlp_only_layers must be a list of integers, got [\"1\"]",
            "mlp_only_layers a number    | qwen3_moe | , \"mlp_only_layers\": 1            | mlp_only_layers must be a list of integers, got 1",
            "qwen3_moe null head_dim     | qwen3_moe | , \"head_dim\": null                 | head_dim is null, which transformers refuses",
            "qwen2_moe null head_dim     | qwen2_moe | , \"head_dim\": null                 | head_dim is null, which transformers refuses",
            "qwen2_moe null qkv_bias     | qwen2_moe | , \"qkv_bias\": null                 | qkv_bias is null, which transformers refuses",
            "mixtral null kv heads       | mixtral   | , \"num_key_value_heads\": null      | num_key_value_heads is null; it must be a positive integer",
            "qwen3_moe null kv heads     | qwen3_moe | , \"num_key_value_heads\": null      | num_key_value_heads is null; it must be a positive integer",
    })
    void badMoeConfigsNameTheField(String what, String type, String extra, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(moe(type, extra)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    }

    /** Sparse layers as Qwen2MoeDecoderLayer and Qwen3MoeDecoderLayer pick them; Mixtral's are all sparse; 0 experts is dense. */
    @Test void whichLayersAreSparse() {
        ModelConfig.Decoder q = (ModelConfig.Decoder) parse(moe("qwen3_moe", ", \"decoder_sparse_step\": 2, \"mlp_only_layers\": [3, -1, 99]")
                .replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 8"));
        assertEquals(List.of(false, true, false, false, false, true, false, true),
                java.util.stream.LongStream.range(0, 8).mapToObj(q::sparse).toList());
        assertEquals(64 / 4, q.headDim(), "no head_dim: hidden / heads (Qwen3MoeAttention's getattr default), not Qwen3's 128");
        assertTrue(q.qkNorms() && !q.qkvBias());
        ModelConfig.Decoder none = (ModelConfig.Decoder) parse(moe("qwen2_moe", ", \"num_experts\": 0"));
        assertTrue(!none.sparse(0) && !none.sparse(1), "num_experts 0: every layer dense");
        assertTrue(none.qkvBias() && !none.outBias(), "Qwen2MoeAttention: qkv_bias defaults to true, o_proj never has one");
        assertTrue(!((ModelConfig.Decoder) parse(moe("qwen2_moe", ", \"qkv_bias\": false"))).qkvBias());
        ModelConfig.Decoder m = (ModelConfig.Decoder) parse(moe("mixtral", ", \"decoder_sparse_step\": 2, \"mlp_only_layers\": [0]"));
        assertTrue(m.sparse(0) && m.sparse(1), "Mixtral has no dense layers; Qwen's fields mean nothing to it");
        assertEquals(128, m.moe().orElseThrow().expertIntermediate(), "Mixtral's experts are intermediate_size wide");
        assertEquals(OptionalLong.of(48), ((ModelConfig.Decoder) parse(moe("qwen2_moe", ""))).moe().orElseThrow().sharedIntermediate());
    }

    /**
     * OLMoE and MiniMax-M2 as OlmoeConfig and MiniMaxM2Config (5.18) build them, each rule tried with from_config (160 one-field
     * variants of the test configs: no config either class refuses is taken here). Every layer sparse, experts of
     * intermediate_size, q/k norms over the whole projections. OLMoE: kv heads null or absent = heads, pad row 1, q/k/v/o
     * biases by attention_bias, clip_qkv float | None, and head_dim only hidden / heads (its q_norm is hidden_size wide).
     * MiniMax-M2: kv heads required (not null), head_dim 128 whatever hidden / heads, no biases, and rotary_dim (or
     * partial_rotary_factor) lets an odd head_dim pass validate_rope.
     */
    @Test void olmoeAndMiniMaxM2Rules() {
        String olmoe = decoder("olmoe", ", \"num_experts\": 3").replace(", \"num_key_value_heads\": 2", "");
        ModelConfig.Decoder o = (ModelConfig.Decoder) parse(olmoe);
        assertTrue(o.projectionQkNorms() && !o.olmo2Norms() && !o.qkNorms() && !o.tieEmbeddings() && !o.qkvBias() && o.kvHeads() == 4);
        assertTrue(o.sparse(0) && o.sparse(1) && o.moe().orElseThrow().experts() == 3 && o.moe().orElseThrow().expertIntermediate() == 128);
        assertEquals(OptionalLong.of(1), o.padTokenId());
        assertEquals(4, ((ModelConfig.Decoder) parse(olmoe.replace("}", ", \"num_key_value_heads\": null}"))).kvHeads());
        ModelConfig.Decoder ob = (ModelConfig.Decoder) parse(olmoe.replace("}", ", \"attention_bias\": true, \"clip_qkv\": null}"));
        assertTrue(ob.qkvBias() && ob.outBias() && !ob.mlpBias());
        assertEquals(3, ((ModelConfig.Decoder) parse(decoder("olmoe", ", \"num_local_experts\": 3"))).moe().orElseThrow().experts(),
                "num_local_experts is OlmoeConfig's alias of num_experts");
        String mm = decoder("minimax_m2", ", \"num_local_experts\": 3");
        ModelConfig.Decoder m = (ModelConfig.Decoder) parse(mm);
        assertTrue(m.projectionQkNorms() && !m.qkvBias() && !m.outBias() && m.headDim() == 128 && m.padTokenId().isEmpty());
        assertEquals(3, ((ModelConfig.Decoder) parse(decoder("minimax_m2", ", \"num_experts\": 3"))).moe().orElseThrow().experts());
        assertEquals(9, ((ModelConfig.Decoder) parse(mm.replace("}", ", \"head_dim\": 9, \"rotary_dim\": 4}"))).headDim());
        parse(mm.replace("}", ", \"head_dim\": 9, \"partial_rotary_factor\": 0.5}"));
        String[][] bad = {
                {olmoe.replace("}", ", \"head_dim\": 8}"), "head_dim (8) must be hidden_size / num_attention_heads (64 / 4) for olmoe"},
                {olmoe.replace("}", ", \"head_dim\": null}"), "head_dim is null, which transformers refuses"},
                {olmoe.replace("}", ", \"clip_qkv\": 8}"), "clip_qkv must be a float"},
                {olmoe.replace("}", ", \"norm_topk_prob\": null}"), "norm_topk_prob is null"},
                {olmoe.replace("3", "0"), "num_experts must be a positive integer, got 0"},
                {olmoe.replace("}", ", \"num_local_experts\": 4}"), "num_experts = 3 and num_local_experts = 4 disagree"},
                {mm.replace(", \"num_key_value_heads\": 2", ""), "has no num_key_value_heads"},
                {mm.replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": null"), "num_key_value_heads is null"},
                {mm.replace("}", ", \"head_dim\": null}"), "head_dim is null, which transformers refuses"},
                {mm.replace("}", ", \"head_dim\": 9}"), "head_dim (9) must be even"},
                {mm.replace("}", ", \"head_dim\": 9, \"rotary_dim\": 9}"), "head_dim (9) must be even"},
                {mm.replace("}", ", \"head_dim\": 9, \"rotary_dim\": 4, \"partial_rotary_factor\": null}"), "head_dim (9) must be even"},
                {mm.replace("}", ", \"rotary_dim\": \"x\"}"), "rotary_dim"},
                // int(head_dim · factor) < 0 fails the rotary embedding's torch.arange in from_config (QA: was written)
                {mm.replace("}", ", \"rotary_dim\": -4}"), "head_dim (128, the class default) times partial_rotary_factor (or rotary_dim / head_dim) rotates -4 dimensions: a negative rotary width"},
                {mm.replace("}", ", \"partial_rotary_factor\": -0.5}"), "rotates -64 dimensions: a negative rotary width"},
                {mm.replace("}", ", \"router_jitter_noise\": 0}"), "router_jitter_noise must be a float"},
                {mm.replace("3", "0"), "num_local_experts must be a positive integer, got 0"},
        };
        assertRefused(edit -> edit, bad, true);
    }

    /**
     * Phi-3 and OLMo 2 as their 5.18 config classes build them (tried with from_config): kv heads default to the heads, a
     * null head_dim fails in their attention, and the embedding zeroes pad_token_id, whose defaults are 32000 and 1.
     */
    @Test void phi3AndOlmo2Defaults() {
        for (String t : new String[] {"phi3", "olmo2"}) {
            String noKv = decoder(t, ", \"pad_token_id\": 3").replace(", \"num_key_value_heads\": 2", "");
            assertEquals(4, ((ModelConfig.Decoder) parse(noKv)).kvHeads(), t + ": kv heads default to the heads");
            assertEquals(4, ((ModelConfig.Decoder) parse(noKv.replace("}", ", \"num_key_value_heads\": null}"))).kvHeads(), t);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> parse(decoder(t, ", \"pad_token_id\": 3, \"head_dim\": null")));
            assertTrue(e.getMessage().contains("head_dim is null, which transformers refuses"), e.getMessage());
            assertEquals(16, ((ModelConfig.Decoder) parse(decoder(t, ", \"pad_token_id\": 3"))).headDim(), t + ": hidden / heads");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(decoder("phi3", "")));
        assertEquals("pad_token_id 32000 (the config class's default) is outside the vocabulary of 100 tokens; set pad_token_id", e.getMessage());
        assertEquals(OptionalLong.of(1), ((ModelConfig.Decoder) parse(decoder("olmo2", ""))).padTokenId(), "Olmo2Config: pad_token_id 1");
        ModelConfig.Decoder o = (ModelConfig.Decoder) parse(decoder("olmo2", ", \"attention_bias\": true"));
        assertTrue(o.qkvBias() && o.outBias() && !o.mlpBias() && o.olmo2Norms() && !o.qkNorms());
        ModelConfig.Decoder p = (ModelConfig.Decoder) parse(decoder("phi3", ", \"pad_token_id\": 3, \"attention_bias\": true"));
        assertTrue(!p.qkvBias() && !p.outBias() && p.fusedProjections(), "Phi-3 has no biases whatever the config says");
    }

    private static String deepseek(String extra) {
        return "{\"model_type\": \"deepseek_v3\", \"vocab_size\": 100, \"hidden_size\": 64, \"intermediate_size\": 128, "
                + "\"num_hidden_layers\": 4, \"num_attention_heads\": 4, \"moe_intermediate_size\": 32, \"n_routed_experts\": 4, "
                + "\"first_k_dense_replace\": 1, \"q_lora_rank\": 48, \"kv_lora_rank\": 32, \"qk_rope_head_dim\": 8, "
                + "\"qk_nope_head_dim\": 16, \"v_head_dim\": 16" + extra + "}";
    }

    /**
     * DeepSeek-V3 as DeepseekV3Config (5.18) builds or refuses it (tried with from_config): null first_k_dense_replace,
     * v_head_dim, kv_lora_rank and n_shared_experts fail there, an odd qk_rope_head_dim or head_dim fails validate_rope; the latent sizes must be written
     * (defaults are the 671B model's); q_lora_rank null is one q_proj; the kv-head count shapes nothing.
     */
    @Test void deepseekV3Rules() {
        ModelConfig.Decoder d = (ModelConfig.Decoder) parse(deepseek(""));
        assertEquals(8, d.headDim(), "head_dim is qk_rope_head_dim");
        assertTrue(!d.sparse(0) && d.sparse(1) && d.sparse(3), "the first first_k_dense_replace layers are dense");
        assertEquals(OptionalLong.of(32), d.moe().orElseThrow().sharedIntermediate(), "n_shared_experts defaults to 1");
        assertEquals(OptionalLong.empty(), ((ModelConfig.Decoder) parse(deepseek(", \"q_lora_rank\": null"))).mla().orElseThrow().qLoraRank());
        assertEquals(4, ((ModelConfig.Decoder) parse(deepseek(", \"num_key_value_heads\": 3"))).kvHeads(), "no shape depends on it");
        String[][] bad = {
                {", \"first_k_dense_replace\": null", "first_k_dense_replace is null, which transformers refuses"},
                {", \"v_head_dim\": null", "v_head_dim is null; it must be a positive integer"},
                {", \"kv_lora_rank\": null", "kv_lora_rank is null; it must be a positive integer"},
                {", \"qk_rope_head_dim\": 7", "qk_rope_head_dim (7) must be even"},
                {", \"n_shared_experts\": 0", "n_shared_experts must be a positive integer, got 0"},
                {", \"n_shared_experts\": null", "n_shared_experts is null, which transformers refuses"},
                {", \"num_experts_per_tok\": 2.0", "num_experts_per_tok must be a positive integer, got 2.0"},
                {", \"head_dim\": 5", "head_dim (5) must be even"},
                {", \"num_local_experts\": 6", "n_routed_experts = 4 and num_local_experts = 6 disagree"},
        };
        assertRefused(ConfigParserTest::deepseek, bad, false);
        assertEquals(8, ((ModelConfig.Decoder) parse(deepseek(", \"head_dim\": 6"))).headDim(), "an even head_dim only sets the rotary size");
        assertEquals(6, ((ModelConfig.Decoder) parse(deepseek("").replace("\"n_routed_experts\": 4", "\"num_local_experts\": 6")))
                .moe().orElseThrow().experts(), "attribute_map: num_local_experts is n_routed_experts");
        parse(deepseek(", \"num_experts_per_tok\": null, \"norm_topk_prob\": null"));   // typed int | None and bool | None here
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(deepseek("").replace("\"q_lora_rank\": 48, ", "")));
        assertTrue(e.getMessage().contains("has no q_lora_rank (null for no query compression"), e.getMessage());
    }

    /**
     * DeepSeek-V2 as DeepseekV2Config (5.18) builds or refuses it (tried with from_config): the latent attention and
     * experts of V3, but LlamaConfig's validation (heads must divide the hidden size), head_dim always qk_rope_head_dim
     * (an odd or null one is ignored), mlp_bias on the dense MLPs and shared experts, n_shared_experts 2 by default,
     * num_experts as the alias of n_routed_experts, and no router buffer.
     */
    @Test void deepseekV2Rules() {
        java.util.function.UnaryOperator<String> v2 = s -> s.replace("\"deepseek_v3\"", "\"deepseek_v2\"");
        ModelConfig.Decoder d = (ModelConfig.Decoder) parse(v2.apply(deepseek("")));
        assertEquals(ModelType.DEEPSEEK_V2, d.type());
        assertEquals(8, d.headDim(), "head_dim is qk_rope_head_dim");
        assertEquals(OptionalLong.of(64), d.moe().orElseThrow().sharedIntermediate(), "n_shared_experts defaults to 2");
        assertTrue(!d.mlpBias() && !d.qkvBias() && !d.outBias());
        ModelConfig.Decoder b = (ModelConfig.Decoder) parse(v2.apply(deepseek(", \"mlp_bias\": true, \"attention_bias\": true")));
        assertTrue(b.mlpBias() && b.qkvBias() && b.outBias());
        assertFalse(((ModelConfig.Decoder) parse(deepseek(", \"mlp_bias\": true"))).mlpBias(), "V3's MLPs have no bias whatever the config says");
        assertEquals(8, ((ModelConfig.Decoder) parse(v2.apply(deepseek(", \"head_dim\": 5")))).headDim(), "V2 ignores head_dim");
        parse(v2.apply(deepseek(", \"head_dim\": null, \"num_experts_per_tok\": null, \"n_group\": null, \"topk_method\": null, "
                + "\"routed_scaling_factor\": 16.0, \"topk_group\": 1")));
        parse(v2.apply(deepseek(", \"n_group\": 2, \"topk_group\": null")));
        parse(deepseek(", \"topk_method\": 5"));   // DeepseekV3Config has no topk_method: anything passes through
        IllegalArgumentException alias = assertThrows(IllegalArgumentException.class, () -> parse(deepseek(", \"num_local_experts\": null")));
        assertTrue(alias.getMessage().contains("num_local_experts is null, which transformers refuses"), alias.getMessage());
        assertEquals(6, ((ModelConfig.Decoder) parse(v2.apply(deepseek("")).replace("\"n_routed_experts\": 4", "\"num_experts\": 6")))
                .moe().orElseThrow().experts(), "attribute_map: num_experts is n_routed_experts");
        String[][] bad = {
                {", \"num_attention_heads\": 3", "hidden_size (64) must be a multiple of num_attention_heads (3) for deepseek_v2"},
                {", \"first_k_dense_replace\": null", "first_k_dense_replace is null, which transformers refuses"},
                {", \"n_shared_experts\": null", "n_shared_experts is null, which transformers refuses"},
                {", \"n_routed_experts\": null", "n_routed_experts is null, which transformers refuses"},
                {", \"qk_rope_head_dim\": 7", "qk_rope_head_dim (7) must be even"},
                {", \"num_experts\": 6", "n_routed_experts = 4 and num_experts = 6 disagree"},
                {", \"head_dim\": \"x\"", "head_dim must be an integer, got \"x\""},
                // QA: a null alias became n_routed_experts = None in transformers (from_config failed on the checkpoint's copy)
                {", \"num_experts\": null", "num_experts is null, which transformers refuses"},
                {", \"routed_scaling_factor\": 16", "routed_scaling_factor must be a float (such as 1.0), got 16"},
                {", \"routed_scaling_factor\": null", "routed_scaling_factor is null, which transformers refuses"},
                {", \"n_group\": \"2\"", "n_group must be an integer or null, got \"2\""},
                {", \"topk_group\": 2.0", "topk_group must be an integer or null, got 2.0"},
                {", \"topk_method\": 5", "topk_method must be a string or null, got 5"},
                {", \"first_k_dense_replace\": true", "first_k_dense_replace must be an integer, 0 or more, got true"},
        };
        // (a JSON object keeps the last of two equal keys, as Python's json does)
        assertRefused(edit -> v2.apply(deepseek(edit)), bad, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(v2.apply(deepseek("")).replace("\"q_lora_rank\": 48, ", "")));
        assertTrue(e.getMessage().contains("has no q_lora_rank (null for no query compression"), e.getMessage());
    }

    private static String deepseekV32(String extra) {
        return deepseek(", \"index_n_heads\": 4, \"index_head_dim\": 16" + extra).replace("\"deepseek_v3\"", "\"deepseek_v32\"");
    }

    /**
     * DeepSeek-V3.2 as DeepseekV32Config (5.18) builds or refuses it (each case tried with from_config): V3's latent attention
     * with q_a_proj always and the indexer sized by index_n_heads / index_head_dim, the strict class's plain ints, floats
     * and bools (nulls refused), head_dim overwritten with qk_rope_head_dim, mlp_layer_types deciding the sparse layers
     * (else the first first_k_dense_replace dense), and num_experts / num_local_experts as n_routed_experts.
     */
    @Test void deepseekV32Rules() {
        ModelConfig.Decoder d = (ModelConfig.Decoder) parse(deepseekV32(""));
        assertEquals(ModelType.DEEPSEEK_V32, d.type());
        assertEquals(8, d.headDim(), "head_dim is qk_rope_head_dim");
        assertEquals(java.util.Optional.of(new ModelConfig.Indexer(4, 16)), d.mla().orElseThrow().indexer());
        assertTrue(!d.sparse(0) && d.sparse(1) && d.sparse(3), "the first first_k_dense_replace layers are dense");
        assertEquals(OptionalLong.of(32), d.moe().orElseThrow().sharedIntermediate(), "n_shared_experts defaults to 1");
        ModelConfig.Decoder m = (ModelConfig.Decoder) parse(deepseekV32(", \"mlp_layer_types\": [\"sparse\", \"dense\", \"sparse\", \"dense\"], "
                + "\"first_k_dense_replace\": 3"));
        assertTrue(m.sparse(0) && !m.sparse(1) && m.sparse(2) && !m.sparse(3), "mlp_layer_types wins over first_k_dense_replace");
        parse(deepseekV32(", \"mlp_layer_types\": [\"dense\", \"dense\", \"dense\", \"sparse\"]").replace("\"first_k_dense_replace\": 1, ", ""));
        assertTrue(((ModelConfig.Decoder) parse(deepseekV32(", \"first_k_dense_replace\": 9"))).moe().orElseThrow().experts() == 4);
        assertEquals(8, ((ModelConfig.Decoder) parse(deepseekV32(", \"head_dim\": 7"))).headDim(), "an odd head_dim is overwritten");
        // Its rotary embedding (DeepSeek-V3's) never reads partial_rotary_factor: from_config takes any factor, a string or a
        // null in rope_parameters too, and the model runs (QA: both were refused here).
        parse(deepseekV32(", \"partial_rotary_factor\": \"0.5\""));
        parse(deepseekV32(", \"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 10000.0, \"partial_rotary_factor\": null}"));
        parse(deepseekV32(", \"num_key_value_heads\": 3, \"mlp_bias\": true, \"num_experts\": null, \"index_topk\": 0"));
        assertEquals(6, ((ModelConfig.Decoder) parse(deepseekV32("").replace("\"n_routed_experts\": 4", "\"num_experts\": 6")))
                .moe().orElseThrow().experts(), "num_experts is re-routed to n_routed_experts");
        String[][] bad = {
                {", \"q_lora_rank\": null", "q_lora_rank is null, which transformers refuses for deepseek_v32 (its attention always compresses"},
                {", \"num_key_value_heads\": null", "num_key_value_heads is null, which transformers refuses"},
                {", \"num_key_value_heads\": 0", "num_key_value_heads must be a positive integer, got 0"},
                {", \"head_dim\": null", "head_dim is null, which transformers refuses"},
                {", \"qk_rope_head_dim\": 7", "qk_rope_head_dim (7) must be even"},
                // a factor passes validate_rope, but the rotary embedding still rotates all 7: the forward fails (QA: was taken)
                {", \"qk_rope_head_dim\": 7, \"partial_rotary_factor\": 0.5", "qk_rope_head_dim (7) must be even"},
                {", \"index_head_dim\": null", "index_head_dim is null; it must be a positive integer"},
                // (the class builds zero-size indexer weights there; refused as every zero size is)
                {", \"index_n_heads\": 0", "index_n_heads must be a positive integer, got 0"},
                {", \"index_topk\": null", "index_topk is null, which transformers refuses"},
                {", \"first_k_dense_replace\": null", "first_k_dense_replace is null, which transformers refuses"},
                {", \"n_shared_experts\": null", "n_shared_experts is null, which transformers refuses"},
                {", \"n_routed_experts\": null", "n_routed_experts is null, which transformers refuses"},
                {", \"num_experts_per_tok\": null", "num_experts_per_tok is null, which transformers refuses"},
                {", \"norm_topk_prob\": null", "norm_topk_prob is null, which transformers refuses"},
                {", \"n_group\": null", "n_group is null, which transformers refuses"},
                {", \"topk_group\": null", "topk_group is null, which transformers refuses"},
                {", \"attention_bias\": null", "attention_bias is null, which transformers refuses"},
                {", \"routed_scaling_factor\": 2", "routed_scaling_factor must be a float (such as 1.0), got 2"},
                {", \"mlp_layer_types\": [\"dense\", \"sparse\"]", "mlp_layer_types has 2 entries but num_hidden_layers is 4"},
                {", \"mlp_layer_types\": [\"dense\", \"sparse\", \"sparse\", \"sparse\", \"sparse\"]", "mlp_layer_types has 5 entries but num_hidden_layers is 4"},
                {", \"mlp_layer_types\": [\"moe\", \"dense\", \"sparse\", \"sparse\"]", "mlp_layer_types holds \"moe\""},
                {", \"mlp_layer_types\": []", "mlp_layer_types has 0 entries but num_hidden_layers is 4"},
                {", \"layer_types\": [\"full_attention\"]", "layer_types has 1 entries but num_hidden_layers is 4"},
                // stricter than the class, which silently takes one of the counts (num_local_experts, else num_experts)
                {", \"num_experts\": 6", "n_routed_experts = 4 and num_experts = 6 disagree"},
                {", \"num_local_experts\": 5", "n_routed_experts = 4 and num_local_experts = 5 disagree"},
        };
        assertRefused(ConfigParserTest::deepseekV32, bad, false);
        for (String[] missing : new String[][] {
                {"\"q_lora_rank\": 48, ", "has no q_lora_rank; write the rank (the class default is the released model's 1536)"},
                {"\"first_k_dense_replace\": 1, ", "has no first_k_dense_replace and no mlp_layer_types"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(deepseekV32("").replace(missing[0], "")));
            assertTrue(e.getMessage().contains(missing[1]), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(deepseekV32("").replace("\"index_n_heads\": 4, ", "")));
        assertTrue(e.getMessage().contains("has no index_n_heads"), e.getMessage());
    }

    private static String glmLite(String extra) {
        return "{\"model_type\": \"glm4_moe_lite\", \"vocab_size\": 100, \"hidden_size\": 64, \"intermediate_size\": 128, "
                + "\"num_hidden_layers\": 3, \"num_attention_heads\": 4, \"moe_intermediate_size\": 32, \"n_routed_experts\": 4, "
                + "\"q_lora_rank\": 48, \"kv_lora_rank\": 32, \"qk_rope_head_dim\": 8, \"qk_nope_head_dim\": 16, \"v_head_dim\": 16"
                + extra + "}";
    }

    /**
     * GLM-4-MoE-Lite as Glm4MoeLiteConfig (5.18) builds or refuses it (each case tried with from_config): DeepSeek-V3's
     * latent attention (q_lora_rank null is one q_proj) and MoE, head_dim an alias of qk_rope_head_dim, layer 0 dense unless
     * mlp_layer_types says otherwise (no first_k_dense_replace field), num_key_value_heads default 20 and shaping nothing.
     */
    @Test void glm4MoeLiteRules() {
        ModelConfig.Decoder d = (ModelConfig.Decoder) parse(glmLite(""));
        assertEquals(ModelType.GLM4_MOE_LITE, d.type());
        assertTrue(!d.sparse(0) && d.sparse(1) && d.sparse(2), "layer 0 dense, the others sparse");
        assertTrue(!d.qkvBias() && !d.outBias() && !d.mlpBias() && !d.tieEmbeddings() && d.mla().orElseThrow().indexer().isEmpty());
        assertEquals(OptionalLong.of(32), d.moe().orElseThrow().sharedIntermediate(), "n_shared_experts defaults to 1");
        assertTrue(((ModelConfig.Decoder) parse(glmLite(", \"q_lora_rank\": null"))).mla().orElseThrow().qLoraRank().isEmpty());
        assertEquals(16, ((ModelConfig.Decoder) parse(glmLite("").replace("\"qk_rope_head_dim\": 8", "\"head_dim\": 16"))).mla().orElseThrow().ropeDim(),
                "head_dim is qk_rope_head_dim (attribute_map)");
        parse(glmLite(", \"head_dim\": 8, \"first_k_dense_replace\": 1, \"num_experts\": 9, \"num_key_value_heads\": 3"));
        parse(glmLite(", \"partial_rotary_factor\": 0.95"));   // int(8 · 0.95) = 7: arange(0, 7, 2) still makes 8 dims; it runs
        parse(glmLite(", \"qk_rope_head_dim\": 3"));   // validate_rope keeps head dims up to 4 for fixtures
        ModelConfig.Decoder m = (ModelConfig.Decoder) parse(glmLite(", \"mlp_layer_types\": [\"sparse\", \"dense\", \"sparse\", \"dense\"], "
                + "\"first_k_dense_replace\": 2"));
        assertTrue(m.sparse(0) && !m.sparse(1) && m.sparse(2), "mlp_layer_types decides; a longer list passes without layer_types");
        assertEquals(6, ((ModelConfig.Decoder) parse(glmLite("").replace("\"n_routed_experts\": 4", "\"num_local_experts\": 6")))
                .moe().orElseThrow().experts(), "attribute_map: num_local_experts is n_routed_experts");
        String[][] bad = {
                {", \"num_key_value_heads\": 0", "num_key_value_heads must be a positive integer, got 0"},
                {", \"num_key_value_heads\": null", "num_key_value_heads is null, which transformers refuses"},
                {", \"head_dim\": null", "head_dim is null, which transformers refuses"},
                // stricter than the class, which takes whichever alias it sets last
                {", \"head_dim\": 16", "qk_rope_head_dim = 8 and head_dim = 16 disagree"},
                {", \"qk_rope_head_dim\": 7", "qk_rope_head_dim (7) must be even"},
                {", \"head_dim\": 7, \"qk_rope_head_dim\": 7", "qk_rope_head_dim (7) must be even"},
                {", \"qk_rope_head_dim\": 7, \"rope_parameters\": {\"partial_rotary_factor\": null}", "partial_rotary_factor is null, which transformers refuses"},
                {", \"partial_rotary_factor\": \"x\"", "partial_rotary_factor must be a number"},
                {", \"partial_rotary_factor\": -0.5", "rotates -4 dimensions: a negative rotary width"},
                // from_config builds these, but the forward fails: the rotary embedding is narrower than qk_rope_head_dim (QA: taken)
                {", \"partial_rotary_factor\": 0.5", "partial_rotary_factor (0.5) makes glm4_moe_lite's rotary embedding rotate 4 of qk_rope_head_dim's 8 dimensions"},
                {", \"qk_rope_head_dim\": 7, \"partial_rotary_factor\": 0.5", "rotate 4 of qk_rope_head_dim's 7 dimensions"},
                {", \"rope_parameters\": {\"rope_type\": \"default\", \"partial_rotary_factor\": 0.25}", "cannot run"},
                {", \"mlp_layer_types\": [\"dense\", \"sparse\"]", "mlp_layer_types has 2 entries but num_hidden_layers is 3"},
                {", \"mlp_layer_types\": []", "mlp_layer_types has 0 entries but num_hidden_layers is 3"},
                {", \"mlp_layer_types\": [1, 2, 3]", "mlp_layer_types holds 1"},
                // stricter than the class, which builds a dense layer for "moe" without layer_types (and ignores
                // first_k_dense_replace)
                {", \"mlp_layer_types\": [\"moe\", \"dense\", \"sparse\"]", "mlp_layer_types holds \"moe\""},
                {", \"layer_types\": [\"full_attention\", \"full_attention\", \"full_attention\"], \"mlp_layer_types\": [\"dense\", \"sparse\", \"sparse\", \"sparse\"]",
                        "mlp_layer_types has 4 entries but num_hidden_layers is 3"},
                {", \"first_k_dense_replace\": 2", "first_k_dense_replace is not read by Glm4MoeLiteConfig"},
                {", \"n_routed_experts\": null", "n_routed_experts is null, which transformers refuses"},
                {", \"n_shared_experts\": null", "n_shared_experts is null, which transformers refuses"},
                {", \"num_experts_per_tok\": null", "num_experts_per_tok is null, which transformers refuses"},
                {", \"n_group\": null", "n_group is null, which transformers refuses"},
                {", \"pretraining_tp\": null", "pretraining_tp is null, which transformers refuses"},
                {", \"rope_interleave\": null", "rope_interleave is null, which transformers refuses"},
                {", \"routed_scaling_factor\": 2", "routed_scaling_factor must be a float (such as 1.0), got 2"},
                {", \"num_local_experts\": 5", "n_routed_experts = 4 and num_local_experts = 5 disagree"},   // (stricter)
        };
        assertRefused(ConfigParserTest::glmLite, bad, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(glmLite("").replace("\"q_lora_rank\": 48, ", "")));
        assertTrue(e.getMessage().contains("has no q_lora_rank (null for no query compression"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse(glmLite("").replace("\"qk_rope_head_dim\": 8, ", "")));
        assertTrue(e.getMessage().contains("has no qk_rope_head_dim or head_dim"), e.getMessage());
    }

    private static String gptOss(String extra) {
        return "{\"model_type\": \"gpt_oss\", \"vocab_size\": 100, \"hidden_size\": 64, \"intermediate_size\": 48, "
                + "\"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"num_local_experts\": 3" + extra + "}";
    }

    /** gptOss("") with {@code key} set to {@code value} (see {@link #with}). */
    private static String gptOssWith(String key, String value) {
        return with(ConfigParserTest::gptOss, key, value);
    }

    /**
     * {@code config.apply("")} with {@code key} set to {@code value} (a JSON value; null: the key left out), in place when it
     * is there, else appended through {@code config}.
     */
    private static String with(java.util.function.UnaryOperator<String> config, String key, String value) {
        String base = config.apply(""), field = ", \"" + key + "\": ";
        int at = base.indexOf(field);
        if (at < 0) return value == null ? base : config.apply(field + value);
        int end = base.indexOf(',', at + 1) < 0 ? base.length() - 1 : base.indexOf(',', at + 1);
        return base.substring(0, at) + (value == null ? "" : field + value) + base.substring(end);
    }

    /**
     * GPT-OSS as GptOssConfig (5.18) builds or refuses it (tried with AutoConfig + from_config): the strict class refuses a
     * null head_dim, kv-head count, expert count, top-k, attention_bias or output_router_logits, a float top-k, an odd
     * head_dim (validate_rope) and a layer_types list of another length than num_hidden_layers (validate_layer_type); a
     * null num_experts nulls num_local_experts, which the experts cannot be built with. Defaults: head_dim 64 whatever
     * hidden / heads, attention_bias true, untied, no pad row. Refused here though transformers takes them: kv heads that
     * do not divide the heads (as for every type), num_experts disagreeing with num_local_experts, 0 experts (empty
     * tensors), and a missing kv-head or expert count (defaults 8 and 128 rarely fit a hand-made config).
     */
    @Test void gptOssRules() {
        ModelConfig.Decoder d = (ModelConfig.Decoder) parse(gptOss(""));
        assertEquals(64, d.headDim(), "GptOssConfig's head_dim default, not hidden / heads = 16");
        assertTrue(d.qkvBias() && d.outBias() && !d.tieEmbeddings() && d.padTokenId().isEmpty() && d.gptOss());
        assertTrue(d.sparse(0) && d.sparse(1), "every layer holds the experts");
        assertEquals(3, d.moe().orElseThrow().experts());
        assertEquals(48, d.moe().orElseThrow().expertIntermediate(), "the experts are intermediate_size wide");
        assertEquals(6, ((ModelConfig.Decoder) parse(gptOss(", \"head_dim\": 6"))).headDim(), "any even head_dim, hidden / heads or not");
        assertTrue(!((ModelConfig.Decoder) parse(gptOss(", \"attention_bias\": false"))).qkvBias());
        assertEquals(5, ((ModelConfig.Decoder) parse(gptOssWith("num_local_experts", null).replace("}", ", \"num_experts\": 5}")))
                .moe().orElseThrow().experts(), "attribute_map: num_experts is num_local_experts");
        assertEquals(OptionalLong.of(99), ((ModelConfig.Decoder) parse(gptOss(", \"pad_token_id\": -1"))).padTokenId());
        parse(gptOss(", \"layer_types\": [\"sliding_attention\", \"full_attention\"], \"sliding_window\": null"));
        // Fused experts are 4 tensors per layer whatever their count: no per-expert tensor limit.
        assertEquals(1_000_000, ((ModelConfig.Decoder) parse(gptOssWith("num_local_experts", "1000000"))).moe().orElseThrow().experts());
        String[][] bad = { // key, JSON value (null: left out), message
                {"head_dim", "null", "head_dim is null, which transformers refuses"},
                {"head_dim", "5", "head_dim (5) must be even"},
                {"num_key_value_heads", "null", "num_key_value_heads is null; it must be a positive integer"},
                {"num_key_value_heads", null, "config.json has no num_key_value_heads"},
                {"num_key_value_heads", "3", "num_attention_heads (4) must be a multiple of num_key_value_heads (3)"},
                {"num_local_experts", "null", "num_local_experts is null, which transformers refuses"},
                {"num_local_experts", null, "config.json has no num_local_experts or num_experts"},
                {"num_local_experts", "0", "num_local_experts must be a positive integer, got 0"},
                {"num_experts", "null", "num_experts is null, which transformers refuses"},
                {"num_experts", "5", "num_local_experts = 3 and num_experts = 5 disagree"},
                {"num_experts_per_tok", "null", "num_experts_per_tok is null, which transformers refuses"},
                {"num_experts_per_tok", "2.0", "num_experts_per_tok must be a positive integer, got 2.0"},
                {"attention_bias", "null", "attention_bias is null, which transformers refuses"},
                {"output_router_logits", "null", "output_router_logits is null, which transformers refuses"},
                {"layer_types", "[\"full_attention\"]", "layer_types has 1 entries but num_hidden_layers is 2"},
                {"layer_types", "\"full_attention\"", "layer_types must be a list, got \"full_attention\""},
                {"router_aux_loss_coef", "1", "router_aux_loss_coef must be a float (such as 1.0), got 1"},
                {"router_aux_loss_coef", "null", "router_aux_loss_coef is null, which transformers refuses"},
                {"intermediate_size", "null", "intermediate_size is null; it must be a positive integer"},
                {"intermediate_size", null, "config.json has no intermediate_size"},
        };
        for (String[] b : bad) {
            String json = gptOssWith(b[0], b[1]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(json), json);
            assertTrue(e.getMessage().contains(b[2]), json + ": " + e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
        }
    }

    private static String llama4(String extra) {
        return "{\"model_type\": \"llama4_text\", \"vocab_size\": 100, \"hidden_size\": 64, \"intermediate_size\": 32, "
                + "\"intermediate_size_mlp\": 96, \"num_hidden_layers\": 4, \"num_attention_heads\": 4, \"num_key_value_heads\": 2, "
                + "\"num_local_experts\": 3" + extra + "}";
    }

    /** llama4("") with {@code key} set to {@code value} (see {@link #with}). */
    private static String llama4With(String key, String value) {
        return with(ConfigParserTest::llama4, key, value);
    }

    /**
     * Llama 4 (text) as Llama4TextConfig (5.18) builds or refuses it (tried with AutoConfig + from_config): head_dim 128 by
     * default whatever hidden / heads, no biases unless attention_bias, untied; MoE layers by moe_layers, else every
     * interleave_moe_layer_step-th (default 1: all). The strict class refuses nulls for the sizes, kv heads, experts, top-k,
     * step and use_qk_norm, a moe_layers that is not a list of ints, an odd head_dim, a step of 0 (range()) and a non-empty
     * no_rope_layers of another length than the layers. Refused here though transformers takes them: moe_layers indices
     * outside the layers (it silently builds them dense), 0 experts, a missing kv-head or expert count or MLP size.
     */
    @Test void llama4Rules() {
        ModelConfig.Decoder d = (ModelConfig.Decoder) parse(llama4(""));
        assertEquals(128, d.headDim(), "Llama4TextConfig's head_dim default, not hidden / heads = 16");
        assertTrue(!d.qkvBias() && !d.outBias() && !d.mlpBias() && !d.qkNorms() && !d.tieEmbeddings() && d.padTokenId().isEmpty() && d.llama4());
        assertTrue(d.sparse(0) && d.sparse(1) && d.sparse(2) && d.sparse(3), "interleave_moe_layer_step defaults to 1: every layer");
        assertEquals(96, d.intermediate(), "dense layers are intermediate_size_mlp wide");
        assertEquals(32, d.moe().orElseThrow().expertIntermediate());
        assertEquals(OptionalLong.of(32), d.moe().orElseThrow().sharedIntermediate(), "the shared expert is intermediate_size wide");
        ModelConfig.Decoder step = (ModelConfig.Decoder) parse(llama4(", \"interleave_moe_layer_step\": 2"));
        assertTrue(!step.sparse(0) && step.sparse(1) && !step.sparse(2) && step.sparse(3), "range(1, 4, 2)");
        ModelConfig.Decoder none = (ModelConfig.Decoder) parse(llama4(", \"interleave_moe_layer_step\": 5"));
        assertTrue(!none.sparse(0) && !none.sparse(3), "a step past the layers: all dense");
        ModelConfig.Decoder list = (ModelConfig.Decoder) parse(llama4(", \"moe_layers\": [2, 0, 2], \"interleave_moe_layer_step\": 0"));
        assertTrue(list.sparse(0) && !list.sparse(1) && list.sparse(2) && !list.sparse(3), "moe_layers wins over the step (unread)");
        ModelConfig.Decoder empty = (ModelConfig.Decoder) parse(llama4(", \"moe_layers\": []"));
        assertTrue(!empty.sparse(0) && !empty.sparse(3), "an empty list: all dense");
        assertTrue(((ModelConfig.Decoder) parse(llama4(", \"moe_layers\": null, \"interleave_moe_layer_step\": 2"))).sparse(1));
        assertEquals(6, ((ModelConfig.Decoder) parse(llama4(", \"head_dim\": 6"))).headDim());
        ModelConfig.Decoder b = (ModelConfig.Decoder) parse(llama4(", \"attention_bias\": true"));
        assertTrue(b.qkvBias() && b.outBias() && !b.mlpBias());
        // QA: the class builds its default list from the interval even beside a list (0 divided by zero there)
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> parse(llama4(", \"no_rope_layers\": [1, 1, 1, 0], \"no_rope_layer_interval\": 0")));
        assertTrue(zero.getMessage().contains("no_rope_layer_interval must be a positive integer, got 0"), zero.getMessage());
        parse(llama4(", \"no_rope_layers\": [1, 1, 1, 0], \"no_rope_layer_interval\": 2"));
        parse(llama4(", \"no_rope_layers\": [], \"use_qk_norm\": false, \"attention_chunk_size\": null"));
        String[][] bad = { // key, JSON value (null: left out), message
                {"head_dim", "null", "head_dim is null, which transformers refuses"},
                {"head_dim", "5", "head_dim (5) must be even"},
                {"num_key_value_heads", "null", "num_key_value_heads is null; it must be a positive integer"},
                {"num_key_value_heads", null, "config.json has no num_key_value_heads"},
                {"num_key_value_heads", "3", "num_attention_heads (4) must be a multiple of num_key_value_heads (3)"},
                {"num_local_experts", null, "config.json has no num_local_experts"},
                {"num_local_experts", "null", "num_local_experts is null; it must be a positive integer"},
                {"num_local_experts", "0", "num_local_experts must be a positive integer, got 0"},
                {"intermediate_size_mlp", null, "config.json has no intermediate_size_mlp"},
                {"intermediate_size", null, "config.json has no intermediate_size"},
                {"num_experts_per_tok", "null", "num_experts_per_tok is null, which transformers refuses"},
                {"use_qk_norm", "null", "use_qk_norm is null, which transformers refuses"},
                {"router_aux_loss_coef", "1", "router_aux_loss_coef must be a float (such as 1.0), got 1"},
                {"moe_layers", "[1, 4]", "moe_layers holds 4, not a layer index in [0, 4)"},
                {"moe_layers", "[-1]", "moe_layers holds -1, not a layer index in [0, 4)"},
                {"moe_layers", "[1.0]", "moe_layers must be a list of integers, got [1.0]"},
                {"moe_layers", "[true]", "moe_layers must be a list of integers, got [true]"},
                {"moe_layers", "1", "moe_layers must be a list of integers, got 1"},
                {"interleave_moe_layer_step", "0", "interleave_moe_layer_step must be a positive integer, got 0"},
                {"interleave_moe_layer_step", "null", "interleave_moe_layer_step is null, which transformers refuses"},
                {"interleave_moe_layer_step", "2.0", "interleave_moe_layer_step must be a positive integer, got 2.0"},
                {"no_rope_layers", "[1, 1]", "no_rope_layers has 2 entries but num_hidden_layers is 4"},
                {"no_rope_layer_interval", "0", "no_rope_layer_interval must be a positive integer, got 0"},
                {"layer_types", "[\"full_attention\"]", "layer_types has 1 entries but num_hidden_layers is 4"},
                // QA: typed fields that shape nothing
                {"attn_temperature_tuning", "4", "attn_temperature_tuning must be true or false, got 4"},
                {"floor_scale", "8192.0", "floor_scale must be an integer, got 8192.0"},
                {"attn_scale", "\"x\"", "attn_scale must be a float (such as 1.0), got \"x\""},
                {"attention_chunk_size", "\"a\"", "attention_chunk_size must be an integer or null, got \"a\""},
        };
        for (String[] x : bad) {
            String json = llama4With(x[0], x[1]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(json), json);
            assertTrue(e.getMessage().contains(x[2]), json + ": " + e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
        }
    }

    /**
     * PreTrainedConfig.validate_layer_type, which every transformers 5 config class runs (tried with AutoConfig for llama,
     * qwen2, gemma2, mixtral, deepseek_v3, gpt2, bert): layer_types needs one entry per layer. Released configs carry
     * it (Qwen3, Gemma 3), and a copy with fewer layers wrote a checkpoint whose config transformers refused.
     */
    @Test void layerTypesNeedOneEntryPerLayer() {
        String two = ", \"layer_types\": [\"full_attention\", \"sliding_attention\"]";
        for (String t : List.of("llama", "qwen3", "gemma2")) parse(decoder(t, two));
        parse(decoder("llama", two + ", \"mlp_layer_types\": [\"dense\", \"dense\"]"));
        // Checked only with layer_types, as there, unless the class fills in its own (Qwen2/3, Gemma 2/3, Qwen2-MoE, GPT-OSS).
        parse(decoder("llama", ", \"layer_types\": null, \"mlp_layer_types\": [\"dense\"]"));
        IllegalArgumentException own = assertThrows(IllegalArgumentException.class, () -> parse(decoder("qwen3", ", \"mlp_layer_types\": [\"dense\"]")));
        assertTrue(own.getMessage().contains("mlp_layer_types has 1 entries but num_hidden_layers is 2"), own.getMessage());
        String[][] bad = {
                {decoder("qwen3", ", \"layer_types\": [\"full_attention\"]"), "layer_types has 1 entries but num_hidden_layers is 2"},
                {decoder("llama", two + ", \"mlp_layer_types\": [\"dense\"]"), "mlp_layer_types has 1 entries but num_hidden_layers is 2"},
                {decoder("llama", ", \"layer_types\": [1, 2]"), "layer_types must hold layer type names (strings), got 1"},
                {"{\"model_type\": \"gpt2\", \"vocab_size\": 100, \"n_embd\": 64, \"n_layer\": 3, \"n_head\": 4, \"n_positions\": 32"
                        + two + "}", "layer_types has 2 entries but num_hidden_layers is 3"},
        };
        assertRefused(edit -> edit, bad, false);
    }

    private static String glm(String extra) {
        return "{\"model_type\": \"glm4_moe\", \"vocab_size\": 100, \"hidden_size\": 64, \"intermediate_size\": 128, "
                + "\"num_hidden_layers\": 3, \"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"moe_intermediate_size\": 32, "
                + "\"n_routed_experts\": 4" + extra + "}";
    }

    /**
     * GLM-4-MoE as Glm4MoeConfig (5.18) builds or refuses it (tried with from_config): llama-like attention with q/k/v
     * biases by attention_bias (o_proj never), q/k norms by use_qk_norm, head_dim by default hidden / heads, DeepSeek-V3's
     * experts (shared experts default 1, first_k_dense_replace default 1), and plain-int router settings. An odd head_dim
     * passes there while only partial_rotary_factor (default 0.5) of it rotates.
     */
    @Test void glm4MoeRules() {
        ModelConfig.Decoder d = (ModelConfig.Decoder) parse(glm(""));
        assertEquals(16, d.headDim());
        assertTrue(!d.qkvBias() && !d.outBias() && !d.mlpBias() && !d.qkNorms() && !d.tieEmbeddings());
        assertTrue(!d.sparse(0) && d.sparse(1) && d.sparse(2), "first_k_dense_replace defaults to 1");
        assertEquals(OptionalLong.of(32), d.moe().orElseThrow().sharedIntermediate(), "n_shared_experts defaults to 1");
        ModelConfig.Decoder b = (ModelConfig.Decoder) parse(glm(", \"attention_bias\": true, \"use_qk_norm\": true, \"first_k_dense_replace\": 0"));
        assertTrue(b.qkvBias() && !b.outBias() && b.qkNorms() && b.sparse(0));
        assertEquals(5, ((ModelConfig.Decoder) parse(glm(", \"head_dim\": 5"))).headDim(), "half of it rotates: 2 dims, even");
        parse(glm(", \"head_dim\": 5, \"partial_rotary_factor\": 1.0, \"rope_parameters\": {\"partial_rotary_factor\": 0.5}"));
        parse(glm(", \"head_dim\": 3, \"partial_rotary_factor\": 1.0"));   // validate_rope keeps head dims up to 4 for fixtures
        assertEquals(6, ((ModelConfig.Decoder) parse(glm("").replace("\"n_routed_experts\": 4", "\"num_local_experts\": 6")))
                .moe().orElseThrow().experts(), "attribute_map: num_local_experts is n_routed_experts");
        String[][] bad = {
                {", \"head_dim\": 5, \"partial_rotary_factor\": 1.0", "head_dim (5) must be even"},
                {", \"head_dim\": 5, \"rope_parameters\": {\"rope_type\": \"default\", \"partial_rotary_factor\": 1.0}", "head_dim (5) must be even"},
                {", \"head_dim\": null", "head_dim is null, which transformers refuses"},
                {", \"num_key_value_heads\": null", "num_key_value_heads is null; it must be a positive integer"},
                {", \"n_shared_experts\": null", "n_shared_experts is null, which transformers refuses"},
                {", \"num_local_experts\": null", "num_local_experts is null, which transformers refuses"},
                // transformers' precedence: a non-empty rope_scaling, else rope_parameters, its own factor first, then the
                // top-level one (absent: 0.5; null: validate_rope's 1.0)
                {", \"head_dim\": 5, \"partial_rotary_factor\": 0.5, \"rope_parameters\": {\"partial_rotary_factor\": 1.0}", "head_dim (5) must be even"},
                {", \"head_dim\": 5, \"partial_rotary_factor\": null", "head_dim (5) must be even"},
                {", \"head_dim\": 5, \"rope_scaling\": {}, \"rope_parameters\": {\"partial_rotary_factor\": 1.0}", "head_dim (5) must be even"},
                {", \"head_dim\": 5, \"rope_scaling\": {\"partial_rotary_factor\": 1.0}, \"rope_parameters\": {\"partial_rotary_factor\": 0.5}", "head_dim (5) must be even"},
                {", \"head_dim\": 5, \"rope_parameters\": [1]", "rope_parameters must be a JSON object, got [1]"},
                // QA: a null factor in the rope object, or one that is no number, fails from_config for any head_dim
                {", \"rope_parameters\": {\"partial_rotary_factor\": null}", "partial_rotary_factor is null, which transformers refuses"},
                {", \"partial_rotary_factor\": \"0.5\"", "partial_rotary_factor must be a number, got \"0.5\""},
                {", \"partial_rotary_factor\": -0.5", "head_dim = hidden_size / num_attention_heads (64 / 4 = 16) times partial_rotary_factor (or rotary_dim / head_dim) rotates -8 dimensions"},
                {", \"num_mtp_layers\": null", "num_mtp_layers is null, which transformers refuses"},
                {", \"num_mtp_layers\": 1.0", "num_mtp_layers must be an integer, got 1.0"},
                {", \"num_experts_per_tok\": null", "num_experts_per_tok is null, which transformers refuses"},
                {", \"n_group\": null", "n_group is null, which transformers refuses"},
                {", \"routed_scaling_factor\": 2", "routed_scaling_factor must be a float (such as 1.0), got 2"},
                {", \"first_k_dense_replace\": null", "first_k_dense_replace is null, which transformers refuses"},
        };
        assertRefused(ConfigParserTest::glm, bad, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(glm("").replace("\"moe_intermediate_size\": 32, ", "")));
        assertTrue(e.getMessage().contains("has no moe_intermediate_size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse(glm("").replace("\"num_key_value_heads\": 2, ", "")));
        assertTrue(e.getMessage().contains("has no num_key_value_heads"), e.getMessage());
    }

    /** QA: router_aux_loss_coef is a float field of the Mixtral, Qwen MoE and GPT-OSS configs; 1 or null is refused there. */
    @Test void routerAuxLossCoefIsAFloat() {
        String mixtral = "{\"model_type\": \"mixtral\", \"vocab_size\": 100, \"hidden_size\": 64, \"intermediate_size\": 96, "
                + "\"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"num_local_experts\": 4";
        parse(mixtral + ", \"router_aux_loss_coef\": 0.02}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(mixtral + ", \"router_aux_loss_coef\": 1}"));
        assertTrue(e.getMessage().contains("router_aux_loss_coef must be a float (such as 1.0), got 1"), e.getMessage());
    }

    /**
     * OLMo 3 is OLMo 2's layout (q/k norms over the whole projections, norms after attention and after the MLP, pad row 1),
     * its kv heads null or absent = heads. SmolLM3 is Llama's with the class's defaults: tied, pad row 128004 (set it for a
     * smaller vocabulary), kv heads 4 when absent and heads when null, and a no_rope_layers list it indexes per layer (tried
     * with from_config: a shorter one and a zero no_rope_layer_interval fail there).
     */
    @Test void olmo3AndSmolLM3Rules() {
        ModelConfig.Decoder o = (ModelConfig.Decoder) parse(decoder("olmo3", "").replace(", \"num_key_value_heads\": 2", ""));
        assertTrue(o.olmo2Norms() && !o.qkNorms() && !o.tieEmbeddings() && o.kvHeads() == 4);
        assertEquals(OptionalLong.of(1), o.padTokenId());
        String smol = decoder("smollm3", ", \"pad_token_id\": 3").replace(", \"num_key_value_heads\": 2", "");
        ModelConfig.Decoder d = (ModelConfig.Decoder) parse(smol);
        assertTrue(d.tieEmbeddings() && !d.olmo2Norms() && d.kvHeads() == 4 && !d.qkvBias() && !d.mlpBias(), "tied, 4 kv heads by default");
        assertEquals(4, ((ModelConfig.Decoder) parse(smol.replace("}", ", \"num_key_value_heads\": null}"))).kvHeads(), "null: the heads");
        ModelConfig.Decoder b = (ModelConfig.Decoder) parse(decoder("smollm3", ", \"pad_token_id\": 3, \"attention_bias\": true, \"mlp_bias\": true"));
        assertTrue(b.qkvBias() && b.outBias() && b.mlpBias());
        parse(decoder("smollm3", ", \"pad_token_id\": 3, \"no_rope_layers\": [1, 0]"));
        String[][] bad = {
                {decoder("smollm3", ""), "pad_token_id 128004 (the config class's default) is outside the vocabulary of 100 tokens"},
                {decoder("smollm3", ", \"pad_token_id\": 3, \"no_rope_layers\": [1]"), "no_rope_layers has 1 entries but num_hidden_layers is 2"},
                // QA: only null takes SmolLM3's default; an empty list is indexed per layer there and fails
                {decoder("smollm3", ", \"pad_token_id\": 3, \"no_rope_layers\": []"), "no_rope_layers is empty"},
                // QA: validate_layer_type refuses a name it does not know
                {decoder("olmo3", ", \"layer_types\": [\"foo\", \"full_attention\"]"), "layer_types holds \"foo\", which transformers (5.18) refuses"},
                {decoder("llama", ", \"layer_types\": [\"full_attention\", \"full_attention\"], \"mlp_layer_types\": [\"dense\", \"moe\"]"),
                        "mlp_layer_types holds \"moe\", which transformers (5.18) refuses"},
                {decoder("smollm3", ", \"pad_token_id\": 3, \"no_rope_layer_interval\": 0"), "no_rope_layer_interval must be a positive integer, got 0"},
                {decoder("olmo3", ", \"head_dim\": null"), "head_dim is null, which transformers refuses"},
                {decoder("olmo3", ", \"layer_types\": [\"full_attention\"]"), "layer_types has 1 entries but num_hidden_layers is 2"},
        };
        assertRefused(edit -> edit, bad, false);
    }

    /**
     * Granite, Ministral 3, Seed-OSS and NanoChat as their config classes (5.18) build them, tried with from_config: Granite is
     * Llama's (kv heads None = heads, untied, attention_bias and mlp_bias) with its float | int multipliers; Ministral 3 has
     * no biases, head_dim 128 whatever hidden / heads, pad row 11 and a typed int kv-head count; Seed-OSS's head_dim is 128
     * when absent and hidden / heads when null, q/k/v biased by default and o_proj by attention_out_bias, pad row 1; NanoChat
     * saves no norms, an fc1/fc2 MLP and pad row 1.
     */
    @Test void graniteMinistral3SeedOssAndNanoChatRules() {
        ModelConfig.Decoder g = (ModelConfig.Decoder) parse(decoder("granite", "").replace(", \"num_key_value_heads\": 2", ""));
        assertTrue(g.kvHeads() == 4 && g.headDim() == 16 && !g.tieEmbeddings() && !g.qkvBias() && !g.mlpBias() && g.padTokenId().isEmpty());
        ModelConfig.Decoder gb = (ModelConfig.Decoder) parse(decoder("granite", ", \"attention_bias\": true, \"mlp_bias\": true, \"embedding_multiplier\": 12"));
        assertTrue(gb.qkvBias() && gb.outBias() && gb.mlpBias());
        ModelConfig.Decoder m = (ModelConfig.Decoder) parse(decoder("ministral3", ", \"attention_bias\": true, \"mlp_bias\": true"));
        assertTrue(m.headDim() == 128 && !m.qkvBias() && !m.outBias() && !m.mlpBias() && !m.tieEmbeddings());
        assertEquals(OptionalLong.of(11), m.padTokenId());
        ModelConfig.Decoder s = (ModelConfig.Decoder) parse(decoder("seed_oss", ""));
        assertTrue(s.headDim() == 128 && s.qkvBias() && !s.outBias() && !s.mlpBias());
        assertEquals(OptionalLong.of(1), s.padTokenId());
        ModelConfig.Decoder sn = (ModelConfig.Decoder) parse(decoder("seed_oss", ", \"head_dim\": null, \"num_key_value_heads\": null, "
                + "\"attention_bias\": false, \"attention_out_bias\": true, \"mlp_bias\": true"));
        assertTrue(sn.headDim() == 16 && sn.kvHeads() == 4 && !sn.qkvBias() && sn.outBias() && sn.mlpBias(), "null head_dim: hidden / heads");
        ModelConfig.Decoder n = (ModelConfig.Decoder) parse(decoder("nanochat", ", \"attention_bias\": true, \"mlp_bias\": true"));
        assertTrue(n.nanochat() && n.qkvBias() && n.outBias() && !n.mlpBias() && !n.qkNorms());
        assertEquals(OptionalLong.of(1), n.padTokenId());
        List<String> names = TensorTable.of(n).stream().map(TensorSpec::name).toList();
        assertTrue(names.contains("model.layers.1.mlp.fc2.weight") && names.stream().noneMatch(x -> x.contains("norm")), names.toString());
        String[][] bad = {
                {decoder("granite", ", \"head_dim\": null"), "head_dim is null, which transformers refuses"},
                {decoder("granite", ", \"embedding_multiplier\": null"), "embedding_multiplier is null, which transformers refuses"},
                {decoder("granite", ", \"logits_scaling\": \"16\""), "logits_scaling must be a number, got \"16\""},
                {decoder("granite", ", \"max_position_embeddings\": null"), "max_position_embeddings is null, which transformers refuses"},
                {decoder("ministral3", "").replace(", \"num_key_value_heads\": 2", ""), "has no num_key_value_heads"},
                {decoder("ministral3", ", \"num_key_value_heads\": null"), "num_key_value_heads is null"},
                {decoder("ministral3", ", \"head_dim\": null"), "head_dim is null, which transformers refuses"},
                {decoder("ministral3", ", \"sliding_window\": \"a\""), "sliding_window must be an integer or null"},
                {decoder("ministral3", "").replace("\"vocab_size\": 100", "\"vocab_size\": 10"), "pad_token_id 11 (the config class's default) is outside"},
                {decoder("seed_oss", "").replace(", \"num_key_value_heads\": 2", ""), "has no num_key_value_heads"},
                {decoder("seed_oss", ", \"head_dim\": 7"), "head_dim (7) must be even"},
                {decoder("seed_oss", ", \"attention_out_bias\": null"), "attention_out_bias is null, which transformers refuses"},
                {decoder("nanochat", ", \"head_dim\": null"), "head_dim is null, which transformers refuses"},
                {decoder("nanochat", ", \"final_logit_softcapping\": 15"), "final_logit_softcapping must be a float (such as 1.0) or null, got 15"},
                {decoder("nanochat", ", \"layer_types\": [\"full_attention\"]"), "layer_types has 1 entries but num_hidden_layers is 2"},
        };
        assertRefused(edit -> edit, bad, false);
    }

    /**
     * Granite MoE and Granite MoE (shared) as GraniteMoeConfig and GraniteMoeSharedConfig (5.18) build them, tried with
     * from_config and a forward: kv heads None = heads, untied, no pad row, q/k/v/o by attention_bias and no MLP bias
     * (mlp_bias unread), every layer num_local_experts experts of intermediate_size, a shared_mlp only for granitemoeshared
     * with shared_intermediate_size > 0. Refused: what from_config refuses and what builds but cannot run (a null expert
     * count, top-k or multiplier; more top-k than experts).
     */
    @Test void graniteMoeRules() {
        String e = ", \"num_local_experts\": 3";
        ModelConfig.Decoder g = (ModelConfig.Decoder) parse(decoder("granitemoe", e + ", \"mlp_bias\": true, \"shared_intermediate_size\": 8, "
                + "\"output_router_logits\": null, \"router_aux_loss_coef\": null").replace(", \"num_key_value_heads\": 2", ""));
        assertTrue(g.kvHeads() == 4 && g.headDim() == 16 && !g.tieEmbeddings() && !g.qkvBias() && !g.outBias() && !g.mlpBias()
                && g.padTokenId().isEmpty());
        ModelConfig.Moe m = g.moe().orElseThrow();
        assertTrue(m.experts() == 3 && m.expertIntermediate() == 128 && m.sharedIntermediate().isEmpty() && g.sparse(0) && g.sparse(1),
                "granitemoe has no shared_mlp whatever shared_intermediate_size says");
        ModelConfig.Decoder b = (ModelConfig.Decoder) parse(decoder("granitemoe", e + ", \"attention_bias\": true, \"num_key_value_heads\": null, "
                + "\"embedding_multiplier\": 12, \"logits_scaling\": 8.0, \"head_dim\": 8"));
        assertTrue(b.qkvBias() && b.outBias() && !b.mlpBias() && b.kvHeads() == 4 && b.headDim() == 8);
        ModelConfig.Decoder s = (ModelConfig.Decoder) parse(decoder("granitemoeshared", e + ", \"shared_intermediate_size\": 24"));
        assertEquals(OptionalLong.of(24), s.moe().orElseThrow().sharedIntermediate());
        for (String none : List.of("", ", \"shared_intermediate_size\": 0")) {
            assertTrue(((ModelConfig.Decoder) parse(decoder("granitemoeshared", e + none))).moe().orElseThrow().sharedIntermediate().isEmpty());
        }
        List<String> names = TensorTable.of(s).stream().map(TensorSpec::name).toList();
        assertTrue(names.containsAll(List.of("model.layers.1.shared_mlp.input_linear.weight", "model.layers.1.block_sparse_moe.router.layer.weight",
                "model.layers.1.block_sparse_moe.input_linear.weight")), names.toString());
        String[][] bad = {
                {decoder("granitemoe", ""), "has no num_local_experts"},
                {decoder("granitemoe", ", \"num_experts\": 3"), "has no num_local_experts"},   // no alias: the class ignores it
                {decoder("granitemoe", ", \"num_local_experts\": null"), "num_local_experts is null"},
                {decoder("granitemoe", ", \"num_local_experts\": 0"), "num_local_experts must be a positive integer, got 0"},
                {decoder("granitemoe", e + ", \"num_experts_per_tok\": null"), "num_experts_per_tok is null"},
                {decoder("granitemoe", e + ", \"num_experts_per_tok\": 4"), "num_experts_per_tok (4) is more than num_local_experts (3)"},
                {decoder("granitemoe", ", \"num_local_experts\": 1"), "num_experts_per_tok (2, the class default) is more than num_local_experts (1)"},
                {decoder("granitemoe", e + ", \"head_dim\": null"), "head_dim is null, which transformers refuses"},
                {decoder("granitemoe", e + ", \"head_dim\": 7"), "head_dim (7) must be even"},
                {decoder("granitemoe", e + ", \"embedding_multiplier\": null"), "embedding_multiplier is null; GraniteMoeForCausalLM builds, but its forward fails"},
                {decoder("granitemoeshared", e + ", \"residual_multiplier\": null"), "residual_multiplier is null; GraniteMoeSharedForCausalLM builds"},
                {decoder("granitemoe", e + ", \"attention_multiplier\": null"), "attention_multiplier is null; GraniteMoeForCausalLM builds, but uses it as the attention's scaling"},
                {decoder("granitemoe", e + ", \"logits_scaling\": \"8\""), "logits_scaling must be a number, got \"8\""},
                {decoder("granitemoeshared", e + ", \"attention_dropout\": null"), "attention_dropout is null; GraniteMoeSharedForCausalLM builds, but in training"},
                {decoder("granitemoe", e + ", \"attention_dropout\": \"0.1\""), "attention_dropout must be a number, got \"0.1\""},
                {decoder("granitemoe", e + ", \"max_position_embeddings\": null"), "max_position_embeddings is null, which transformers refuses"},
                {decoder("granitemoe", e + ", \"output_router_logits\": 1"), "output_router_logits must be true or false, got 1"},
                {decoder("granitemoe", e + ", \"router_aux_loss_coef\": 1"), "router_aux_loss_coef must be a float (such as 1.0) or null, got 1"},
                {decoder("granitemoe", e + ", \"attention_bias\": null"), "attention_bias is null, which transformers refuses"},
                {decoder("granitemoeshared", e + ", \"shared_intermediate_size\": null"), "shared_intermediate_size is null, which transformers refuses"},
                {decoder("granitemoeshared", e + ", \"shared_intermediate_size\": -1"), "shared_intermediate_size must be 0 or more, got -1"},
                {decoder("granitemoeshared", e + ", \"num_key_value_heads\": 3"), "num_attention_heads (4) must be a multiple of num_key_value_heads (3)"},
                {decoder("granitemoeshared", e + ", \"layer_types\": [\"full_attention\"]"), "layer_types has 1 entries but num_hidden_layers is 2"},
        };
        assertRefused(edit -> edit, bad, true);
    }

    private static String gemma4(String extra) {
        return "{\"model_type\": \"gemma4_text\", \"vocab_size\": 100, \"hidden_size\": 32, \"intermediate_size\": 48, "
                + "\"num_hidden_layers\": 4, \"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"head_dim\": 8, "
                + "\"hidden_size_per_layer_input\": 0, \"layer_types\": [\"sliding_attention\", \"full_attention\", \"sliding_attention\", "
                + "\"full_attention\"]" + extra + "}";
    }

    /** Gemma4TextConfig (5.18), each rule tried with from_config (102 variants, QA). */
    @Test void gemma4Rules() {
        ModelConfig.Gemma4 g = (ModelConfig.Gemma4) parse(gemma4(""));
        assertEquals(new ModelConfig.Gemma4.Attention(8, 2), g.sliding());
        assertEquals(new ModelConfig.Gemma4.Attention(512, 2), g.full(), "global_head_dim defaults to 512 for full layers");
        assertTrue(g.tieEmbeddings() && g.padRow().equals(OptionalLong.of(0)) && g.experts() == 0 && g.perLayerHidden() == 0);
        // num_global_key_value_heads only with attention_k_eq_v; a per_layer_config key (even null) replaces the default.
        assertEquals(new ModelConfig.Gemma4.Attention(16, 2), ((ModelConfig.Gemma4) parse(gemma4(", \"global_head_dim\": 16, \"num_global_key_value_heads\": 1"))).full());
        assertEquals(new ModelConfig.Gemma4.Attention(16, 1),
                ((ModelConfig.Gemma4) parse(gemma4(", \"global_head_dim\": 16, \"num_global_key_value_heads\": 1, \"attention_k_eq_v\": true"))).full());
        assertEquals(new ModelConfig.Gemma4.Attention(8, 2), ((ModelConfig.Gemma4) parse(gemma4(", \"per_layer_config\": null"))).full());
        assertEquals(new ModelConfig.Gemma4.Attention(12, 2),
                ((ModelConfig.Gemma4) parse(gemma4(", \"per_layer_config\": {\"01\": {\"head_dim\": 12}, \"3\": {\"head_dim\": 12}}"))).full());
        // The class forces the last layer to full_attention; without layer_types every sixth layer is full.
        ModelConfig.Gemma4 last = (ModelConfig.Gemma4) parse(gemma4("").replace("\"full_attention\"]", "\"sliding_attention\"]"));
        assertTrue(last.full(3) && !last.full(2));
        ModelConfig.Gemma4 d = (ModelConfig.Gemma4) parse(gemma4("").replaceAll(", \"layer_types\": \\[[^]]*]", "").replace("\"num_hidden_layers\": 4", "\"num_hidden_layers\": 13"));
        assertTrue(!d.full(4) && d.full(5) && d.full(11) && d.full(12) && !d.full(10));
        // kv sharing: shared layers from num_hidden_layers - num_kv_shared_layers on; double-wide MLPs there only.
        ModelConfig.Gemma4 s = (ModelConfig.Gemma4) parse(gemma4(", \"num_kv_shared_layers\": 2, \"use_double_wide_mlp\": true"));
        assertTrue(!s.kvShared(1) && s.kvShared(2) && s.mlpWidth(1) == 48 && s.mlpWidth(3) == 96);
        ModelConfig.Gemma4 p = (ModelConfig.Gemma4) parse(gemma4(", \"pad_token_id\": -1").replace("\"hidden_size_per_layer_input\": 0",
                "\"hidden_size_per_layer_input\": 4, \"vocab_size_per_layer_input\": 50"));
        assertEquals(OptionalLong.of(99), p.padRow());
        assertEquals(OptionalLong.of(49), p.perLayerPadRow(), "the same pad id wraps into the per-layer table's own rows");
        parse(gemma4(", \"head_dim\": 7").replace("\"sliding_attention\"", "\"full_attention\""));   // no sliding layer: unused
        parse(gemma4(", \"vocab_size_per_layer_input\": 0"));   // unread without per-layer embeddings (a plain int there)
        parse(gemma4(", \"attention_dropout\": null, \"eos_token_id\": 1, \"rms_norm_eps\": 1e-06"));   // Gemma 4's dropout: int | float | None
        // rope_scaling wins over rope_parameters (transformers reads no other): a flat rope_parameters beside a valid one is built.
        parse(gemma4(", \"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 10000.0}, \"rope_scaling\": {\"sliding_attention\": "
                + "{\"rope_type\": \"default\", \"rope_theta\": 10000.0}, \"full_attention\": {\"rope_type\": \"default\", \"rope_theta\": 1000000.0}}"));
        String[][] bad = {
                {", \"num_key_value_heads\": null", "num_key_value_heads is null"},
                {", \"head_dim\": null", "head_dim is null, which transformers refuses"},
                {", \"global_head_dim\": null", "global_head_dim is null"},
                {", \"global_head_dim\": 16.0", "global_head_dim must be a positive integer"},
                {", \"num_global_key_value_heads\": 0, \"attention_k_eq_v\": true", "num_global_key_value_heads must be a positive integer"},
                {", \"num_global_key_value_heads\": 3, \"attention_k_eq_v\": true", "num_attention_heads (4) must be a multiple of num_key_value_heads (3)"},
                {", \"attention_k_eq_v\": null", "attention_k_eq_v is null"},
                {", \"use_double_wide_mlp\": null", "use_double_wide_mlp is null"},
                {", \"enable_moe_block\": \"yes\"", "enable_moe_block must be true or false"},
                {", \"enable_moe_block\": true, \"moe_intermediate_size\": 10, \"top_k_experts\": 2", "has no num_experts"},
                {", \"enable_moe_block\": true, \"num_experts\": 3, \"top_k_experts\": 2", "has no moe_intermediate_size"},
                {", \"enable_moe_block\": true, \"num_experts\": 0, \"moe_intermediate_size\": 10, \"top_k_experts\": 2", "num_experts must be a positive integer"},
                {", \"enable_moe_block\": true, \"num_experts\": 3, \"moe_intermediate_size\": 10", "has no top_k_experts"},   // (stricter: forward fails)
                {", \"num_kv_shared_layers\": null", "num_kv_shared_layers is null"},
                {", \"num_kv_shared_layers\": 4", "num_kv_shared_layers (4) must be less than num_hidden_layers (4)"},   // (stricter)
                {", \"num_kv_shared_layers\": 3", "layer 1 (full_attention) is one of the last num_kv_shared_layers (3)"},   // (stricter)
                {", \"layer_types\": [\"chunked_attention\", \"full_attention\", \"sliding_attention\", \"full_attention\"]", "sliding_attention and full_attention only"},
                {", \"per_layer_config\": {\"1\": {\"head_dim\": 12}, \"3\": {\"head_dim\": 16}}", "transformers wants the same for every layer of a type"},
                {", \"per_layer_config\": {\"0\": {\"intermediate_size\": 20}}", "overrides \"intermediate_size\""},
                {", \"per_layer_config\": {\"7\": {\"head_dim\": 20}}", "per_layer_config key 7 is not a layer index in [0, 4)"},
                {", \"per_layer_config\": {\"x\": {\"head_dim\": 20}}", "per_layer_config key \"x\" is not a layer index"},
                {", \"per_layer_config\": {\"1\": null}", "must be an object of overrides"},
                {", \"per_layer_config\": {\"1\": {\"head_dim\": null}, \"3\": {\"head_dim\": null}}", "head_dim is null"},
                {", \"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 10000.0}", "rope_parameters has no full_attention entry"},
                {", \"rope_parameters\": {\"sliding_attention\": {\"rope_type\": \"default\"}, \"full_attention\": {\"rope_theta\": 1.0}}", "has no rope_theta"},
                // Built by from_config, but the forward fails (QA: each was written).
                {", \"rope_parameters\": {\"sliding_attention\": {\"rope_theta\": 1.0}, \"full_attention\": null}", "rope_parameters.full_attention is null"},
                {", \"head_dim\": 7", "the head_dim of the sliding_attention layers (7) must be even"},
                {", \"head_dim\": 3", "the head_dim of the sliding_attention layers (3) must be even"},
                {", \"global_head_dim\": 15", "the head_dim of the full_attention layers (15) must be even"},
                {", \"per_layer_config\": {\"1\": {\"head_dim\": 9}, \"3\": {\"head_dim\": 9}}", "the head_dim of the full_attention layers (9)"},
                {", \"enable_moe_block\": true, \"num_experts\": 3, \"moe_intermediate_size\": 10, \"top_k_experts\": 4",
                        "top_k_experts (4) is more than num_experts (3)"},
                {", \"rope_parameters\": {\"sliding_attention\": null, \"full_attention\": {\"rope_type\": \"proportional\", \"rope_theta\": 1.0, \"partial_rotary_factor\": null}}",
                        "partial_rotary_factor is null"},
                // A rope_scaling key replaces rope_parameters there (its setter), null included (QA: both were written).
                {", \"rope_scaling\": null", "rope_scaling is null, which Gemma4TextConfig takes as rope_parameters"},
                {", \"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 2.0}", "rope_scaling has no full_attention entry"},
                {", \"rope_scaling\": {\"sliding_attention\": null, \"full_attention\": {\"rope_type\": \"yarn\", \"rope_theta\": 1.0}}",
                        "rope_scaling.full_attention has rope_type \"yarn\""},
                {", \"sliding_window\": null", "sliding_window is null"},
                {", \"max_position_embeddings\": null", "max_position_embeddings is null"},
                {", \"final_logit_softcapping\": 30", "final_logit_softcapping must be a float"},
                {", \"vocab_size_per_layer_input\": 0.5", "vocab_size_per_layer_input must be an integer, got 0.5"},
                {", \"rms_norm_eps\": null", "rms_norm_eps is null"},
                {", \"hidden_activation\": null", "hidden_activation is null"},
                {", \"bos_token_id\": 2.0", "bos_token_id must be an integer or null"},
                {", \"eos_token_id\": \"x\"", "eos_token_id must be an integer, a list of integers or null"},
                {", \"use_bidirectional_attention\": \"x\"", "use_bidirectional_attention must be \"all\", \"vision\" or null"},
                {", \"pad_token_id\": 100", "pad_token_id 100 is outside the vocabulary of 100 tokens"},
        };
        assertRefused(ConfigParserTest::gemma4, bad, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(gemma4("").replace("\"hidden_size_per_layer_input\": 0, ", "")));
        assertTrue(e.getMessage().contains("has no hidden_size_per_layer_input (0 for no per-layer input embeddings"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse(gemma4("").replace("\"hidden_size_per_layer_input\": 0",
                "\"hidden_size_per_layer_input\": 4, \"vocab_size_per_layer_input\": 10, \"pad_token_id\": 50")));
        assertTrue(e.getMessage().contains("pad_token_id 50 is outside the vocabulary of 10 tokens"), e.getMessage());
    }

    /** A small hybrid config of {@code type} (4 layers: the default full_attention_interval 4 makes layer 3 full attention). */
    private static String hybrid(String type, String extra) {
        String moe = switch (type) {
            case "qwen3_next" -> ", \"intermediate_size\": 96, \"num_experts\": 4, \"num_experts_per_tok\": 2, \"moe_intermediate_size\": 24, "
                    + "\"shared_expert_intermediate_size\": 32";
            case "qwen3_5_moe_text" -> ", \"num_experts\": 4, \"num_experts_per_tok\": 2, \"moe_intermediate_size\": 24, "
                    + "\"shared_expert_intermediate_size\": 32";
            default -> ", \"intermediate_size\": 96";
        };
        return "{\"model_type\": \"" + type + "\", \"vocab_size\": 100, \"hidden_size\": 64, \"num_hidden_layers\": 4, "
                + "\"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"linear_num_key_heads\": 2, \"linear_num_value_heads\": 4" + moe
                + extra + "}";
    }

    /**
     * Qwen3-Next, Qwen3.5 and Qwen3.5-MoE as Qwen3NextConfig, Qwen3_5TextConfig and Qwen3_5MoeTextConfig (5.18) build or refuse
     * them (each tried with from_config and a forward pass): head_dim 256 and the linear head dims 128, kernel 4 by default;
     * layer i full attention when (i + 1) is a multiple of full_attention_interval (default 4), or as layer_types says; only
     * partial_rotary_factor (0.25) of head_dim rotates, so an odd head_dim passes unless all of it rotates.
     */
    @Test void hybridRules() {
        for (String t : List.of("qwen3_next", "qwen3_5_text", "qwen3_5_moe_text")) {
            ModelConfig.Hybrid h = (ModelConfig.Hybrid) parse(hybrid(t, ""));
            assertEquals(t, h.type().id());
            assertEquals(256, h.base().headDim(), t + ": head_dim 256 whatever hidden / heads");
            assertEquals(new ModelConfig.LinearAttention(2, 4, 128, 128, 4), h.linear(), t + ": the class defaults");
            assertEquals(List.of(false, false, false, true), java.util.stream.LongStream.range(0, 4).mapToObj(h::fullAttention).toList(), t);
            assertTrue(h.base().qkNorms() && !h.base().qkvBias() && !h.base().tieEmbeddings(), t);
            ModelConfig.Hybrid two = (ModelConfig.Hybrid) parse(hybrid(t, ", \"full_attention_interval\": 2, \"attention_bias\": true, "
                    + "\"tie_word_embeddings\": true, \"head_dim\": 7"));
            assertTrue(two.fullAttention(1) && two.fullAttention(3) && !two.fullAttention(2), t);
            assertTrue(two.base().qkvBias() && two.base().outBias() && two.base().tieEmbeddings(), t);
            assertEquals(7, two.base().headDim(), t + ": an odd head_dim, a quarter of it rotated");
            ModelConfig.Hybrid listed = (ModelConfig.Hybrid) parse(hybrid(t, ", \"layer_types\": [\"full_attention\", \"linear_attention\", "
                    + "\"linear_attention\", \"full_attention\"]"));
            assertTrue(listed.fullAttention(0) && !listed.fullAttention(1), t);
            assertTrue(((ModelConfig.Hybrid) parse(hybrid(t, ", \"full_attention_interval\": -2"))).fullAttention(1), t + ": Python's %");
            String[][] bad = {
                    {", \"head_dim\": null", "head_dim is null, which transformers refuses"},
                    {", \"head_dim\": 7, \"partial_rotary_factor\": 1.0", "head_dim (7) must be even"},
                    {", \"partial_rotary_factor\": -0.5", "a negative rotary width"},
                    {", \"num_key_value_heads\": null", "num_key_value_heads is null"},
                    {", \"num_key_value_heads\": 3", "num_attention_heads (4) must be a multiple of num_key_value_heads (3)"},
                    {", \"linear_num_value_heads\": 3", "linear_num_value_heads (3) must be a multiple of linear_num_key_heads (2)"},
                    {", \"linear_key_head_dim\": null", "linear_key_head_dim is null, which transformers refuses"},
                    {", \"linear_conv_kernel_dim\": null", "linear_conv_kernel_dim is null, which transformers refuses"},
                    {", \"full_attention_interval\": 0", "full_attention_interval is 0"},
                    {", \"full_attention_interval\": null", "full_attention_interval is null"},
                    {", \"full_attention_interval\": 2.0", "full_attention_interval must be an integer"},
                    {", \"full_attention_interval\": 5", "full_attention_interval (5) is more than num_hidden_layers (4)"},
                    {", \"layer_types\": [\"linear_attention\", \"full_attention\", \"sliding_attention\", \"full_attention\"]",
                            "layer_types holds \"sliding_attention\""},
                    {", \"layer_types\": [\"linear_attention\", \"full_attention\"]", "layer_types has 2 entries but num_hidden_layers is 4"},
                    {", \"layer_types\": [\"linear_attention\", \"linear_attention\", \"linear_attention\", \"linear_attention\"]",
                            "layer_types has no \"full_attention\" layer"},
                    {", \"attention_bias\": null", "attention_bias is null"},
                    // Typed by the strict classes though no shape depends on them (QA: each was written, and its copy did not load).
                    {", \"max_position_embeddings\": null", "max_position_embeddings is null"},
                    {", \"max_position_embeddings\": 512.0", "max_position_embeddings must be an integer, got 512.0"},
                    {", \"rms_norm_eps\": null", "rms_norm_eps is null"},
                    {", \"rms_norm_eps\": 1", "rms_norm_eps must be a float (such as 1.0), got 1"},
                    {", \"hidden_act\": null", "hidden_act is null"},
                    {", \"use_cache\": 1", "use_cache must be true or false"},
                    {", \"attention_dropout\": null", "attention_dropout is null"},
                    {", \"attention_dropout\": true", "attention_dropout must be a number"},
                    {", \"bos_token_id\": \"x\"", "bos_token_id must be an integer or null, got \"x\""},
                    {", \"eos_token_id\": [1, \"x\"]", "eos_token_id must be an integer, a list of integers or null"},
            };
            assertRefused(edit -> hybrid(t, edit), bad, true);
            parse(hybrid(t, ", \"max_position_embeddings\": 512, \"rms_norm_eps\": 1e-6, \"hidden_act\": \"silu\", \"use_cache\": false, "
                    + "\"attention_dropout\": 0, \"bos_token_id\": null, \"eos_token_id\": [1, 2]"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> parse(hybrid(t, "").replace("\"linear_num_key_heads\": 2, ", "")));
            assertTrue(e.getMessage().contains("has no linear_num_key_heads"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> parse(hybrid(t, "").replace("\"num_key_value_heads\": 2, ", "")));
            assertTrue(e.getMessage().contains("has no num_key_value_heads"), e.getMessage());
        }
        // Qwen3-Next: Qwen2-MoE's sparse-layer rules; 0 experts is every layer dense. Qwen3.5-MoE: every layer sparse.
        ModelConfig.Hybrid next = (ModelConfig.Hybrid) parse(hybrid("qwen3_next", ", \"mlp_only_layers\": [1], \"decoder_sparse_step\": 1"));
        assertTrue(next.base().sparse(0) && !next.base().sparse(1));
        assertEquals(OptionalLong.of(32), next.base().moe().orElseThrow().sharedIntermediate());
        assertTrue(!((ModelConfig.Hybrid) parse(hybrid("qwen3_next", ", \"num_experts\": 0"))).base().sparse(0));
        assertTrue(((ModelConfig.Hybrid) parse(hybrid("qwen3_5_moe_text", ""))).base().sparse(3));
        assertTrue(((ModelConfig.Hybrid) parse(hybrid("qwen3_5_text", ", \"num_experts\": 4"))).base().moe().isEmpty(), "dense: unread");
        String[][] moeBad = {
                {hybrid("qwen3_next", ", \"num_experts_per_tok\": 5"), "num_experts_per_tok (5) is more than num_experts (4)"},
                {hybrid("qwen3_next", "").replace("\"num_experts_per_tok\": 2, ", ""), "num_experts_per_tok (10, the class default) is more than"},
                {hybrid("qwen3_next", ", \"decoder_sparse_step\": 0"), "decoder_sparse_step must be a positive integer, got 0"},
                {hybrid("qwen3_next", ", \"norm_topk_prob\": null"), "norm_topk_prob is null"},
                {hybrid("qwen3_next", ", \"router_aux_loss_coef\": 1"), "router_aux_loss_coef must be a float"},
                {hybrid("qwen3_next", "").replace("\"shared_expert_intermediate_size\": 32", "\"x\": 1"), "has no shared_expert_intermediate_size"},
                {hybrid("qwen3_5_moe_text", ", \"num_experts\": 0"), "num_experts must be a positive integer, got 0"},
                {hybrid("qwen3_5_moe_text", ", \"num_experts_per_tok\": 5"), "num_experts_per_tok (5) is more than num_experts (4)"},
                {hybrid("qwen3_5_moe_text", ", \"mlp_only_layers\": [1]"), "not read by Qwen3_5MoeTextConfig"},
                {hybrid("qwen3_5_moe_text", ", \"decoder_sparse_step\": 2"), "not read by Qwen3_5MoeTextConfig"},
                {hybrid("qwen3_5_text", ", \"intermediate_size\": null"), "intermediate_size is null"},
                {"{\"model_type\": \"qwen3_5\", \"text_config\": {}}", "is the multimodal Qwen3.5 config"},
                {"{\"model_type\": \"qwen3_5_moe\", \"text_config\": {}}", "(model_type qwen3_5_moe_text)"},
        };
        assertRefused(edit -> edit, moeBad, true);
    }

    private static String gptNeox(String extra) {
        return "{\"model_type\": \"gpt_neox\", \"vocab_size\": 100, \"hidden_size\": 32, \"intermediate_size\": 64, "
                + "\"num_hidden_layers\": 2, \"num_attention_heads\": 4" + extra + "}";
    }

    /** GPTNeoXConfig (5.18), each rule tried with from_config and a forward and backward pass (QA variants in the commit). */
    @Test void gptNeoxRules() {
        ModelConfig.GptNeox g = (ModelConfig.GptNeox) parse(gptNeox(""));
        assertTrue(g.attentionBias());   // the class default
        assertFalse(g.tieEmbeddings());
        assertFalse(((ModelConfig.GptNeox) parse(gptNeox(", \"attention_bias\": false, \"tie_word_embeddings\": true"))).attentionBias());
        // Taken as the class takes them: any pad id (embed_in has no padding_idx), rotary widths up to the head size (odd
        // ones rounded up to pairs), a head_dim only the rotary embedding reads, a top-level partial_rotary_factor unread.
        parse(gptNeox(", \"pad_token_id\": 1000, \"rotary_pct\": 1.0, \"use_parallel_residual\": false, \"rotary_emb_base\": 10000"));
        parse(gptNeox(", \"hidden_size\": 20, \"rotary_pct\": 0.3"));
        parse(gptNeox(", \"hidden_size\": 4, \"head_dim\": 8, \"rotary_pct\": 1.0"));   // heads of 1: broadcast, runs (QA)   // head 5: int(1.5) = 1 dimension, rotated as 2
        parse(gptNeox(", \"head_dim\": 4, \"rotary_pct\": 0.0, \"partial_rotary_factor\": 3.0, \"rms_norm_eps\": null"));
        parse(gptNeox(", \"head_dim\": null, \"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 2.0}"));
        String[][] bad = {
                {", \"hidden_size\": 30", "hidden_size (30) must be a multiple of num_attention_heads (4) for gpt_neox"},
                {", \"intermediate_size\": null", "intermediate_size is null"},
                {", \"attention_bias\": null", "attention_bias is null"},
                {", \"attention_bias\": 1", "attention_bias must be true or false"},
                {", \"use_parallel_residual\": null", "use_parallel_residual is null"},
                {", \"is_decoder\": null", "is_decoder is null"},
                {", \"hidden_dropout\": null", "hidden_dropout is null"},
                {", \"classifier_dropout\": \"x\"", "classifier_dropout must be a number"},
                {", \"attention_dropout\": null", "attention_dropout is null"},
                {", \"pad_token_id\": 1.5", "pad_token_id must be an integer or null"},
                {", \"rotary_pct\": null", "rotary_pct is null"},
                {", \"rotary_pct\": \"x\"", "rotary_pct must be a number"},
                {", \"rotary_pct\": -0.5", "a negative rotary width"},
                {", \"rotary_pct\": 2.0", "rotates 16 dimensions (int(8 * 2.0) = 16) but each head has hidden_size / num_attention_heads = 8"},
                // int(8 * 1e19) saturates the cast: its round-up to pairs overflowed to a negative width, and passed
                {", \"rotary_pct\": 1e19", "rotates 9223372036854775807 dimensions (int(8 * 1.0E19) = 9223372036854775807) but each head"},
                {", \"rotary_pct\": 1e308", "but each head has hidden_size / num_attention_heads = 8"},
                {", \"hidden_size\": 20, \"rotary_pct\": 1.0", "rotates 6 dimensions (int(5 * 1.0) = 5, rounded up to pairs)"},
                {", \"head_dim\": 16, \"rotary_pct\": 1.0", "rotates 16 dimensions"},
                {", \"head_dim\": \"x\"", "head_dim must be an integer"},
                {", \"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 10.0, \"partial_rotary_factor\": null}", "partial_rotary_factor is null"},
                {", \"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 10.0, \"partial_rotary_factor\": 1.5}", "rotates 12 dimensions"},
                {", \"rotary_emb_base\": null", "rotary_emb_base is null"},
                {", \"rope_parameters\": {\"rope_type\": \"bogus\", \"rope_theta\": 10.0}", "rope_type \"bogus\" is not one transformers (5.18) knows"},
                {", \"rope_parameters\": {\"rope_type\": \"dynamic\", \"factor\": 2.0, \"rope_theta\": 10.0}", "the dynamic rope over a rotary width of 2 divides by zero"},
                {", \"layer_norm_eps\": null", "layer_norm_eps is null"},
                {", \"layer_norm_eps\": 1", "layer_norm_eps must be a float"},
                {", \"layer_types\": [\"full_attention\"]", "layer_types has 1 entries but num_hidden_layers is 2"},
                {", \"tie_word_embeddings\": null", "tie_word_embeddings is null"},
        };
        assertRefused(ConfigParserTest::gptNeox, bad, true);
        // rotary_pct is read only when the rope object has no partial_rotary_factor.
        parse(gptNeox(", \"rotary_pct\": 2.0, \"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 10.0, \"partial_rotary_factor\": 0.5}"));
        parse(gptNeox(", \"rotary_emb_base\": null, \"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 10.0}"));
    }

    private static String phi(String extra) {
        return "{\"model_type\": \"phi\", \"vocab_size\": 100, \"hidden_size\": 32, \"intermediate_size\": 64, "
                + "\"num_hidden_layers\": 2, \"num_attention_heads\": 4" + extra + "}";
    }

    /** PhiConfig (5.18), each rule tried with from_config and a forward and backward pass (QA variants in the commit). */
    @Test void phiRules() {
        ModelConfig.Phi p = (ModelConfig.Phi) parse(phi(""));
        assertEquals(4, p.kvHeads());   // None: the heads
        assertEquals(8, p.headDim());
        assertFalse(p.tieEmbeddings());
        assertFalse(p.qkLayernorm());
        assertTrue(p.padTokenId().isEmpty());
        assertEquals(OptionalLong.of(99), ((ModelConfig.Phi) parse(phi(", \"pad_token_id\": -1"))).padTokenId());
        assertEquals(2, ((ModelConfig.Phi) parse(phi(", \"num_key_value_heads\": 2"))).kvHeads());
        assertEquals(4, ((ModelConfig.Phi) parse(phi(", \"num_key_value_heads\": null"))).kvHeads());
        // hidden_size // heads, floored (PhiAttention's getattr default; the heads need not divide hidden_size).
        ModelConfig.Phi odd = (ModelConfig.Phi) parse(phi(", \"hidden_size\": 36"));
        assertEquals(9, odd.headDim());
        assertEquals(12, ((ModelConfig.Phi) parse(phi(", \"head_dim\": 12"))).headDim());
        parse(phi(", \"partial_rotary_factor\": 0.0, \"qk_layernorm\": true, \"tie_word_embeddings\": true, \"attention_bias\": false"));
        parse(phi(", \"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 10.0, \"partial_rotary_factor\": 0.75}"));
        parse(phi(", \"partial_rotary_factor\": 0.25, \"head_dim\": 6"));   // 1 dimension: runs, by broadcasting (QA)
        parse(phi(", \"attention_dropout\": 0, \"rms_norm_eps\": null, \"rotary_pct\": null"));   // (no such fields there)
        String[][] bad = {
                {", \"hidden_size\": 30", "phi rotates int(head_dim (7) * partial_rotary_factor (0.5)) = 3 dimensions"},
                {", \"hidden_size\": 3", "hidden_size (3) // num_attention_heads (4) is 0"},
                {", \"partial_rotary_factor\": null", "partial_rotary_factor is null"},
                {", \"partial_rotary_factor\": \"x\"", "partial_rotary_factor must be a number"},
                {", \"partial_rotary_factor\": -0.5", "= -4 dimensions"},
                {", \"partial_rotary_factor\": 2.0", "= 16 dimensions"},
                {", \"partial_rotary_factor\": 0.5, \"head_dim\": 6", "= 3 dimensions"},
                {", \"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 10.0, \"partial_rotary_factor\": null}", "partial_rotary_factor is null"},
                {", \"num_key_value_heads\": 3", "num_attention_heads (4) must be a multiple of num_key_value_heads (3)"},
                {", \"num_key_value_heads\": 8", "num_attention_heads (4) must be a multiple of num_key_value_heads (8)"},
                {", \"num_key_value_heads\": 0", "num_key_value_heads must be a positive integer, got 0"},
                {", \"head_dim\": null", "head_dim is null; PhiAttention reads it"},
                {", \"head_dim\": 0", "head_dim must be a positive integer, got 0"},
                {", \"head_dim\": 16, \"qk_layernorm\": true", "head_dim (16) must be hidden_size // num_attention_heads (8) with qk_layernorm"},
                {", \"qk_layernorm\": null", "qk_layernorm is null"},
                {", \"qk_layernorm\": 1", "qk_layernorm must be true or false"},
                {", \"pad_token_id\": 100", "pad_token_id 100 is outside the vocabulary of 100 tokens"},
                {", \"attention_dropout\": null", "attention_dropout is null; PhiForCausalLM builds, but in training"},
                {", \"resid_pdrop\": null", "resid_pdrop is null"},
                {", \"rope_scaling\": {\"type\": \"bogus\", \"factor\": 2.0}", "rope_type \"bogus\" is not one transformers (5.18) knows"},
                {", \"embd_pdrop\": \"x\"", "embd_pdrop must be a number"},
                {", \"layer_norm_eps\": null", "layer_norm_eps is null"},
                {", \"intermediate_size\": null", "intermediate_size is null"},
                {", \"layer_types\": [\"full_attention\"]", "layer_types has 1 entries but num_hidden_layers is 2"},
        };
        assertRefused(ConfigParserTest::phi, bad, true);
    }

    /** Starcoder2Config (5.18), each rule tried with from_config and a forward and backward pass (QA variants in the commit). */
    @Test void starcoder2Rules() {
        ModelConfig.Starcoder2 c = (ModelConfig.Starcoder2) parse(decoder("starcoder2", ""));
        assertEquals(16, c.headDim());
        assertTrue(c.bias());   // use_bias default true
        assertTrue(c.tieEmbeddings());   // tied by default
        assertTrue(c.padTokenId().isEmpty());
        assertEquals(0.018042, c.initializerRange());   // Starcoder2Config's default, not 0.02
        assertFalse(((ModelConfig.Starcoder2) parse(decoder("starcoder2", ", \"use_bias\": false, \"tie_word_embeddings\": false"))).bias());
        assertEquals(16, ((ModelConfig.Starcoder2) parse(decoder("starcoder2", ", \"head_dim\": null"))).headDim());
        assertEquals(16, ((ModelConfig.Starcoder2) parse(decoder("starcoder2", ", \"head_dim\": 0"))).headDim());
        assertEquals(8, ((ModelConfig.Starcoder2) parse(decoder("starcoder2", ", \"head_dim\": 8"))).headDim());
        assertEquals(16, ((ModelConfig.Starcoder2) parse(decoder("starcoder2", ", \"hidden_size\": 66"))).headDim());   // floored
        // Taken as the class takes them: head_dim 1 (runs by broadcasting), the default rope's unread partial_rotary_factor,
        // another rope type rotating all of head_dim, a positive window with sliding layers, unread rms_norm_eps.
        parse(decoder("starcoder2", ", \"head_dim\": 1, \"partial_rotary_factor\": 0.5, \"rms_norm_eps\": null, \"mlp_bias\": true"));
        parse(decoder("starcoder2", ", \"rope_parameters\": {\"rope_type\": \"linear\", \"factor\": 2.0, \"rope_theta\": 10.0, \"partial_rotary_factor\": 0.95}"));
        parse(decoder("starcoder2", ", \"head_dim\": 1, \"rope_parameters\": {\"rope_type\": \"linear\", \"factor\": 2.0, \"rope_theta\": 10.0}"));
        parse(decoder("starcoder2", ", \"rope_parameters\": {\"rope_type\": \"linear\", \"factor\": 2.0, \"rope_theta\": 10.0}, \"partial_rotary_factor\": null"));
        parse(decoder("starcoder2", ", \"sliding_window\": 2, \"layer_types\": [\"sliding_attention\", \"full_attention\"], \"pad_token_id\": -1"));
        String[][] bad = {
                {", \"num_key_value_heads\": null", "num_key_value_heads is null"},
                {", \"num_key_value_heads\": 3", "num_attention_heads (4) must be a multiple of num_key_value_heads (3)"},
                {", \"hidden_size\": 60", "head_dim = hidden_size // num_attention_heads (60 // 4 = 15) must be even"},
                {", \"head_dim\": 3", "head_dim (3) must be even"},
                {", \"head_dim\": -2", "head_dim must be a positive integer, got -2"},
                {", \"head_dim\": \"x\"", "head_dim must be an integer"},
                {", \"hidden_size\": 3", "(3 // 4 = 0) is 0"},
                {", \"rope_parameters\": {\"rope_type\": \"bogus\", \"rope_theta\": 10.0}", "rope_type \"bogus\" is not one transformers (5.18) knows"},
                {", \"rope_parameters\": {\"rope_type\": \"linear\", \"factor\": 2.0, \"rope_theta\": 10.0, \"partial_rotary_factor\": 0.5}",
                        "rotate 8 of head_dim's 16 dimensions"},
                {", \"rope_parameters\": {\"type\": \"yarn\", \"factor\": 2.0, \"rope_theta\": 10.0}, \"partial_rotary_factor\": 0.5", "yarn rotary embedding"},
                {", \"rope_parameters\": {\"rope_type\": \"linear\", \"factor\": 2.0, \"rope_theta\": 10.0, \"partial_rotary_factor\": null}", "partial_rotary_factor is null"},
                {", \"use_bias\": null", "use_bias is null"},
                {", \"use_bias\": 1", "use_bias must be true or false"},
                {", \"sliding_window\": 0", "sliding_window must be a positive integer or null, got 0"},
                {", \"sliding_window\": 2.5", "sliding_window must be an integer or null"},
                {", \"layer_types\": [\"full_attention\", \"sliding_attention\"]", "sliding_window is null or absent"},
                {", \"layer_types\": [\"chunked_attention\", \"full_attention\"]", "layer_types holds \"chunked_attention\""},
                {", \"layer_types\": [\"full_attention\"]", "layer_types has 1 entries but num_hidden_layers is 2"},
                {", \"residual_dropout\": null", "residual_dropout is null"},
                {", \"embedding_dropout\": \"x\"", "embedding_dropout must be a number"},
                {", \"norm_epsilon\": 1", "norm_epsilon must be a float"},
                {", \"pad_token_id\": 100", "pad_token_id 100 is outside the vocabulary of 100 tokens"},
        };
        assertRefused(edit -> decoder("starcoder2", edit), bad, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(decoder("starcoder2", "").replace(", \"num_key_value_heads\": 2", "")));
        assertTrue(e.getMessage().contains("has no num_key_value_heads"), e.getMessage());
    }

    /** A valid config of each supported type, with {@code extra} added (for the rules every type shares). */
    private static String anyType(String type, String extra) {
        return switch (type) {
            case "mixtral", "qwen2_moe", "qwen3_moe", "olmoe" -> moe(type, extra);
            case "minimax_m2", "granitemoe", "granitemoeshared" -> decoder(type, ", \"num_local_experts\": 3" + extra);
            case "deepseek_v3" -> deepseek(extra);
            case "deepseek_v2" -> deepseek(extra).replace("\"deepseek_v3\"", "\"deepseek_v2\"");
            case "deepseek_v32" -> deepseekV32(extra);
            case "glm4_moe_lite" -> glmLite(extra);
            case "glm4_moe" -> glm(extra);
            case "gpt_oss" -> gptOss(extra);
            case "llama4_text" -> llama4(extra);
            case "qwen3_next", "qwen3_5_text", "qwen3_5_moe_text" -> hybrid(type, extra);
            case "gemma4_text" -> gemma4(extra);
            case "gpt_neox" -> gptNeox(extra);
            case "phi" -> phi(extra);
            case "phi3", "smollm3" -> decoder(type, ", \"pad_token_id\": 3" + extra);   // (their default pad ids pass 100 tokens)
            case "gpt2" -> "{\"model_type\": \"gpt2\", \"vocab_size\": 10, \"n_embd\": 8, \"n_layer\": 1, \"n_head\": 2, \"n_positions\": 8"
                    + extra + "}";
            case "bert" -> "{\"model_type\": \"bert\", \"vocab_size\": 10, \"hidden_size\": 8, \"num_hidden_layers\": 1, "
                    + "\"num_attention_heads\": 2, \"intermediate_size\": 8, \"max_position_embeddings\": 8" + extra + "}";
            default -> decoder(type, extra);
        };
    }

    /**
     * Settings no shape depends on that every transformers 5.18 config class types strictly (ConfigParser.strictSettings): each
     * row is a value AutoConfig.for_model refused for that type (all 35 types tried with null, 512.0, 1, "x", true, [1, 2] and
     * [1, "x"]), where tensorinit used to write a checkpoint whose copy of the config did not load. The values the classes
     * take are parsed.
     */
    /**
     * The rope settings transformers 5.18 refuses or cannot build or run with, for every rotary type (probed: 36 types x 87
     * variants, from_config and a 4-token forward), and odd values validate_rope only warns on, which it builds and runs.
     * Gemma 3 (rope nested by layer type: any rope object taken), Gemma 4 (its own rules) and Olmo3 (reads a rope_scaling
     * with a rope_type only) are left out of the loop; gpt2 and bert have no rope.
     */
    @Test void everyRotaryTypeRefusesTheRopeSettingsTransformersCannotRun() {
        for (ModelType type : ModelType.values()) {
            String t = type.id();
            if (List.of("gpt2", "bert", "gemma3_text", "gemma4_text", "olmo3").contains(t)) continue;
            assertRefused(edit -> anyType(t, edit), new String[][] {
                    {", \"rope_scaling\": {\"rope_type\": \"bogus\"}", "rope_type \"bogus\""},
                    {", \"rope_scaling\": {\"type\": \"bogus\", \"factor\": 2.0}", "rope_type \"bogus\""},
                    {", \"rope_scaling\": {\"rope_type\": null, \"factor\": 2.0}", "rope_type is null"},
                    {", \"rope_scaling\": {\"rope_type\": \"linear\"}", "factor"},
                    {", \"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": null}", "factor must be a number, got null"},
                    {", \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": \"x\"}", "factor must be a number"},
                    {", \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 2.0, \"original_max_position_embeddings\": 0}",
                            "original_max_position_embeddings is 0"},
                    {", \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 2.0, \"beta_fast\": \"x\"}", "beta_fast must be a number"},
                    {", \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 2.0, \"attention_factor\": \"x\"}", "attention_factor must be a number"},
                    {", \"rope_scaling\": {\"rope_type\": \"longrope\", \"factor\": 2.0}", "short_factor"},
                    {", \"rope_scaling\": {\"rope_type\": \"longrope\", \"factor\": 2.0, \"short_factor\": [\"x\"], \"long_factor\": [1.0]}",
                            "short_factor must be a list of numbers"},
                    {", \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0, \"high_freq_factor\": 4.0, "
                            + "\"original_max_position_embeddings\": 8}", "low_freq_factor"},
                    {", \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0, \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, "
                            + "\"original_max_position_embeddings\": null}", "original_max_position_embeddings must be a number"},
                    {", \"rope_scaling\": [1, 2]", "rope_scaling must be a JSON object"},
                    {", \"rope_scaling\": {\"rope_type\": \"default\", \"rope_theta\": null}", "rope_theta must be a number, got null"},
                    {", \"rope_scaling\": {\"rope_type\": \"default\", \"rope_theta\": \"x\"}", "rope_theta must be a number"},
            }, true);
            if (List.of("ministral3", "phi3", "mixtral").contains(t)) continue;   // (their own rules, below)
            // Taken by transformers (validate_rope only warns): odd factors, betas, frequencies and bases.
            for (String rope : List.of("{\"rope_type\": \"linear\", \"factor\": 0.5}", "{\"rope_type\": \"linear\", \"factor\": -1.0}",
                    "{\"type\": \"linear\", \"factor\": 2.0}", "{\"rope_type\": \"yarn\", \"factor\": null}",
                    "{\"rope_type\": \"yarn\", \"factor\": 2.0, \"beta_fast\": 1, \"beta_slow\": 32}",
                    "{\"rope_type\": \"yarn\", \"factor\": 2.0, \"attention_factor\": -1.0}",
                    "{\"rope_type\": \"llama3\", \"factor\": 8.0, \"low_freq_factor\": 2.0, \"high_freq_factor\": 2.0, \"original_max_position_embeddings\": 8}",
                    "{\"rope_type\": \"llama3\", \"factor\": 0, \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 100000}",
                    "{\"rope_type\": \"default\", \"rope_theta\": 0}", "{\"rope_type\": \"default\", \"rope_theta\": -1.0}")) {
                parse(anyType(t, ", \"rope_scaling\": " + rope));
            }
        }
        // Per class: Phi3 builds the default and longrope ropes only; Mixtral's dynamic, yarn and longrope ropes need head_dim;
        // Ministral3's rope object needs llama_4_scaling_beta; GPT-OSS's default yarn rope a positive base.
        assertRefused(edit -> anyType("phi3", edit), new String[][] {{", \"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 2.0}", "Phi3ForCausalLM"}}, true);
        assertRefused(edit -> anyType("mixtral", edit), new String[][] {{", \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 2.0}", "head_dim"}}, true);
        assertRefused(edit -> anyType("ministral3", edit), new String[][] {
                {", \"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 2.0}", "llama_4_scaling_beta"}}, true);
        assertRefused(edit -> anyType("gpt_oss", edit), new String[][] {{", \"rope_theta\": 0", "rope_theta 0.0 is not positive"}}, true);
        parse(anyType("ministral3", ", \"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 2.0, \"llama_4_scaling_beta\": 0.1, "
                + "\"original_max_position_embeddings\": 16}"));
        parse(anyType("mixtral", ", \"head_dim\": 8, \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 2.0}"));
        parse(anyType("gpt_oss", ", \"rope_scaling\": {\"rope_type\": \"default\", \"rope_theta\": 0}"));
        // The longrope short_factor must have the rotary width's half of entries (or 1), also for the families decoder() does not
        // read (gpt_neox: head size 8 by rotary_pct 0.25 = 2 dimensions, 1 frequency; starcoder2 rotates all of its head_dim).
        String longrope = ", \"rope_scaling\": {\"rope_type\": \"longrope\", \"factor\": 2.0, \"original_max_position_embeddings\": 8, "
                + "\"long_factor\": [1.0], \"short_factor\": ";
        for (String t : List.of("llama", "gpt_neox", "starcoder2", "deepseek_v3", "qwen3_next")) {
            assertRefused(edit -> anyType(t, edit), new String[][] {{longrope + "[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]}",
                    "short_factor has 15 entries"}}, true);
            parse(anyType(t, longrope + "[1.0]}"));   // (one entry is broadcast)
        }
        // Qwen3.5's rope interleaves by mrope_section's first three entries; GLM-4-MoE-Lite cannot build the proportional rope,
        // StarCoder2 runs it at any partial_rotary_factor (it pads its frequencies to the full width).
        assertRefused(edit -> anyType("qwen3_5_text", edit), new String[][] {{", \"rope_scaling\": {\"rope_type\": \"default\", \"mrope_section\": [1, 1]}",
                "mrope_section [1,1]"}}, true);
        parse(anyType("qwen3_5_text", ", \"rope_scaling\": {\"rope_type\": \"default\", \"mrope_section\": [0, 0, 0]}"));
        assertRefused(edit -> anyType("glm4_moe_lite", edit), new String[][] {{", \"rope_scaling\": {\"rope_type\": \"proportional\"}", "proportional"}}, true);
        parse(anyType("starcoder2", ", \"rope_scaling\": {\"rope_type\": \"proportional\", \"partial_rotary_factor\": 0.5}"));
        // Olmo3 reads no flat rope_parameters (its layers' ropes are nested), and Gemma 3 takes any rope object.
        parse(anyType("olmo3", ", \"rope_parameters\": {\"rope_type\": \"bogus\"}"));
        parse(anyType("gemma3_text", ", \"rope_scaling\": {\"rope_type\": \"bogus\"}"));
    }

    @Test void everyTypeChecksTheStrictClassesUnreadSettings() {
        for (ModelType type : ModelType.values()) {
            String t = type.id();
            String eps = t.equals("gpt2") ? "layer_norm_epsilon" : List.of("bert", "gpt_neox", "phi").contains(t) ? "layer_norm_eps"
                    : t.equals("starcoder2") ? "norm_epsilon" : "rms_norm_eps";
            String act = t.equals("gpt2") ? "activation_function"
                    : List.of("gemma2", "gemma3_text", "gemma4_text").contains(t) ? "hidden_activation" : "hidden_act";
            String[][] bad = {
                    {", \"" + eps + "\": null", eps + " is null"},
                    {", \"" + eps + "\": 1", eps + " must be a float (such as 1.0), got 1"},
                    {", \"" + eps + "\": \"x\"", eps + " must be a float"},
                    {", \"" + eps + "\": true", eps + " must be a float"},
                    {", \"" + act + "\": null", act + " is null"},
                    {", \"" + act + "\": 1", act + " must be a string, got 1"},
                    {", \"" + act + "\": true", act + " must be a string"},
                    {", \"use_cache\": null", "use_cache is null"},
                    {", \"use_cache\": 1", "use_cache must be true or false, got 1"},
                    {", \"use_cache\": \"x\"", "use_cache must be true or false"},
                    {", \"bos_token_id\": 512.0", "bos_token_id must be an integer or null, got 512.0"},
                    {", \"bos_token_id\": \"x\"", "bos_token_id must be an integer or null"},
                    {", \"bos_token_id\": true", "bos_token_id must be an integer or null"},
                    {", \"bos_token_id\": [1, 2]", "bos_token_id must be an integer or null"},
                    {", \"eos_token_id\": 512.0", "eos_token_id must be an integer, a list of integers or null, got 512.0"},
                    {", \"eos_token_id\": true", "eos_token_id must be an integer, a list of integers or null"},
                    {", \"eos_token_id\": [1, \"x\"]", "eos_token_id must be an integer, a list of integers or null"},
                    {", \"eos_token_id\": [true]", "eos_token_id must be an integer, a list of integers or null"},
            };
            assertRefused(edit -> anyType(t, edit), bad, true);
            if (!t.equals("gpt2") && !t.equals("bert")) {   // (there the position count is read as a size, checked before)
                assertRefused(edit -> anyType(t, edit), new String[][] {
                        {", \"max_position_embeddings\": null", "max_position_embeddings is null"},
                        {", \"max_position_embeddings\": 512.0", "max_position_embeddings must be an integer, got 512.0"},
                        {", \"max_position_embeddings\": \"x\"", "max_position_embeddings must be an integer"},
                        {", \"max_position_embeddings\": true", "max_position_embeddings must be an integer"},
                        {", \"attention_dropout\": \"x\"", "attention_dropout must be"},
                        {", \"attention_dropout\": true", "attention_dropout must be"},
                }, true);
                // Taken by the class: any int position count, any float epsilon, any activation name, list eos ids, null bos.
                parse(anyType(t, ", \"max_position_embeddings\": 1, \"" + eps + "\": 512.0, \"" + act + "\": \"x\", \"use_cache\": false, "
                        + "\"bos_token_id\": null, \"eos_token_id\": [1, 2], \"attention_dropout\": 0.5"));
                // attention_dropout: int | float, None too for some classes, and DeepseekV2Config's a float only.
                boolean nullTaken = List.of("llama", "gemma2", "gemma3_text", "granitemoe", "granitemoeshared", "deepseek_v2", "deepseek_v3",
                        "gemma4_text").contains(t);
                String nullDropout = anyType(t, ", \"attention_dropout\": null");
                if (t.startsWith("granitemoe")) {
                    // (the class takes it, but its training forward fails: refused by its own rule)
                    assertThrows(IllegalArgumentException.class, () -> parse(nullDropout));
                } else if (nullTaken) {
                    parse(nullDropout);
                } else {
                    assertRefused(edit -> anyType(t, edit), new String[][] {{", \"attention_dropout\": null", "attention_dropout is null"}}, true);
                }
                if (t.equals("deepseek_v2")) {
                    assertRefused(edit -> anyType(t, edit), new String[][] {
                            {", \"attention_dropout\": 0", "attention_dropout must be a float (such as 1.0) or null, got 0"}}, true);
                } else {
                    parse(anyType(t, ", \"attention_dropout\": 0"));
                }
            } else {
                // gpt2 and bert have no attention_dropout field (attn_pdrop, attention_probs_dropout_prob): the key is taken unchecked.
                parse(anyType(t, ", \"" + eps + "\": 512.0, \"" + act + "\": \"x\", \"eos_token_id\": [], \"attention_dropout\": null"));
            }
        }
    }
}

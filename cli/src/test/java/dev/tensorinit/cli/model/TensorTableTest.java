package dev.tensorinit.cli.model;

import dev.tensorinit.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planned tensors of each committed config equal the committed table (name, shape, dtype, in
 * state_dict order), which was derived from the transformers modeling files, not from this code.
 */
class TensorTableTest {

    static byte[] resource(String name) throws IOException {
        try (InputStream in = TensorTableTest.class.getResourceAsStream("/model/" + name)) {
            assertNotNull(in, "test resource /model/" + name);
            return in.readAllBytes();
        }
    }

    /** The table's rows "name\tshape\tdtype", comments dropped. */
    static List<String> table(String name) throws IOException {
        return new String(resource(name), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-gqa", "llama-options", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3_text", "gpt2", "gpt2-untied", "bert",
            "phi3", "olmo2", "olmo3", "smollm3", "granite", "granitemoe", "granitemoeshared", "ministral3", "seed_oss", "nanochat", "mixtral", "qwen2_moe", "qwen3_moe", "qwen3_moe-1expert", "olmoe", "minimax_m2", "deepseek_v2", "deepseek_v3", "deepseek_v32", "glm4_moe_lite", "glm4_moe", "gpt_oss", "qwen3_next", "qwen3_5_text", "qwen3_5_moe_text", "llama4_text", "gemma4_text", "gpt_neox", "phi", "starcoder2"})
    void plannedTensorsEqualTheCommittedTable(String model) throws IOException {
        ModelConfig c = ConfigParser.parse(resource(model + ".json"), model + ".json");
        DType dtype = c.dtype().orElse(DType.F32);
        List<String> planned = TensorTable.of(c).stream()
                .map(t -> t.name() + "\t" + Arrays.stream(t.shape().dims()).mapToObj(Long::toString).collect(Collectors.joining(","))
                        + "\t" + ShardLayout.dtypeName(t.dtype(dtype)))
                .toList();
        assertEquals(table(model + ".tsv"), planned);
    }

    /**
     * Where the shards are cut at 40,000 bytes equals where transformers' own save_pretrained cut them (its index's
     * weight_map, committed; scripts/hf-check/hf_check.py tables --shards 40000). The MoE types are the hard part: their
     * tensors are walked in natural-sorted order, and each fused parameter's experts move as one storage.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama-gqa", "llama-options", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3_text", "gpt2", "gpt2-untied", "bert",
            "phi3", "olmo2", "olmo3", "smollm3", "granite", "granitemoe", "granitemoeshared", "ministral3", "seed_oss", "nanochat", "mixtral", "qwen2_moe", "qwen3_moe", "olmoe", "minimax_m2", "deepseek_v2", "deepseek_v3", "deepseek_v32", "glm4_moe_lite", "glm4_moe", "gpt_oss", "qwen3_next", "qwen3_5_text", "qwen3_5_moe_text", "llama4_text", "gemma4_text", "gpt_neox", "phi", "starcoder2"})
    void shardsAreCutWhereSavePretrainedCutsThem(String model) throws IOException {
        assertCutAsSavePretrained(model, 40_000);
    }

    /**
     * With one expert the gate half of gate_up_proj [1, 2I, H] is already contiguous: transformers keeps it a view, so
     * the gate and up weights share one storage and one shard (with two or more experts they are separate copies). QA
     * found 25 files where save_pretrained wrote 22 at 1000 bytes.
     */
    @Test void oneExpertsGateAndUpShareAShard() throws IOException {
        assertCutAsSavePretrained("qwen3_moe-1expert", 1000);
    }

    private static void assertCutAsSavePretrained(String model, long bytes) throws IOException {
        ModelConfig c = ConfigParser.parse(resource(model + ".json"), model + ".json");
        DType dtype = c.dtype().orElse(DType.F32);
        List<PlannedTensor> tensors = TensorTable.of(c).stream().map(t -> new PlannedTensor(t, Scheme.HF.initFor(t), dtype, 0)).toList();
        Map<String, String> planned = new TreeMap<>();
        for (Shard s : ShardPlanner.plan(tensors, bytes)) for (PlannedTensor t : s.tensors()) planned.put(t.name(), s.fileName());
        @SuppressWarnings("unchecked")
        Map<String, Object> hf = (Map<String, Object>) Json.parse(resource(model + ".shards-" + bytes + ".json"));
        assertEquals(new TreeMap<>(hf), planned);
    }

    /** transformers' dot_natural_key: numbers numerically and before text, trailing digits numerically after the bare text. */
    @Test void saveOrderSortsAsDotNaturalKey() {
        List<String> names = new java.util.ArrayList<>(List.of("model.layers.10.a", "model.layers.9.b", "model.layers.1.a", "lm_head.weight",
                "model.embed_tokens.weight", "model.layers.1.mlp.shared_expert_gate.weight", "model.layers.1.mlp.shared_expert.up_proj.weight",
                "x.shard_11", "x.shard_2", "x.shard", "x.7", "model.norm.weight"));
        names.sort(SaveOrder.NAMES);
        assertEquals(List.of("lm_head.weight", "model.embed_tokens.weight", "model.layers.1.a", "model.layers.1.mlp.shared_expert.up_proj.weight",
                "model.layers.1.mlp.shared_expert_gate.weight", "model.layers.9.b", "model.layers.10.a", "model.norm.weight",
                "x.7", "x.shard", "x.shard_2", "x.shard_11"), names);
    }

    private static ModelConfig bert(long layers) {
        return ConfigParser.parse(("{\"model_type\": \"bert\", \"vocab_size\": 10, \"hidden_size\": 8, \"num_hidden_layers\": " + layers
                + ", \"num_attention_heads\": 2, \"intermediate_size\": 8, \"max_position_embeddings\": 8}").getBytes(StandardCharsets.UTF_8),
                "config.json");
    }

    /**
     * A layer count that would pass MAX_TENSORS is refused before any layer list is built (2147483647 layers used to
     * fill the heap for 14 s); the message names the field. BERT: 5 tensors before the layers, 16 per layer.
     */
    @Test void tooManyLayersAreRefusedBeforeBuildingThem() {
        int most = (TensorTable.MAX_TENSORS - 5) / 16;
        assertEquals(5 + 16L * most + 2, TensorTable.of(bert(most)).size(), "the largest count still plans");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorTable.of(bert(most + 1)));
        assertEquals("num_hidden_layers (" + (most + 1) + ") is too large: at 16 tensors per layer that is more than the 100000 tensors "
                + "tensorinit plans (real checkpoints have up to a few tens of thousands)", e.getMessage());
        ModelConfig gpt2 = ConfigParser.parse(("{\"model_type\": \"gpt2\", \"vocab_size\": 10, \"n_embd\": 8, \"n_layer\": "
                + Long.MAX_VALUE + ", \"n_head\": 2, \"n_positions\": 8}").getBytes(StandardCharsets.UTF_8), "config.json");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TensorTable.of(gpt2)).getMessage()
                .startsWith("n_layer (" + Long.MAX_VALUE + ") is too large"));
    }
}

package dev.tensorinit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tensorinit.Settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tensorinit model end to end in this JVM: files read back with the test's own safetensors parser. */
class ModelCommandTest {
    @TempDir Path dir;

    static Path resource(Path dir, String name) throws IOException {
        try (InputStream in = ModelCommandTest.class.getResourceAsStream("/model/" + name)) {
            Path p = dir.resolve(name);
            Files.write(p, in.readAllBytes());
            return p;
        }
    }

    static Cli.Result ok(String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.code(), () -> "exit code; stderr: " + r.err() + "\nstdout: " + r.out());
        return r;
    }

    /** Every tensor of a checkpoint folder: name -> (dtype, shape, data), from the files the index (or the single file) names. */
    static Map<String, TensorFiles.Parsed> readCheckpoint(Path out) throws IOException {
        Map<String, TensorFiles.Parsed> all = new TreeMap<>();
        for (Path f : shardFiles(out)) {
            for (String name : headerNames(f)) all.put(name, tensor(f, name));
        }
        return all;
    }

    /** One tensor of a multi-tensor safetensors file (TensorFiles.safetensors expects a file of one tensor). */
    static TensorFiles.Parsed tensor(Path f, String name) throws IOException {
        byte[] b = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, (8 + n) % 8, "data 8-byte aligned");
        JsonNode root = new ObjectMapper().readTree(new String(b, 8, (int) n, StandardCharsets.UTF_8));
        JsonNode t = root.get(name);
        long[] shape = new long[t.get("shape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = t.get("shape").get(i).asLong();
        int off = (int) (8 + n);
        int begin = off + t.get("data_offsets").get(0).asInt(), end = off + t.get("data_offsets").get(1).asInt();
        assertTrue(end <= b.length, name + " inside the file");
        return new TensorFiles.Parsed(t.get("dtype").asText(), shape, Arrays.copyOfRange(b, begin, end), root.get("__metadata__"), off);
    }

    static List<Path> shardFiles(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
        }
    }

    static JsonNode header(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        return new ObjectMapper().readTree(new String(b, 8, (int) n, StandardCharsets.UTF_8));
    }

    static List<String> headerNames(Path f) throws IOException {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = header(f).fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("__metadata__")) names.add(k);
        }
        return names;
    }

    static float[] f32(byte[] data) {
        float[] v = new float[data.length / 4];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-gqa", "llama-options", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3_text", "gpt2", "gpt2-untied", "bert",
            "phi3", "olmo2", "olmo3", "smollm3", "granite", "granitemoe", "granitemoeshared", "ministral3", "seed_oss", "nanochat", "mixtral", "qwen2_moe", "qwen3_moe", "olmoe", "minimax_m2", "deepseek_v2", "deepseek_v3", "deepseek_v32", "glm4_moe_lite", "glm4_moe", "gpt_oss", "qwen3_next", "qwen3_5_text", "qwen3_5_moe_text", "llama4_text", "gemma4_text", "gpt_neox", "phi", "starcoder2"})
    void writtenCheckpointHoldsExactlyTheCommittedTable(String model) throws IOException {
        Path out = dir.resolve("out");
        ok("model", "--config", resource(dir, model + ".json").toString(), "--out", out.toString(), "--max-shard-size", "50kB");
        Map<String, TensorFiles.Parsed> ckpt = readCheckpoint(out);
        List<String> table = new String(Files.readAllBytes(resource(dir, model + ".tsv")), StandardCharsets.UTF_8).lines()
                .filter(l -> !l.startsWith("#")).toList();
        assertEquals(table.size(), ckpt.size(), "tensor count");
        for (String row : table) {
            String[] f = row.split("\t");
            TensorFiles.Parsed p = ckpt.get(f[0]);
            assertTrue(p != null, "missing " + f[0]);
            assertArrayEquals(Arrays.stream(f[1].split(",")).mapToLong(Long::parseLong).toArray(), p.shape(), f[0]);
            assertEquals(f[2], p.dtype(), f[0]);
            assertEquals("pt", p.metadata().get("format").asText());
        }
        // Copied as it is, but for architectures, which save_pretrained sets to the class it saved (the table's first line names it).
        String hfClass = new String(Files.readAllBytes(resource(dir, model + ".tsv")), StandardCharsets.UTF_8).lines().findFirst().orElseThrow()
                .replaceFirst("^# Expected saved state_dict of (\\w+) for .*$", "$1");
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode want = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(dir.resolve(model + ".json").toFile());
        want.set("architectures", json.createArrayNode().add(hfClass));
        assertEquals(want, json.readTree(out.resolve("config.json").toFile()), "config.json copied, architectures = [" + hfClass + "]");
        if (Files.readString(dir.resolve(model + ".json")).contains("\"architectures\": [\"" + hfClass + "\"]")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve(model + ".json")), Files.readAllBytes(out.resolve("config.json")), "byte for byte");
        }
    }

    @Test void indexMapsEveryTensorToTheFileThatHoldsIt() throws IOException {
        Path out = dir.resolve("out");
        ok("model", "--config", resource(dir, "llama-gqa.json").toString(), "--out", out.toString(), "--max-shard-size", "60kB");
        JsonNode index = new ObjectMapper().readTree(out.resolve("model.safetensors.index.json").toFile());
        List<Path> files = shardFiles(out);
        assertTrue(files.size() > 3, "several shards: " + files);
        long total = 0, params = 0;
        int tensors = 0;
        for (Path f : files) {
            assertTrue(f.getFileName().toString().matches("model-\\d{5}-of-" + String.format("%05d", files.size()) + "\\.safetensors"), f.toString());
            long data = 0;
            for (String name : headerNames(f)) {
                assertEquals(f.getFileName().toString(), index.get("weight_map").get(name).asText(), name);
                TensorFiles.Parsed p = tensor(f, name);
                data += p.data().length;
                params += p.data().length / 2; // bf16
                tensors++;
            }
            // Every shard is within the limit unless it holds one tensor over it (none here: the largest is 128000 bytes).
            assertTrue(data <= 60_000 || headerNames(f).size() == 1, f + " holds " + data + " bytes");
            total += data;
        }
        assertEquals(tensors, index.get("weight_map").size());
        assertEquals(total, index.get("metadata").get("total_size").asLong());
        assertEquals(params, index.get("metadata").get("total_parameters").asLong());
    }

    @Test void singleShardHasNoIndex() throws IOException {
        Path out = dir.resolve("out");
        ok("model", "--config", resource(dir, "gpt2.json").toString(), "--out", out.toString());
        assertEquals(List.of(out.resolve("model.safetensors")), shardFiles(out));
        assertFalse(Files.exists(out.resolve("model.safetensors.index.json")));
    }

    @Test void eachTensorEqualsFillWithItsName() throws IOException {
        Path out = dir.resolve("out");
        ok("model", "--config", resource(dir, "gpt2-untied.json").toString(), "--out", out.toString(), "--seed", "42",
                "--dtype", "bf16", "--scheme", "xavier_uniform");
        Map<String, TensorFiles.Parsed> ckpt = readCheckpoint(out);
        String[][] cases = { // name, shape, fill flags
                {"transformer.h.1.attn.c_attn.weight", "32x96", "--init", "xavier_uniform", "--layout", "jax"},
                {"lm_head.weight", "500x32", "--init", "xavier_uniform"},
                {"transformer.wte.weight", "500x32", "--init", "normal", "--std", "0.02"},
                {"transformer.h.0.ln_1.weight", "32", "--init", "ones"},
                {"transformer.h.2.mlp.c_proj.bias", "32", "--init", "zeros"},
        };
        for (String[] c : cases) assertEquals(c[0], c[0], fillMatches(ckpt.get(c[0]), c, "42", "bf16"));
    }

    @Test void hfSchemeEqualsFillNormalWithTheClassStd() throws IOException {
        Path out = dir.resolve("out");
        ok("model", "--config", resource(dir, "gpt2.json").toString(), "--out", out.toString(), "--seed", "9", "--dtype", "f16");
        Map<String, TensorFiles.Parsed> ckpt = readCheckpoint(out);
        String residual = Double.toString(0.02 / Math.sqrt(2 * 2)); // GPT-2's c_proj: initializer_range / sqrt(2 * n_layer)
        fillMatches(ckpt.get("transformer.h.0.attn.c_proj.weight"), new String[] {"transformer.h.0.attn.c_proj.weight", "64x64",
                "--init", "normal", "--std", residual}, "9", "f16");
        fillMatches(ckpt.get("transformer.h.1.mlp.c_fc.weight"), new String[] {"transformer.h.1.mlp.c_fc.weight", "64x256",
                "--init", "normal", "--std", "0.02"}, "9", "f16");
    }

    /**
     * Gemma's RMSNorms scale by (1 + weight): every norm, the q/k norms of Gemma 3 among them, is zeros under every scheme
     * (ones would double each activation), the embedding's pad row 0 (GemmaConfig's default) is zeroed, and the
     * weights are the same fills as elsewhere.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hf", "xavier_uniform"})
    void gemmaNormsAreZerosUnderEveryScheme(String scheme) throws IOException {
        Path out = dir.resolve("out");
        ok("model", "--config", resource(dir, "gemma3_text.json").toString(), "--out", out.toString(), "--seed", "3", "--scheme", scheme,
                "--dtype", "f32");
        Map<String, TensorFiles.Parsed> ckpt = readCheckpoint(out);
        int norms = 0;
        for (Map.Entry<String, TensorFiles.Parsed> e : ckpt.entrySet()) {
            if (e.getKey().endsWith("norm.weight")) {
                assertArrayEquals(new byte[e.getValue().data().length], e.getValue().data(), e.getKey() + " is +0.0 everywhere");
                norms++;
            }
        }
        assertEquals(2 * 6 + 1, norms, "q, k, input, post-attention, pre- and post-feedforward norms per layer, and the final one");
        byte[] embed = ckpt.get("model.embed_tokens.weight").data();
        assertArrayEquals(new byte[64 * 4], Arrays.copyOfRange(embed, 0, 64 * 4), "pad row 0 is zeroed");
        assertFalse(ckpt.containsKey("lm_head.weight"), "Gemma ties by default");
        String[] q = scheme.equals("hf") ? new String[] {"model.layers.1.self_attn.q_proj.weight", "64x64", "--init", "normal", "--std", "0.02"}
                : new String[] {"model.layers.1.self_attn.q_proj.weight", "64x64", "--init", "xavier_uniform"};
        fillMatches(ckpt.get(q[0]), q, "3", "f32");
        fillMatches(ckpt.get("model.layers.0.self_attn.o_proj.bias"), new String[] {"model.layers.0.self_attn.o_proj.bias", "64", "--init", "zeros"},
                "3", "f32");
    }

    /**
     * An MoE expert is written as the Linear save_pretrained saves it as: its own name's stream, its own fans. Mixtral's
     * w2 (down) is [hidden, intermediate], so xavier_uniform's bound uses fan_in 96 and fan_out 64; the router is a plain
     * Linear [experts, hidden]. All experts of a fused half share one file, even cut at 20kB (each half is 96 KiB in f32).
     */
    @ParameterizedTest
    @ValueSource(strings = {"hf", "xavier_uniform"})
    void moeExpertsEqualTheirFillAndStayTogether(String scheme) throws IOException {
        Path out = dir.resolve("out");
        ok("model", "--config", resource(dir, "mixtral.json").toString(), "--out", out.toString(), "--seed", "9", "--dtype", "f32",
                "--scheme", scheme, "--max-shard-size", "20kB");
        Map<String, TensorFiles.Parsed> ckpt = readCheckpoint(out);
        String w2 = "model.layers.1.block_sparse_moe.experts.3.w2.weight";
        String[] init = scheme.equals("hf") ? new String[] {"--init", "normal", "--std", "0.02"} : new String[] {"--init", "xavier_uniform"};
        List<String> c = new ArrayList<>(List.of(w2, "64x96"));
        c.addAll(List.of(init));
        fillMatches(ckpt.get(w2), c.toArray(String[]::new), "9", "f32");
        String router = "model.layers.0.block_sparse_moe.gate.weight";
        c = new ArrayList<>(List.of(router, "4x64"));
        c.addAll(List.of(init));
        fillMatches(ckpt.get(router), c.toArray(String[]::new), "9", "f32");
        JsonNode map = new ObjectMapper().readTree(out.resolve("model.safetensors.index.json").toFile()).get("weight_map");
        for (String half : new String[] {"w1", "w2", "w3"}) {
            java.util.Set<String> files = new java.util.HashSet<>();
            for (int e = 0; e < 4; e++) files.add(map.get("model.layers.0.block_sparse_moe.experts." + e + "." + half + ".weight").asText());
            assertEquals(1, files.size(), half + " experts in one file: " + files);
        }
    }

    /**
     * The index's total_parameters is save_pretrained's num_parameters(): DeepSeek's saved router buffers
     * (e_score_correction_bias) are not parameters. 289400 is what transformers 5.18 wrote for this config
     * (from_config in bf16, save_pretrained(max_shard_size=40000)); the buffers are still in the weight_map, zeros.
     */
    @Test void totalParametersLeavesOutSavedBuffers() throws IOException {
        Path out = dir.resolve("out");
        ok("model", "--config", resource(dir, "deepseek_v3.json").toString(), "--out", out.toString(), "--max-shard-size", "40000");
        JsonNode index = new ObjectMapper().readTree(out.resolve("model.safetensors.index.json").toFile());
        assertEquals(289400, index.get("metadata").get("total_parameters").asLong());
        assertEquals(578816, index.get("metadata").get("total_size").asLong());
        Map<String, TensorFiles.Parsed> ckpt = readCheckpoint(out);
        TensorFiles.Parsed bias = ckpt.get("model.layers.1.mlp.gate.e_score_correction_bias");
        assertArrayEquals(new byte[4 * 2], bias.data(), "4 bf16 zeros");
    }

    /**
     * GLM-4-MoE's router buffer is made float32 by the class, so save_pretrained writes it F32 in a bf16 checkpoint: 289792
     * parameters and 579624 bytes are what transformers 5.18 wrote for this config (from_config, then
     * save_pretrained(max_shard_size=40000)); with the buffer in bf16 the size would be 20 bytes less.
     */
    @Test void glmRouterBufferStaysF32() throws IOException {
        Path out = dir.resolve("out");
        ok("model", "--config", resource(dir, "glm4_moe.json").toString(), "--out", out.toString(), "--max-shard-size", "40000");
        JsonNode index = new ObjectMapper().readTree(out.resolve("model.safetensors.index.json").toFile());
        assertEquals(289792, index.get("metadata").get("total_parameters").asLong());
        assertEquals(579624, index.get("metadata").get("total_size").asLong());
        TensorFiles.Parsed bias = readCheckpoint(out).get("model.layers.2.mlp.gate.e_score_correction_bias");
        assertEquals("F32", bias.dtype());
        assertArrayEquals(new byte[5 * 4], bias.data(), "5 f32 zeros");
        // In each file as safetensors' prepare() orders them: by dtype from the widest down, then by name. By name alone
        // the F32 buffer sat between BF16 tensors (another layout than save_pretrained's; misaligned with odd sizes).
        boolean sawF32 = false;
        for (Path f : shardFiles(out)) {
            JsonNode h = header(f);
            long dataStart = 8 + ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            String last = null;
            boolean bf16Seen = false;
            for (String name : headerNames(f)) {
                String dt = h.get(name).get("dtype").asText();
                if (dt.equals("F32")) {
                    sawF32 = true;
                    assertFalse(bf16Seen, f.getFileName() + ": " + name + " (F32) after a BF16 tensor");
                    assertEquals(0, (dataStart + h.get(name).get("data_offsets").get(0).asLong()) % 4, name + " aligned for f32");
                } else if (!bf16Seen) {
                    bf16Seen = true;
                    last = null;   // names sort anew within the next dtype
                }
                assertTrue(last == null || last.compareTo(name) < 0, f.getFileName() + ": " + last + " before " + name);
                last = name;
            }
        }
        assertTrue(sawF32);
    }

    /**
     * DeepSeek-V3.2's and GLM-4-MoE-Lite's router buffers are made float32 by their classes too, and not counted as
     * parameters: the totals are what transformers 5.18 wrote for these configs (from_config in bf16, then
     * save_pretrained(max_shard_size=40000)). V3.2's indexer k_norm is an nn.LayerNorm: ones and a zero bias.
     */
    @ParameterizedTest
    @CsvSource({"deepseek_v32, 293464, 586968, model.layers.2.mlp.gate.e_score_correction_bias",
            "glm4_moe_lite, 354816, 709672, model.layers.3.mlp.gate.e_score_correction_bias"})
    void latentMoeRouterBufferStaysF32(String model, long parameters, long bytes, String buffer) throws IOException {
        Path out = dir.resolve("out");
        ok("model", "--config", resource(dir, model + ".json").toString(), "--out", out.toString(), "--max-shard-size", "40000");
        JsonNode index = new ObjectMapper().readTree(out.resolve("model.safetensors.index.json").toFile());
        assertEquals(parameters, index.get("metadata").get("total_parameters").asLong());
        assertEquals(bytes, index.get("metadata").get("total_size").asLong());
        Map<String, TensorFiles.Parsed> ckpt = readCheckpoint(out);
        TensorFiles.Parsed bias = ckpt.get(buffer);
        assertEquals("F32", bias.dtype());
        assertArrayEquals(new byte[5 * 4], bias.data(), "5 f32 zeros");
        if (model.equals("deepseek_v32")) {
            assertArrayEquals(new byte[16 * 2], ckpt.get("model.layers.0.self_attn.indexer.k_norm.bias").data(), "16 bf16 zeros");
            byte[] one = ckpt.get("model.layers.0.self_attn.indexer.k_norm.weight").data();
            for (int i = 0; i < one.length; i += 2) assertEquals(0x3f80, (one[i] & 0xff) | (one[i + 1] & 0xff) << 8, "bf16 ones");
        }
    }

    /**
     * GPT-OSS's experts are saved fused, [E, in, out], each used as x @ W[e]. Under xavier_uniform every expert gets its own
     * fans (gate_up_proj: fan_in = hidden 64, fan_out = 2 * intermediate 96; down_proj: 48 and 64): the tensor equals fill
     * with uniform(-b, b), b = sqrt(6 / (in + out)), and its expert 0 equals a 2-D [in, out] xavier_uniform fill in the jax
     * layout (the values depend on the index only). The router bias is a bias (zeros) and the sinks keep
     * normal(0, initializer_range); under hf all four are normal(0, 0.02), as GptOssPreTrainedModel._init_weights draws
     * them. The expert biases are zeros under both, and the index counts 269493 parameters, as save_pretrained did.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hf", "xavier_uniform"})
    void gptOssFusedExpertsGetOneExpertsFans(String scheme) throws IOException {
        Path out = dir.resolve("out");
        ok("model", "--config", resource(dir, "gpt_oss.json").toString(), "--out", out.toString(), "--seed", "4", "--dtype", "f32",
                "--scheme", scheme, "--max-shard-size", "100kB");
        Map<String, TensorFiles.Parsed> ckpt = readCheckpoint(out);
        String dry = ok("model", "--config", dir.resolve("gpt_oss.json").toString(), "--out", dir.resolve("dry").toString(), "--dry-run",
                "--scheme", scheme).out();
        String pre = "model.layers.1.";
        String[][] fused = {{pre + "mlp.experts.gate_up_proj", "3x64x96", "64", "96"}, {pre + "mlp.experts.down_proj", "3x48x64", "48", "64"}};
        for (String[] e : fused) {
            long in = Long.parseLong(e[2]), outs = Long.parseLong(e[3]);
            if (scheme.equals("hf")) {
                fillMatches(ckpt.get(e[0]), new String[] {e[0], e[1], "--init", "normal", "--std", "0.02"}, "4", "f32");
                continue;
            }
            double b = Math.sqrt(3.0) * Math.sqrt(2.0 / (in + outs));
            // The dry run names the fans and the distribution in full: fill's flags, as used just below.
            assertTrue(dry.contains("xavier_uniform per expert (fan_in " + in + ", fan_out " + outs + "): uniform{low=" + -b + ", high=" + b + "}"),
                    dry);
            fillMatches(ckpt.get(e[0]), new String[] {e[0], e[1], "--init", "uniform", "--low", Double.toString(-b), "--high",
                    Double.toString(b)}, "4", "f32");
            Path f = dir.resolve("expert0.safetensors");
            ok("fill", "--name", e[0], "--shape", in + "x" + outs, "--init", "xavier_uniform", "--layout", "jax", "--seed", "4",
                    "--out", f.toString(), "--force");
            byte[] one = TensorFiles.safetensors(f, e[0]).data();
            assertArrayEquals(one, Arrays.copyOf(ckpt.get(e[0]).data(), one.length), e[0] + ": expert 0 is a [in, out] xavier_uniform");
        }
        String[] normal = {"--init", "normal", "--std", "0.02"};
        fillMatches(ckpt.get(pre + "self_attn.sinks"), new String[] {pre + "self_attn.sinks", "4", normal[0], normal[1], normal[2], normal[3]},
                "4", "f32");
        String[] router = scheme.equals("hf") ? normal : new String[] {"--init", "zeros"};
        List<String> c = new ArrayList<>(List.of(pre + "mlp.router.bias", "3"));
        c.addAll(List.of(router));
        fillMatches(ckpt.get(pre + "mlp.router.bias"), c.toArray(String[]::new), "4", "f32");
        for (String bias : new String[] {"mlp.experts.gate_up_proj_bias", "mlp.experts.down_proj_bias"}) {
            assertArrayEquals(new byte[ckpt.get(pre + bias).data().length], ckpt.get(pre + bias).data(), bias + " is zeros");
        }
        JsonNode index = new ObjectMapper().readTree(out.resolve("model.safetensors.index.json").toFile());
        assertEquals(269493, index.get("metadata").get("total_parameters").asLong());
    }

    /** Runs fill with the tensor's name and the given flags; the checkpoint's bytes must be the fill's. */
    private String fillMatches(TensorFiles.Parsed actual, String[] c, String seed, String dtype) throws IOException {
        Path f = dir.resolve("fill-" + c[0] + ".safetensors");
        List<String> args = new ArrayList<>(List.of("fill", "--name", c[0], "--shape", c[1], "--seed", seed, "--dtype", dtype,
                "--out", f.toString()));
        args.addAll(Arrays.asList(c).subList(2, c.length));
        ok(args.toArray(String[]::new));
        assertArrayEquals(TensorFiles.safetensors(f, c[0]).data(), actual.data(), c[0] + " equals fill --name");
        return c[0];
    }

    @Test void padRowIsTheOnlyDifferenceFromFill() throws IOException {
        Path out = dir.resolve("out");
        ok("model", "--config", resource(dir, "llama-options.json").toString(), "--out", out.toString(), "--seed", "5");
        byte[] embed = readCheckpoint(out).get("model.embed_tokens.weight").data();
        Path f = dir.resolve("embed.safetensors");
        ok("fill", "--name", "model.embed_tokens.weight", "--shape", "512x48", "--init", "normal", "--std", "0.05", "--seed", "5",
                "--out", f.toString());
        byte[] fill = TensorFiles.safetensors(f, "model.embed_tokens.weight").data();
        int row = 3, rowBytes = 48 * 4;
        assertArrayEquals(Arrays.copyOfRange(fill, 0, row * rowBytes), Arrays.copyOfRange(embed, 0, row * rowBytes), "rows before the pad row");
        assertArrayEquals(Arrays.copyOfRange(fill, (row + 1) * rowBytes, fill.length),
                Arrays.copyOfRange(embed, (row + 1) * rowBytes, embed.length), "rows after the pad row");
        assertArrayEquals(new byte[rowBytes], Arrays.copyOfRange(embed, row * rowBytes, (row + 1) * rowBytes), "pad row 3 is +0.0");
        assertFalse(Arrays.equals(new byte[rowBytes], Arrays.copyOfRange(fill, row * rowBytes, (row + 1) * rowBytes)),
                "the fill itself has values there");
        // Tied: no lm_head.weight; the embedding is the only vocabulary matrix.
        assertFalse(readCheckpoint(out).containsKey("lm_head.weight"));
    }

    @Test void shardsOfNMachinesTogetherEqualOneRun() throws IOException {
        Path config = resource(dir, "qwen2.json");
        Path whole = dir.resolve("whole");
        ok("model", "--config", config.toString(), "--out", whole.toString(), "--max-shard-size", "40kB", "--seed", "3");
        assertTrue(shardFiles(whole).size() >= 5, "enough shards to split: " + shardFiles(whole).size());
        Path shared = dir.resolve("shared");
        for (int i = 1; i <= 3; i++) {
            Path own = dir.resolve("machine" + i);
            for (Path target : List.of(shared, own)) {
                ok("model", "--config", config.toString(), "--out", target.toString(), "--max-shard-size", "40kB", "--seed", "3",
                        "--shard", i + "/3");
            }
            // Machine i wrote shards i, i+3, ...: none of another machine's.
            for (Path s : shardFiles(own)) {
                int k = Integer.parseInt(s.getFileName().toString().substring(6, 11));
                assertEquals(i - 1, (k - 1) % 3, s.toString());
            }
        }
        assertEquals(listing(whole), listing(shared));
        for (String name : listing(whole)) {
            assertArrayEquals(Files.readAllBytes(whole.resolve(name)), Files.readAllBytes(shared.resolve(name)), name);
            boolean found = false;
            for (int i = 1; i <= 3; i++) {
                Path p = dir.resolve("machine" + i).resolve(name);
                if (Files.exists(p)) {
                    assertArrayEquals(Files.readAllBytes(whole.resolve(name)), Files.readAllBytes(p), p.toString());
                    found = true;
                }
            }
            assertTrue(found, name + " written by some machine");
        }
    }

    /**
     * --shard machines given different flags: each had checked only its own files, so both exited 0 and the folder held
     * shards of two seeds. A machine now compares the other machines' shards already there with what it would write
     * for them and refuses, naming the file and the setting, before it writes anything; identical flags still pass.
     */
    @Test void shardMachinesGivenOtherFlagsAreRefusedBeforeWriting() throws IOException {
        Path config = resource(dir, "qwen2.json");
        Path shared = dir.resolve("shared");
        String[] base = {"model", "--config", config.toString(), "--out", shared.toString(), "--max-shard-size", "40kB", "--backend", "cpu"};
        ok(cat(base, "--seed", "5", "--shard", "1/3"));
        List<String> afterFirst = listing(shared);
        Path first = shared.resolve(afterFirst.stream().filter(n -> n.startsWith("model-00001-")).findFirst().orElseThrow());
        Object[][] cases = {
                {new String[] {"--seed", "6"}, "was written with --seed 5 (its tensorinit_seed), this run's is 6"},
                {new String[] {"--seed", "5", "--scheme", "xavier_uniform"}, "was written with --scheme hf (its tensorinit_scheme), this run's is xavier_uniform"},
                {new String[] {"--seed", "5", "--dtype", "f16"}, "holds BF16 tensors (--dtype bf16), this run writes F16 (--dtype f16)"},
        };
        for (Object[] c : cases) {
            String[] run = cat(cat(base, (String[]) c[0]), "--shard", "2/3");
            Cli.Result r = Cli.run(run);
            assertEquals(1, r.code(), r.err());
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().contains(first + ": is machine 1/3's shard and " + c[1]), r.err());
            assertEquals(afterFirst, listing(shared), "nothing written");
            Cli.Result dry = ok(cat(run, "--dry-run"));
            assertTrue(dry.out().contains("note      " + first + " is machine 1/3's shard and " + c[1]), dry.out());
            ok(cat(run, "--dry-run", "--force")); // --force skips the check (and rewrites its own files only)
        }
        // The same flags everywhere: the union is the single run, byte for byte.
        for (String m : List.of("2/3", "3/3")) ok(cat(base, "--seed", "5", "--shard", m));
        Path whole = dir.resolve("whole");
        ok("model", "--config", config.toString(), "--out", whole.toString(), "--max-shard-size", "40kB", "--seed", "5");
        assertEquals(listing(whole), listing(shared));
        for (String n : listing(whole)) assertArrayEquals(Files.readAllBytes(whole.resolve(n)), Files.readAllBytes(shared.resolve(n)), n);
    }

    /**
     * A --shard machine given another --dtype of another element size (f32 beside bf16) plans other shard sizes, so
     * other file names: none of the other machine's shards was found, and the refusal came from the index, "differs
     * from what this run writes; add --force to rewrite it", naming no flag (and --force removes the other machine's
     * shards). The refusal now names the dtype, before anything is written; another --max-shard-size alone still runs.
     */
    @Test void shardMachineWithAnotherDtypeSizeIsRefusedNamingTheDtype() throws IOException {
        Path config = resource(dir, "qwen2.json");
        Path shared = dir.resolve("shared");
        String[] base = {"model", "--config", config.toString(), "--out", shared.toString(), "--max-shard-size", "40kB", "--backend", "cpu"};
        ok(cat(base, "--shard", "1/3"));
        List<String> afterFirst = listing(shared);
        Path first = shared.resolve(afterFirst.stream().filter(n -> n.startsWith("model-00001-")).findFirst().orElseThrow());
        Cli.Result r = Cli.run(cat(base, "--dtype", "f32", "--shard", "2/3"));
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains(first + ": is a shard of another layout"), r.err());
        assertTrue(r.err().contains("holds BF16 tensors (--dtype bf16), this run writes F32 (--dtype f32)"), r.err());
        assertEquals(afterFirst, listing(shared), "nothing written");
    }

    /**
     * Two machines with different seeds started at once see none of each other's files up front; each checks the
     * other's again once its own are written, so the later to finish always reports the mix (exit 1).
     */
    @Test void shardMachinesWithOtherFlagsRunningAtOnceDoNotBothSucceed() throws Exception {
        Path config = resource(dir, "qwen2.json");
        for (int round = 0; round < 3; round++) {
            Path shared = dir.resolve("shared" + round);
            String[] base = {"model", "--config", config.toString(), "--out", shared.toString(), "--max-shard-size", "40kB",
                    "--backend", "cpu", "--threads", "1"};
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var a = pool.submit(() -> Cli.run(cat(base, "--seed", "5", "--shard", "1/2")));
                var b = pool.submit(() -> Cli.run(cat(base, "--seed", "6", "--shard", "2/2")));
                Cli.Result ra = a.get(), rb = b.get();
                assertFalse(ra.code() == 0 && rb.code() == 0, "both exited 0:\n" + ra.out() + rb.out());
                for (Cli.Result r : List.of(ra, rb)) {
                    if (r.code() != 0) assertTrue(r.err().contains("every machine of a --shard run needs the same flags"), r.err());
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    /**
     * Two runs into one folder at once with other layouts (one model.safetensors against shards and an index): each
     * checked the folder before writing, and both exited 0 over a folder that held both layouts, where transformers
     * loads the single file whatever the other run's user expects. Now the run that finds the other's files at its end
     * withdraws its own and fails: never both exit 0, and the folder never holds both layouts.
     */
    @Test void runsOfTwoLayoutsAtOnceLeaveOneLayout() throws Exception {
        Path config = resource(dir, "llama-gqa.json");
        for (int round = 0; round < 3; round++) {
            Path shared = dir.resolve("layouts" + round);
            String[] base = {"model", "--config", config.toString(), "--out", shared.toString(), "--backend", "cpu", "--threads", "1"};
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var a = pool.submit(() -> Cli.run(cat(base, "--seed", "5", "--max-shard-size", "30kB")));
                var b = pool.submit(() -> Cli.run(cat(base, "--seed", "6")));
                Cli.Result ra = a.get(), rb = b.get();
                assertFalse(ra.code() == 0 && rb.code() == 0, "both exited 0:\n" + ra.out() + rb.out());
                boolean single = Files.exists(shared.resolve("model.safetensors"));
                boolean index = Files.exists(shared.resolve("model.safetensors.index.json"));
                assertFalse(single && index, "both layouts in the folder: " + listing(shared) + "\n" + ra.err() + rb.err());
                if (ra.code() == 0) assertTrue(index && shardFiles(shared).size() > 1, listing(shared).toString());
                if (rb.code() == 0) assertTrue(single && shardFiles(shared).size() == 1, listing(shared).toString());
            } finally {
                pool.shutdown();
            }
        }
    }

    /**
     * --force with another seed rewrites the shards one by one, and the index names the same files whatever the seed:
     * kept until the end, a run stopped midway (here by an interrupt after its first shard, as by a full disk) left a
     * folder that loaded silently with shards of both seeds. Now the index goes first: the folder is either the new
     * run's whole checkpoint or has no index, and a rerun with --force completes it.
     */
    @Test void aForcedRunStoppedMidwayLeavesNoLoadableMix() throws Exception {
        Path config = resource(dir, "llama-gqa.json");
        Path out = dir.resolve("out");
        String[] base = {"model", "--config", config.toString(), "--out", out.toString(), "--max-shard-size", "6kB", "--backend", "cpu",
                "--threads", "1"};
        Path index = out.resolve("model.safetensors.index.json");
        Path ref = dir.resolve("ref");   // what the seed-1 run writes when it completes
        ok("model", "--config", config.toString(), "--out", ref.toString(), "--max-shard-size", "6kB", "--seed", "1");
        int stopped = 0;
        for (int attempt = 0; attempt < 10 && stopped < 2; attempt++) {
            ok(cat(base, "--seed", "0", "--force"));
            List<Path> shards = shardFiles(out);
            assertTrue(shards.size() > 6, "many shards: " + shards);
            FileTime old = FileTime.fromMillis(1_000_000L);
            for (Path f : shards) Files.setLastModifiedTime(f, old);
            var runner = new java.util.concurrent.atomic.AtomicReference<Thread>();
            var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                var r = pool.submit(() -> {
                    runner.set(Thread.currentThread());
                    return Cli.run(cat(base, "--seed", "1", "--force"));
                });
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!r.isDone() && System.nanoTime() < deadline) {
                    // The first shard is this run's (the old file replaced): stop the run there.
                    if (!Files.getLastModifiedTime(shards.get(0)).equals(old)) {
                        runner.get().interrupt();
                        break;
                    }
                    Thread.onSpinWait();
                }
                Cli.Result result = r.get();
                if (result.code() == 0) continue;   // it finished before the interrupt landed: try again
                stopped++;
                if (Files.exists(index)) {   // stopped after its index (writing config.json): then every shard is its own
                    for (Path f : shardFiles(ref)) {
                        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(out.resolve(f.getFileName())),
                                "a stopped --force run left an index beside shards of two seeds: " + result.err());
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertTrue(stopped > 0, "no attempt stopped the run midway");
        ok(cat(base, "--seed", "1", "--force"));
        assertTrue(Files.exists(index), "a complete run writes the index again");
    }

    /**
     * The same for the machines of a forced --shard run: each rewrote its own shards and wrote the index, so the first to
     * finish made the folder load while another machine's shards were still the old seed (that machine stopped, or
     * slower). Now a forced machine writes the index only when every shard there is this run's.
     */
    @Test void aForcedShardMachineLeavesTheIndexToTheMachineThatCompletesTheCheckpoint() throws IOException {
        Path config = resource(dir, "llama-gqa.json");
        Path out = dir.resolve("out");
        String[] base = {"model", "--config", config.toString(), "--out", out.toString(), "--max-shard-size", "30kB", "--force"};
        ok(cat(base, "--seed", "0"));
        Path index = out.resolve("model.safetensors.index.json");
        Cli.Result first = ok(cat(base, "--seed", "1", "--shard", "1/2"));
        assertTrue(first.out().contains("skipped   " + index), first.out());
        assertFalse(Files.exists(index), "machine 2's shards are still seed 0: no index yet");
        Cli.Result second = ok(cat(base, "--seed", "1", "--shard", "2/2"));
        assertTrue(second.out().contains("wrote     " + index), second.out());
        Path whole = dir.resolve("whole");
        ok("model", "--config", config.toString(), "--out", whole.toString(), "--max-shard-size", "30kB", "--seed", "1");
        for (String n : listing(whole)) assertArrayEquals(Files.readAllBytes(whole.resolve(n)), Files.readAllBytes(out.resolve(n)), n);
    }

    private static String[] cat(String[] a, String... b) {
        String[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static List<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test void rerunKeepsCompleteShardsRewritesMissingOnesAndRefusesForeignOnes() throws IOException {
        Path config = resource(dir, "bert.json");
        Path out = dir.resolve("out");
        String[] run = {"model", "--config", config.toString(), "--out", out.toString(), "--max-shard-size", "60kB", "--seed", "11"};
        ok(run);
        List<Path> shards = shardFiles(out);
        Map<String, byte[]> original = new TreeMap<>();
        for (String n : listing(out)) original.put(n, Files.readAllBytes(out.resolve(n)));
        FileTime old = FileTime.fromMillis(1_000_000L);
        for (Path s : shards) Files.setLastModifiedTime(s, old);

        Cli.Result again = ok(run);
        assertTrue(again.out().contains("0 file(s) written"), again.out());
        for (Path s : shards) assertEquals(old, Files.getLastModifiedTime(s), "kept untouched: " + s);

        Path lost = shards.get(1);
        Files.delete(lost);
        Cli.Result resumed = ok(run);
        assertTrue(resumed.out().contains("wrote     " + lost), resumed.out());
        assertArrayEquals(original.get(lost.getFileName().toString()), Files.readAllBytes(lost));
        assertEquals(old, Files.getLastModifiedTime(shards.get(0)));

        // A file of the right name but another run's content (here: truncated) is not silently replaced.
        byte[] cut = Arrays.copyOf(original.get(shards.get(0).getFileName().toString()), 1000);
        Files.write(shards.get(0), cut);
        Cli.Result refused = Cli.run(run);
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().contains("add --force"), refused.err());
        assertArrayEquals(cut, Files.readAllBytes(shards.get(0)), "left as it was");

        // Another seed: same sizes and names, but the header's metadata differs, so the shards are not "complete".
        String[] otherSeed = run.clone();
        otherSeed[otherSeed.length - 1] = "12";
        Files.write(shards.get(0), original.get(shards.get(0).getFileName().toString()));
        assertEquals(1, Cli.run(otherSeed).code());

        List<String> forced = new ArrayList<>(Arrays.asList(run));
        forced.add("--force");
        ok(forced.toArray(String[]::new));
        for (String n : listing(out)) assertArrayEquals(original.get(n), Files.readAllBytes(out.resolve(n)), n);
    }

    /**
     * A shard with this run's size and header but other data (a copy cut short into a preallocated file: zeros from some
     * point on; a lost write) is not kept: the first, middle and last element of each tensor are compared (QA found such
     * a shard "kept"). The message names the first sampled element that differs; --force rewrites it.
     */
    @Test void aShardWithTheRightHeaderButOtherDataIsNotKept() throws IOException {
        Path config = resource(dir, "bert.json");
        Path out = dir.resolve("out");
        String[] run = {"model", "--config", config.toString(), "--out", out.toString(), "--max-shard-size", "60kB", "--seed", "11"};
        ok(run);
        Path shard = shardFiles(out).get(0);
        byte[] original = Files.readAllBytes(shard);
        long headerEnd = 8 + java.nio.ByteBuffer.wrap(original, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();

        byte[] zeroTail = original.clone();   // preallocated, copied up to the middle of the data
        Arrays.fill(zeroTail, (int) (headerEnd + (original.length - headerEnd) / 2), zeroTail.length, (byte) 0);
        Files.write(shard, zeroTail);
        Cli.Result refused = Cli.run(run);
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().contains("holds other data than this run writes (tensor ") && refused.err().contains("add --force"),
                refused.err());
        assertArrayEquals(zeroTail, Files.readAllBytes(shard), "left as it was");

        byte[] flipped = original.clone();    // one bit of the last element of the last tensor
        flipped[flipped.length - 1] ^= 1;
        Files.write(shard, flipped);
        assertEquals(1, Cli.run(run).code());

        List<String> forced = new ArrayList<>(Arrays.asList(run));
        forced.add("--force");
        ok(forced.toArray(String[]::new));
        assertArrayEquals(original, Files.readAllBytes(shard));
        Files.setLastModifiedTime(shard, FileTime.fromMillis(1_000_000L));
        assertTrue(ok(run).out().contains("0 file(s) written"), "the intact shard is kept");
    }

    /**
     * from_pretrained loads model.safetensors before it looks for an index, so a single file left from an earlier run
     * would hide a new sharded checkpoint (and an old index beside a new single file names shards that are not this
     * run's). Without --force such a file is refused before anything is written; --force removes it, and shards of
     * another count, once the new files are complete, leaving exactly what a fresh run writes.
     */
    @Test void anotherLayoutsFilesAreRefusedOrWithForceRemoved() throws IOException {
        Path config = resource(dir, "llama-gqa.json");
        Path out = dir.resolve("out");
        String[] single = {"model", "--config", config.toString(), "--out", out.toString(), "--seed", "2"};
        String[] eleven = {"model", "--config", config.toString(), "--out", out.toString(), "--seed", "2", "--max-shard-size", "20kB"};
        String[] nine = {"model", "--config", config.toString(), "--out", out.toString(), "--seed", "2", "--max-shard-size", "40kB"};
        ok("model", "--config", config.toString(), "--out", out.toString(), "--seed", "1");
        byte[] old = Files.readAllBytes(out.resolve("model.safetensors"));

        // single file -> sharded: a dry run says what the run would refuse
        String[] elevenDry = java.util.Arrays.copyOf(eleven, eleven.length + 1);
        elevenDry[eleven.length] = "--dry-run";
        Cli.Result dry = ok(elevenDry);
        assertTrue(dry.out().contains("note      " + out.resolve("model.safetensors") + " is a single-file checkpoint")
                && dry.out().contains("the run refuses it without --force"), dry.out());

        // single file -> sharded: refused, naming the file and why, and nothing written
        Cli.Result refused = Cli.run(eleven);
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().contains(out.resolve("model.safetensors") + ": exists and is a single-file checkpoint, which "
                + "transformers loads instead of this run's 11 shards and index; add --force to remove it"), refused.err());
        assertEquals(List.of("config.json", "model.safetensors"), listing(out));
        assertArrayEquals(old, Files.readAllBytes(out.resolve("model.safetensors")));

        Cli.Result forced = ok(withForce(eleven));
        assertTrue(forced.out().contains("removed   " + out.resolve("model.safetensors") + ": it is a single-file checkpoint"), forced.out());
        assertEquals(fresh(eleven), listing(out));
        assertFalse(Files.exists(out.resolve("model.safetensors")));

        // 11 shards -> 9: the index differs, so refused without --force (the dry run says so); with it the 11 old shards go
        String[] nineDry = java.util.Arrays.copyOf(nine, nine.length + 1);
        nineDry[nine.length] = "--dry-run";
        Cli.Result dryNine = ok(nineDry);
        assertTrue(dryNine.out().contains("note      " + out.resolve("model.safetensors.index.json") + " exists and ")
                && dryNine.out().contains("the run refuses it without --force"), dryNine.out());
        assertEquals(1, Cli.run(nine).code());
        Cli.Result nineForced = ok(withForce(nine));
        assertTrue(nineForced.out().contains("removed   " + out.resolve("model-00011-of-00011.safetensors")
                + ": it is a shard of another layout (this run writes 9 shards)"), nineForced.out());
        assertEquals(fresh(nine), listing(out));

        // An old layout's shard left by an interrupted --force re-shard: a plain rerun leaves it, and says so (it was silent)
        Path stale = out.resolve("model-00003-of-00011.safetensors");
        Files.copy(out.resolve("model-00003-of-00009.safetensors"), stale);
        Cli.Result rerun = ok(nine);
        assertTrue(rerun.out().contains("note      " + stale + " is a shard of another layout (this run writes 9 shards)")
                && rerun.out().contains("left alone: delete it, or rerun with --force"), rerun.out());
        assertTrue(Files.exists(stale));
        Files.delete(stale);

        // sharded -> single file: the old index is refused, naming it; --force removes it and the old shards
        Cli.Result refusedIndex = Cli.run(single);
        assertEquals(1, refusedIndex.code(), refusedIndex.err());
        assertTrue(refusedIndex.err().contains(out.resolve("model.safetensors.index.json") + ": exists and names the shards of another "
                + "layout"), refusedIndex.err());
        assertFalse(Files.exists(out.resolve("model.safetensors")), "nothing written");
        ok(withForce(single));
        assertEquals(List.of("config.json", "model.safetensors"), listing(out));
        Map<String, TensorFiles.Parsed> ckpt = readCheckpoint(out);
        assertEquals("2", ckpt.get("lm_head.weight").metadata().get("tensorinit_seed").asText(), "the new run's file");
    }

    /**
     * Without --force, shards of another count that no index names (the old index was deleted) are left alone: the
     * new index names the right ones.
     */
    @Test void withoutForceUnindexedShardsOfAnotherCountAreLeftAlone() throws IOException {
        Path config = resource(dir, "llama-gqa.json");
        Path out = dir.resolve("out");
        ok("model", "--config", config.toString(), "--out", out.toString(), "--max-shard-size", "20kB");
        Files.delete(out.resolve("model.safetensors.index.json"));
        ok("model", "--config", config.toString(), "--out", out.toString(), "--max-shard-size", "40kB");
        assertTrue(Files.exists(out.resolve("model-00011-of-00011.safetensors")), "left alone");
        JsonNode index = new ObjectMapper().readTree(out.resolve("model.safetensors.index.json").toFile());
        for (Iterator<JsonNode> it = index.get("weight_map").elements(); it.hasNext(); ) {
            assertTrue(it.next().asText().endsWith("-of-00009.safetensors"), index.toString());
        }
    }

    /**
     * N machines with --force in one shared folder: each removes the old layout's files, and none removes a file of
     * the current plan that another machine wrote before it.
     */
    @Test void forcedMachinesInASharedFolderRemoveOnlyTheOldLayout() throws IOException {
        Path config = resource(dir, "qwen2.json");
        Path shared = dir.resolve("shared");
        ok("model", "--config", config.toString(), "--out", shared.toString(), "--max-shard-size", "25kB"); // another count
        Files.write(shared.resolve("model.safetensors"), new byte[] {1, 2, 3});                           // another layout
        List<String> before = listing(shared);
        String[] run = {"model", "--config", config.toString(), "--out", shared.toString(), "--max-shard-size", "40kB", "--force"};
        for (int i = 1; i <= 3; i++) {
            List<String> args = new ArrayList<>(Arrays.asList(run));
            args.addAll(List.of("--shard", i + "/3"));
            ok(args.toArray(String[]::new));
            for (String n : before) {
                if (!n.equals("config.json") && !n.equals("model.safetensors.index.json")) {
                    assertFalse(Files.exists(shared.resolve(n)), "machine " + i + " removed " + n);
                }
            }
        }
        Path whole = dir.resolve("whole");
        ok("model", "--config", config.toString(), "--out", whole.toString(), "--max-shard-size", "40kB");
        assertEquals(listing(whole), listing(shared));
        for (String n : listing(whole)) assertArrayEquals(Files.readAllBytes(whole.resolve(n)), Files.readAllBytes(shared.resolve(n)), n);
    }

    private static String[] withForce(String[] args) {
        String[] a = Arrays.copyOf(args, args.length + 1);
        a[args.length] = "--force";
        return a;
    }

    /** The listing of a fresh run of {@code args} into a new folder. */
    private List<String> fresh(String[] args) throws IOException {
        String[] a = args.clone();
        Path other = Files.createTempDirectory(dir, "fresh");
        for (int i = 0; i < a.length; i++) if (a[i].equals("--out")) a[i + 1] = other.resolve("ckpt").toString();
        ok(a);
        return listing(other.resolve("ckpt"));
    }

    /**
     * A folder at one of the run's file names is refused before anything is written, --force or not (the forced run
     * had failed after rewriting earlier shards); a dangling symbolic link counts as an existing file, as for fill.
     * The dry run notes both.
     */
    @Test void aFolderOrADanglingLinkAtAFileNameIsRefusedUpFront() throws IOException {
        Path config = resource(dir, "llama-gqa.json");
        Path out = dir.resolve("out");
        String[] run = {"model", "--config", config.toString(), "--out", out.toString(), "--max-shard-size", "20kB"};
        ok(run);
        Path second = out.resolve("model-00002-of-00011.safetensors"), third = out.resolve("model-00003-of-00011.safetensors");
        Files.delete(second);
        Files.createDirectory(second);
        Files.delete(third);
        Files.createSymbolicLink(third, dir.resolve("nowhere"));
        byte[] first = Files.readAllBytes(out.resolve("model-00001-of-00011.safetensors"));
        String[] dry = java.util.Arrays.copyOf(run, run.length + 1);
        dry[run.length] = "--dry-run";
        Cli.Result d = ok(dry);
        assertTrue(d.out().contains("note      " + second + " is a folder, which the run refuses with or without --force"), d.out());
        assertTrue(d.out().contains("note      " + third + " exists and is a symbolic link to a missing file"), d.out());
        for (String[] r : new String[][] {run, withForce(run)}) {
            Cli.Result refused = Cli.run(r);
            assertEquals(1, refused.code(), refused.err());
            assertTrue(refused.err().contains(second + ": is a folder, which --force does not replace"), refused.err());
            assertTrue(Files.isSymbolicLink(third), "nothing written, the link included");
        }
        assertArrayEquals(first, Files.readAllBytes(out.resolve("model-00001-of-00011.safetensors")));
        Files.delete(second);
        Cli.Result noForce = Cli.run(run);
        assertEquals(1, noForce.code(), noForce.err());
        assertTrue(noForce.err().contains(third + ": exists and is a symbolic link to a missing file"), noForce.err());
        ok(withForce(run));
        assertTrue(Files.isRegularFile(third, java.nio.file.LinkOption.NOFOLLOW_LINKS), "--force replaces the link");
    }

    /**
     * A symbolic link to a folder at a shard's name is a file that is not this run's, as any link there: refused without
     * --force, replaced with it, the folder untouched. QA: the forced run wrote shard 1, then failed with "--out
     * SHARD is a folder; name a file", exit 2, though the unforced run had said to add --force.
     */
    @Test void aLinkToAFolderAtAShardsNameIsReplacedWithForce() throws IOException {
        Path config = resource(dir, "llama-gqa.json");
        Path out = dir.resolve("out");
        Path folder = Files.createDirectory(dir.resolve("folder"));
        String[] run = {"model", "--config", config.toString(), "--out", out.toString(), "--max-shard-size", "20kB"};
        Files.createDirectories(out);
        Path second = Files.createSymbolicLink(out.resolve("model-00002-of-00011.safetensors"), folder);
        Cli.Result refused = Cli.run(run);
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().contains(second + ": exists and is not a regular file; add --force"), refused.err());
        ok(withForce(run));
        assertTrue(Files.isRegularFile(second, java.nio.file.LinkOption.NOFOLLOW_LINKS), "--force replaces the link");
        assertTrue(Files.isDirectory(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals(fresh(run), listing(out));
        try (var s = Files.list(folder)) {
            assertEquals(0, s.count(), "nothing is written into the folder");
        }
    }

    /**
     * --out resolves as the kernel resolves it (lnk/.. is the parent of lnk's target; a .. after a missing folder does
     * not exist); a file on the way is a usage error naming it (it had been a bare "Not a directory", exit 1); a
     * --config ending in '/' names a folder (Path.of dropped the '/', and the file was read).
     */
    @Test void outAndConfigAreResolvedThroughTheFileSystem() throws IOException {
        Path config = resource(dir, "gpt2.json");
        Path sub = Files.createDirectories(dir.resolve("real/sub"));
        Files.createSymbolicLink(dir.resolve("lnk"), sub);
        Cli.Result r = ok("model", "--config", config.toString(), "--out", dir + "/lnk/../ckpt");
        assertTrue(Files.isRegularFile(dir.resolve("real/ckpt/model.safetensors")), r.out());
        assertFalse(Files.exists(dir.resolve("ckpt")), "not beside lnk");
        assertTrue(r.out().contains("wrote     " + dir.toRealPath().resolve("real/ckpt/model.safetensors")), r.out());

        Cli.Result missing = Cli.run("model", "--config", config.toString(), "--out", dir + "/nosuch/../ckpt2");
        assertEquals(1, missing.code(), missing.err());
        assertTrue(missing.err().contains(dir.resolve("nosuch") + ": the folder does not exist"), missing.err());
        assertFalse(Files.exists(dir.resolve("nosuch")) || Files.exists(dir.resolve("ckpt2")), "nothing made");

        Path file = Files.writeString(dir.resolve("afile"), "x");
        for (String out : List.of(file + "/x", file + "/x/y")) {
            Cli.Result f = Cli.run("model", "--config", config.toString(), "--out", out);
            assertEquals(2, f.code(), f.err());
            assertEquals(1, f.errLines().size(), f.err());
            assertTrue(f.err().contains("--out " + out + ": " + file + " is a file, not a folder"), f.err());
        }
        Cli.Result whole = Cli.run("model", "--config", config.toString(), "--out", file.toString());
        assertEquals(2, whole.code(), whole.err());
        assertTrue(whole.err().contains("--out " + file + " is a file; give a folder"), whole.err());

        Cli.Result slash = Cli.run("model", "--config", config + "/", "--out", dir.resolve("ckpt3").toString());
        assertEquals(2, slash.code(), slash.err());
        assertTrue(slash.err().contains("--config '" + config + "/' ends in '/'"), slash.err());
        assertFalse(Files.exists(dir.resolve("ckpt3")));
    }

    /** A model folder as --config stands for its config.json: a downloaded config folder, or the checkpoint itself. */
    @Test void aFolderAsConfigReadsItsConfigJson() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("downloaded"));
        Files.copy(resource(dir, "llama-gqa.json"), folder.resolve("config.json"));
        Path a = dir.resolve("a"), b = dir.resolve("b");
        ok("model", "--config", folder.toString(), "--out", a.toString(), "--seed", "4");
        ok("model", "--config", resource(dir, "llama-gqa.json").toString(), "--out", b.toString(), "--seed", "4");
        for (String f : new String[] {"model.safetensors", "config.json"}) {
            assertArrayEquals(Files.readAllBytes(b.resolve(f)), Files.readAllBytes(a.resolve(f)), f + ": the same run as with the file");
        }
        ok("model", "--config", a + "/", "--out", a.toString(), "--seed", "4");   // the checkpoint's own config: all kept
        Cli.Result empty = Cli.run("model", "--config", Files.createDirectories(dir.resolve("empty")).toString(), "--out", dir.resolve("c").toString());
        assertEquals(2, empty.code(), empty.err());
        assertTrue(empty.err().contains("cannot read --config " + dir.resolve("empty").resolve("config.json")), empty.err());
    }

    /** A malformed file setting is a usage error before the output folder is made (it had left an empty folder). */
    @Test void aMalformedFileSettingStopsTheRunBeforeTheFolderIsMade() throws IOException {
        Path config = resource(dir, "gpt2.json");
        for (String[] kv : new String[][] {{"tensorinit.writeBehind", "bogus"}, {"tensorinit.directIo", "maybe"}}) {
            System.setProperty(kv[0], kv[1]);
            try {
                Path out = dir.resolve("out-" + kv[1]);
                Cli.Result r = Cli.run("model", "--config", config.toString(), "--out", out.toString());
                assertEquals(2, r.code(), r.err());
                assertTrue(r.err().contains(kv[0]) && r.err().contains(kv[1]), r.err());
                assertFalse(Files.exists(out), "no folder made");
                Cli.Result f = Cli.run("fill", "--shape", "8x8", "--init", "ones", "--out", dir.resolve("f.npy").toString());
                assertEquals(2, f.code(), f.err());
                assertTrue(f.err().contains(kv[0]) && f.err().contains("TENSORINIT_"), f.err());
            } finally {
                System.clearProperty(kv[0]);
            }
        }
    }

    /** A killed run's temporary file goes at the start of the next run, even one that keeps every file, and is reported. */
    @Test void staleTemporaryFilesOfDeadProcessesAreRemovedAtStart() throws Exception {
        Path config = resource(dir, "gpt2.json");
        Path out = dir.resolve("out");
        String[] run = {"model", "--config", config.toString(), "--out", out.toString()};
        ok(run);
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Process alive = new ProcessBuilder("sleep", "60").start();
        try {
            Path stale = FillCommandTest.age(Files.writeString(out.resolve(".model.safetensors.tensorinit-" + dead.pid() + "-0123abcd.tmp"), "partial"));
            Path live = Files.writeString(out.resolve(".config.json.tensorinit-" + alive.pid() + "-4567cdef.tmp"), "in progress");
            ok("model", "--config", config.toString(), "--out", out.toString(), "--dry-run");
            assertTrue(Files.exists(stale), "a dry run removes nothing");
            Cli.Result r = ok(run);
            assertTrue(r.out().contains("0 file(s) written, 2 kept"), r.out());
            assertFalse(Files.exists(stale), "the dead process's file is removed");
            assertTrue(Files.exists(live), "a running process's file is kept");
            assertTrue(r.err().contains("tensorinit: removed " + stale + ", left by process " + dead.pid() + " which no longer runs"), r.err());
        } finally {
            alive.destroy();
        }
    }

    /**
     * from_pretrained loads the dtype config.json names: a bf16 config written with --dtype f16 loaded as bf16 (every value
     * rounded again). The copy names the tensors' dtype, as save_pretrained's does; a config that agrees is copied byte for byte.
     */
    @Test void theConfigCopyNamesTheTensorsDtype() throws IOException {
        Path mistral = resource(dir, "mistral.json");   // "dtype": "bfloat16"
        String original = Files.readString(mistral);
        Path out = dir.resolve("f16");
        ok("model", "--config", mistral.toString(), "--out", out.toString(), "--dtype", "f16");
        assertEquals("F16", tensor(shardFiles(out).get(0), "model.norm.weight").dtype());
        assertEquals(original.replace("\"dtype\": \"bfloat16\"", "\"dtype\": \"float16\""), Files.readString(out.resolve("config.json")));
        Path same = dir.resolve("bf16");
        ok("model", "--config", mistral.toString(), "--out", same.toString(), "--dtype", "bf16");
        assertArrayEquals(Files.readAllBytes(mistral), Files.readAllBytes(same.resolve("config.json")));

        Path gpt2 = resource(dir, "gpt2.json");          // no dtype: f32, copied as it is
        Path f32 = dir.resolve("gpt2-f32");
        ok("model", "--config", gpt2.toString(), "--out", f32.toString());
        assertArrayEquals(Files.readAllBytes(gpt2), Files.readAllBytes(f32.resolve("config.json")));
        Path bf16 = dir.resolve("gpt2-bf16");
        ok("model", "--config", gpt2.toString(), "--out", bf16.toString(), "--dtype", "bf16");
        assertEquals(Files.readString(gpt2).replaceFirst("\\{\n  ", "{\n  \"dtype\": \"bfloat16\",\n  "), Files.readString(bf16.resolve("config.json")));
        // The shards record the copy's SHA-256: a rerun keeps them whether it names the user's config or the folder's copy.
        Cli.Result again = ok("model", "--config", mistral.toString(), "--out", out.toString(), "--dtype", "f16");
        assertTrue(again.out().contains("kept"), again.out());
        Path copy = Files.copy(out.resolve("config.json"), dir.resolve("copy.json"));
        again = ok("model", "--config", copy.toString(), "--out", out.toString(), "--dtype", "f16");
        assertTrue(again.out().contains("kept") && !again.out().contains("wrote"), again.out());
    }

    /**
     * QA: the released gpt-oss configs name an mxfp4 quantization_config (DeepSeek-V3's an fp8 one). Copied, it told
     * from_pretrained the unquantized weights were quantized: on a GPU with the mxfp4 kernels it builds experts that expect
     * uint8 blocks, on the CPU it wanted accelerate. The copy leaves that member out, says so, and keeps every other byte.
     */
    @Test void theConfigCopyLeavesOutAQuantization() throws IOException {
        String original = Files.readString(resource(dir, "gpt_oss.json"));
        String member = "\"quantization_config\": {\"modules_to_not_convert\": [\"model.layers.*.self_attn\"], \"quant_method\": \"mxfp4\"},\n  ";
        Path quantized = Files.writeString(dir.resolve("quantized.json"), original.replaceFirst("\\{\n  ", "{\n  " + java.util.regex.Matcher.quoteReplacement(member)));
        assertTrue(Files.readString(quantized).contains("mxfp4"));
        Path out = dir.resolve("q");
        Cli.Result r = ok("model", "--config", quantized.toString(), "--out", out.toString());
        assertTrue(r.err().contains("tensorinit: note: the config's quantization_config is left out"), r.err());
        assertEquals(original, Files.readString(out.resolve("config.json")));
        Cli.Result plain = ok("model", "--config", resource(dir, "gpt_oss.json").toString(), "--out", dir.resolve("p").toString());
        assertFalse(plain.err().contains("quantization_config"), plain.err());
    }

    /**
     * A null quantization_config names no quantization (from_pretrained reads {@code getattr(config, "quantization_config",
     * None) or ...}: not pre-quantized): the copy keeps it, byte for byte, and no note says a loader would expect
     * quantized tensors. QA: it was left out with that note, a config changed for nothing and a note that was not true.
     */
    @Test void aNullQuantizationConfigIsNoQuantization() throws IOException {
        String original = Files.readString(resource(dir, "gpt_oss.json"));
        String withNull = original.replaceFirst("\\{\n  ", "{\n  \"quantization_config\": null,\n  ");
        assertTrue(withNull.contains("\"quantization_config\": null"));
        Path config = Files.writeString(dir.resolve("null-quantization.json"), withNull);
        Path out = dir.resolve("n");
        Cli.Result r = ok("model", "--config", config.toString(), "--out", out.toString());
        assertFalse(r.err().contains("quantization_config"), r.err());
        assertEquals(withNull, Files.readString(out.resolve("config.json")));
    }

    /**
     * QA: a BERT config naming BertForMaskedLM labelled BertModel weights, and one naming no class was left without one,
     * where save_pretrained writes the class it saved; serving stacks pick the class from this field. Only that member
     * changes (or is added first), every other byte stays.
     */
    @Test void theConfigCopyNamesTheClassItsWeightsAre() throws IOException {
        Path bert = resource(dir, "bert.json");
        ok("model", "--config", bert.toString(), "--out", dir.resolve("bert").toString());
        assertEquals(Files.readString(bert).replace("\"architectures\": [\"BertForMaskedLM\"]", "\"architectures\": [\"BertModel\"]"),
                Files.readString(dir.resolve("bert/config.json")));
        Path llama = resource(dir, "llama-options.json");
        ok("model", "--config", llama.toString(), "--out", dir.resolve("llama").toString());
        assertEquals(Files.readString(llama).replaceFirst("\\{\n  ", "{\n  \"architectures\": [\"LlamaForCausalLM\"],\n  "),
                Files.readString(dir.resolve("llama/config.json")));
    }

    /** cuRAND's engine is not bit-identical: a checkpoint of its values would break "each tensor equals fill --name" unseen. */
    @Test void theCurandEngineIsRefusedAndItsSettingDoesNotApply() throws IOException {
        Path config = resource(dir, "gpt2.json");
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("model", "--config", config.toString(), "--out", out.toString(), "--cuda-engine", "curand");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--cuda-engine curand") && r.err().contains("philox"), r.err());
        assertFalse(Files.exists(out));
        String before = System.getProperty(Settings.CUDA_ENGINE);
        System.setProperty(Settings.CUDA_ENGINE, "curand");
        try {
            Cli.Result noted = ok("model", "--config", config.toString(), "--out", out.toString(), "--backend", "cpu");
            assertTrue(noted.err().contains("note: model uses the philox engine") && noted.err().contains("TENSORINIT_CUDA_ENGINE=curand"),
                    noted.err());
        } finally {
            if (before == null) System.clearProperty(Settings.CUDA_ENGINE); else System.setProperty(Settings.CUDA_ENGINE, before);
        }
        ok("model", "--config", config.toString(), "--out", dir.resolve("philox").toString(), "--cuda-engine", "philox", "--dry-run");
    }

    /** An endless or huge --config is refused by size, not read until the heap runs out ("out of memory", exit 1). */
    @Test void aConfigLargerThanAnyConfigIsRefused() throws IOException {
        Cli.Result r = Cli.run("model", "--config", "/dev/zero", "--out", dir.resolve("out").toString(), "--dry-run");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("/dev/zero is larger than 16 MiB"), r.err());
    }

    @Test void dryRunPrintsTheTableAndWritesNothing() throws IOException {
        Path out = dir.resolve("out");
        Cli.Result r = ok("model", "--config", resource(dir, "llama-options.json").toString(), "--out", out.toString(), "--dry-run",
                "--shard", "2/2", "--max-shard-size", "40kB");
        assertFalse(Files.exists(out));
        assertTrue(r.out().contains("model.embed_tokens.weight"), r.out());
        assertTrue(r.out().contains("normal(0, 0.05), row 3 zero"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("total     ") && l.contains(" parameters")), r.out());
        assertTrue(r.out().contains("--shard 2/2 writes"), r.out());
        assertEquals(34, r.out().lines().filter(l -> l.contains(".safetensors")).count(), "one row per tensor");
    }

    /**
     * A checkpoint larger than the disk (4.2 PB of f32) is refused before anything is made, with a message saying how
     * much it needs and how much is free. Each file also checks its own size before it is written, so even without
     * the run's check this would fail at once instead of writing until the disk is full.
     */
    @Test void aCheckpointThatCannotFitIsRefusedBeforeTheFolderIsMade() throws IOException {
        Path out = dir.resolve("out");
        Path cfg = dir.resolve("huge.json");
        Files.writeString(cfg, "{\"model_type\": \"llama\", \"vocab_size\": 1000000000, \"hidden_size\": 1048576, "
                + "\"intermediate_size\": 8, \"num_hidden_layers\": 1, \"num_attention_heads\": 1, \"tie_word_embeddings\": true}");
        Cli.Result r = Cli.run("model", "--config", cfg.toString(), "--out", out.toString(), "--backend", "cpu");
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("tensorinit: writing the checkpoint needs ") && r.err().contains(" is free in "), r.err());
        assertFalse(Files.exists(out), "no folder made");
    }

    /**
     * A run stopped before its first file is complete removes the folders it made (an adversarial run: a full disk or
     * Ctrl-C left an empty checkpoint folder); a folder that was there before stays. Interrupted from the start, the
     * run stops at its first write.
     */
    @Test void aRunStoppedBeforeItsFirstFileLeavesNoFolderItMade() throws IOException {
        Path config = resource(dir, "llama-gqa.json");
        Path out = dir.resolve("new/checkpoint");
        Thread.currentThread().interrupt();
        Cli.Result r;
        try {
            r = Cli.run("model", "--config", config.toString(), "--out", out.toString(), "--backend", "cpu", "--threads", "1");
        } finally {
            Thread.interrupted();
        }
        assertNotEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("model     "), "it stopped after making the folder: " + r.out() + r.err());
        assertFalse(Files.exists(dir.resolve("new")), "the folders it made are gone: " + r.err());
        assertTrue(Files.isDirectory(dir), "the folder that was there stays");
    }

    /** A valid one-layer llama without its closing brace, for cases that add a field. */
    private static final String LLAMA_TINY = "{\"model_type\": \"llama\", \"vocab_size\": 16, \"hidden_size\": 8, "
            + "\"intermediate_size\": 8, \"num_hidden_layers\": 1, \"num_attention_heads\": 2";

    @Test void badConfigsAndFlagsExitTwoWithOneLineAndWriteNothing() throws IOException {
        Path out = dir.resolve("out");
        Path bad = dir.resolve("bad.json");
        Object[][] cases = {
                {"{\"model_type\": \"t5\", \"vocab_size\": 3}", List.of(), "unsupported model_type 't5' (supported: llama, mistral, qwen2, qwen3, gemma, gemma2, gemma3_text, phi3, olmo2, olmo3, smollm3, granite, granitemoe, granitemoeshared, ministral3, seed_oss, nanochat, mixtral, qwen2_moe, qwen3_moe, olmoe, minimax_m2, deepseek_v2, deepseek_v3, deepseek_v32, glm4_moe_lite, glm4_moe, gpt_oss, llama4_text, gpt2, qwen3_next, qwen3_5_text, qwen3_5_moe_text, bert, gemma4_text, gpt_neox, phi, starcoder2)"},
                {"{\"model_type\": \"llama\", \"vocab_size\": 0}", List.of(), "vocab_size must be a positive integer, got 0"},
                {"{\"model_type\": \"gpt2\"", List.of(), "is not valid JSON"},
                {"{\"model_type\": \"bert\", \"vocab_size\": 10}", List.of(), "has no hidden_size"},
                {"{\"model_type\": \"llama\", \"vocab_size\": 10, \"hidden_size\": 10, \"intermediate_size\": 8, \"num_hidden_layers\": 1, "
                        + "\"num_attention_heads\": 4}", List.of(), "hidden_size (10) must be a multiple of num_attention_heads (4)"},
                {"{\"model_type\": \"gpt2\", \"vocab_size\": 10, \"n_embd\": 8, \"n_layer\": 1, \"n_head\": 2, \"n_positions\": 8}",
                        List.of("--dtype", "f64"), "--dtype must be f32, bf16 or f16"},
                {"{\"model_type\": \"gpt2\", \"vocab_size\": 10, \"n_embd\": 8, \"n_layer\": 1, \"n_head\": 2, \"n_positions\": 8}",
                        List.of("--scheme", "orthogonal"), "unknown --scheme 'orthogonal'"},
                {"{\"model_type\": \"gpt2\", \"vocab_size\": 10, \"n_embd\": 8, \"n_layer\": 1, \"n_head\": 2, \"n_positions\": 8}",
                        List.of("--shard", "3/2"), "--shard 3/2 must be I/N with 1 <= I <= N"},
                {"{\"model_type\": \"gpt2\", \"vocab_size\": 10, \"n_embd\": 8, \"n_layer\": 1, \"n_head\": 2, \"n_positions\": 8}",
                        List.of("--max-shard-size", "5XB"), "--max-shard-size '5XB'"},
                // A std the dtype cannot hold: found while planning (it used to make an empty folder and exit 1).
                {LLAMA_TINY + ", \"initializer_range\": 1e39}", List.of("--dtype", "bf16"),
                        "initializer_range = 1.0E39: model.embed_tokens.weight cannot be filled: "},
                {LLAMA_TINY + ", \"initializer_range\": 1e-50}", List.of("--scheme", "xavier_uniform"),
                        "initializer_range = 1.0E-50: model.embed_tokens.weight cannot be filled: "},
                // Absurd sizes: refused at once (they used to run out of heap, or print "long overflow").
                {LLAMA_TINY.replace("\"num_hidden_layers\": 1", "\"num_hidden_layers\": 2147483647") + "}", List.of(),
                        "num_hidden_layers (2147483647) is too large"},
                {"{\"model_type\": \"llama\", \"vocab_size\": 562949953421312, \"hidden_size\": 4096, \"intermediate_size\": 8, "
                        + "\"num_hidden_layers\": 1, \"num_attention_heads\": 32}", List.of("--dtype", "bf16"),
                        "the checkpoint would be more than 2^63-1 bytes of bf16 (passed at lm_head.weight); these sizes are too large: "
                                + "vocab_size = 562949953421312, hidden_size = 4096"},
                {"\uFEFF" + LLAMA_TINY + "}", List.of(), "starts with a UTF-8 byte order mark, which transformers refuses"},
                {LLAMA_TINY + ", \"head_dim\": 7}", List.of(), "head_dim (7) must be even"},
        };
        for (Object[] c : cases) {
            Files.writeString(bad, (String) c[0]);
            @SuppressWarnings("unchecked") List<String> extra = (List<String>) c[1];
            for (boolean dryRun : new boolean[] {false, true}) { // a dry run refuses what the run would
                List<String> args = new ArrayList<>(List.of("model", "--config", bad.toString(), "--out", out.toString()));
                args.addAll(extra);
                if (dryRun) args.add("--dry-run");
                Cli.Result r = Cli.run(args.toArray(String[]::new));
                assertEquals(2, r.code(), c[0] + " " + r.err());
                assertEquals(1, r.errLines().size(), r.err());
                assertTrue(r.errLines().getFirst().startsWith("tensorinit: ") && r.err().contains((String) c[2]), r.err());
                assertFalse(Files.exists(out), "nothing written for " + c[0]);
            }
        }
        Cli.Result missing = Cli.run("model", "--config", dir.resolve("nope.json").toString(), "--out", out.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("cannot read --config " + dir.resolve("nope.json") + " (no such file or folder: "), missing.err());
        assertFalse(missing.err().contains("Exception"), "worded for a user, not as a Java exception: " + missing.err());
        assertFalse(Files.exists(out));
    }
}

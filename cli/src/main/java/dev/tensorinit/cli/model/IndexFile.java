package dev.tensorinit.cli.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code model.safetensors.index.json} as save_pretrained writes it: Python's
 * {@code json.dumps(index, indent=2, sort_keys=True) + "\n"} of
 * {@code {"metadata": {"total_parameters": P, "total_size": BYTES}, "weight_map": {tensor: file}}}.
 */
public final class IndexFile {
    private IndexFile() {}

    public static final String NAME = "model.safetensors.index.json";

    public static String json(List<Shard> shards) {
        long params = 0, bytes = 0;
        Map<String, String> weightMap = new TreeMap<>(); // sort_keys: code point order; names are ASCII
        for (Shard s : shards) {
            for (PlannedTensor t : s.tensors()) {
                if (t.spec().kind().parameter()) params = Math.addExact(params, t.spec().elements());   // num_parameters()
                bytes = Math.addExact(bytes, t.bytes());
                weightMap.put(t.name(), s.fileName());
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"metadata\": {\n");
        b.append("    \"total_parameters\": ").append(params).append(",\n");
        b.append("    \"total_size\": ").append(bytes).append("\n  },\n");
        b.append("  \"weight_map\": {\n");
        int i = 0;
        for (Map.Entry<String, String> e : weightMap.entrySet()) {
            b.append("    ").append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
            b.append(++i < weightMap.size() ? ",\n" : "\n");
        }
        b.append("  }\n}\n");
        return b.toString();
    }

    /** Python json.dumps string quoting with ensure_ascii=True. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder();
        Json.quote(b, s, true);
        return b.toString();
    }
}

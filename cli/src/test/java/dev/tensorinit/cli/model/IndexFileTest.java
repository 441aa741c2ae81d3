package dev.tensorinit.cli.model;

import dev.tensorinit.DType;
import dev.tensorinit.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IndexFileTest {

    private static PlannedTensor t(String name, long... dims) {
        TensorSpec s = new TensorSpec(name, Shape.of(dims), dims.length == 1 ? TensorSpec.Kind.NORM : TensorSpec.Kind.LINEAR, 0.02,
                OptionalLong.empty());
        return new PlannedTensor(s, Scheme.HF.initFor(s), DType.BF16, 0);
    }

    @Test void pythonJsonDumpsIndentTwoSortedKeys() {
        List<Shard> shards = ShardPlanner.plan(List.of(t("model.z.weight", 4, 8), t("lm_head.weight", 8, 4), t("model.a.weight", 6)), 80);
        // What json.dumps(index, indent=2, sort_keys=True) + "\n" prints for the same index.
        String expected = """
                {
                  "metadata": {
                    "total_parameters": 70,
                    "total_size": 140
                  },
                  "weight_map": {
                    "lm_head.weight": "model-00002-of-00002.safetensors",
                    "model.a.weight": "model-00002-of-00002.safetensors",
                    "model.z.weight": "model-00001-of-00002.safetensors"
                  }
                }
                """;
        assertEquals(expected, IndexFile.json(shards));
    }

    @Test void quotingFollowsPythonEnsureAscii() {
        assertEquals("\"a\\\"b\\\\c\\u00e9\\n\\u007f\"", IndexFile.quote("a\"b\\cé\n\u007f"));
    }
}

package dev.tensorinit.cli.model;

import dev.tensorinit.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
    @ValueSource(strings = {"llama-gqa", "llama-options", "mistral", "qwen2", "gpt2", "gpt2-untied", "bert"})
    void plannedTensorsEqualTheCommittedTable(String model) throws IOException {
        ModelConfig c = ConfigParser.parse(resource(model + ".json"), model + ".json");
        DType dtype = c.dtype().orElse(DType.F32);
        List<String> planned = TensorTable.of(c).stream()
                .map(t -> t.name() + "\t" + Arrays.stream(t.shape().dims()).mapToObj(Long::toString).collect(Collectors.joining(","))
                        + "\t" + ShardLayout.dtypeName(dtype))
                .toList();
        assertEquals(table(model + ".tsv"), planned);
    }
}

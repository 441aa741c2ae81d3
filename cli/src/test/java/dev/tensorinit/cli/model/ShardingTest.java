package dev.tensorinit.cli.model;

import dev.tensorinit.DType;
import dev.tensorinit.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shard cut (huggingface_hub's rule), the size units, and the --shard assignment. */
class ShardingTest {

    /** A tensor of exactly {@code bytes} f32 bytes... in units of 4 bytes. */
    private static PlannedTensor tensor(String name, long elements) {
        TensorSpec s = new TensorSpec(name, Shape.of(elements), TensorSpec.Kind.BIAS, 0, OptionalLong.empty());
        return new PlannedTensor(s, Scheme.HF.initFor(s), DType.F32, 0);
    }

    private static List<List<String>> cut(long max, long... elements) {
        List<PlannedTensor> ts = new ArrayList<>();
        for (int i = 0; i < elements.length; i++) ts.add(tensor("t" + i, elements[i]));
        return ShardPlanner.plan(ts, max * 4).stream().map(s -> s.tensors().stream().map(PlannedTensor::name).toList()).toList();
    }

    @Test void huggingFaceDocstringExample() {
        // split_state_dict_into_shards_factory: [6, 6, 2, 6, 2, 2] GB with a 10 GB limit -> [6], [6+2], [6+2+2].
        assertEquals(List.of(List.of("t0"), List.of("t1", "t2"), List.of("t3", "t4", "t5")), cut(10, 6, 6, 2, 6, 2, 2));
    }

    @Test void aTensorOverTheLimitGoesAloneAndBeforeTheOpenShard() {
        // HF appends the big tensor's shard at once, while the current shard stays open for later tensors.
        assertEquals(List.of(List.of("t1"), List.of("t0", "t2")), cut(10, 3, 11, 4));
        assertEquals(List.of(List.of("t0")), cut(1, 5));
    }

    @Test void exactlyFullShardStaysOneShard() {
        assertEquals(List.of(List.of("t0", "t1"), List.of("t2")), cut(10, 4, 6, 1));
    }

    @Test void fileNamesFollowSavePretrained() {
        List<Shard> one = ShardPlanner.plan(List.of(tensor("a", 1), tensor("b", 1)), 1000);
        assertEquals("model.safetensors", one.getFirst().fileName());
        List<Shard> three = ShardPlanner.plan(List.of(tensor("a", 10), tensor("b", 10), tensor("c", 10)), 40);
        assertEquals(List.of("model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors"),
                three.stream().map(Shard::fileName).toList());
        assertEquals(List.of(40L, 40L, 40L), three.stream().map(Shard::dataBytes).toList());
    }

    @ParameterizedTest
    @CsvSource({
            "5GB, 5000000000", "5gb, 5000000000", "5 GB, 5000000000", "5.5GB, 5500000000", "1.2345678909KB, 1234",
            "5GiB, 5368709120", "2MiB, 2097152", "3kib, 3072", "1TB, 1000000000000", "1TiB, 1099511627776",
            "500MB, 500000000", "1000, 1000", "50GB, 50000000000",
            // parse_size_to_int multiplies a Python float: 1.001 * 10**6 = 1000999.9999999999, truncated to 1000999
            "1.001MB, 1000999", "518.656KB, 518655", "0.3MB, 300000", "1.001MiB, 1049624",
    })
    void sizesInHuggingFaceUnits(String text, long bytes) {
        assertEquals(bytes, MaxShardSize.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"GB", "5XB", "-1GB", "0GB", "0.0001KB", "abc", "99999999999TB", "1.5", "1000.25", "1e3"})
    void badSizesAreRefused(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MaxShardSize.parse(text));
        assertTrue(e.getMessage().contains("--max-shard-size '" + text + "'"), e.getMessage());
    }

    /** A negative or zero byte count is out of range, not a fraction: "-1" was told to use KB..TB "for fractions". */
    @ParameterizedTest
    @CsvSource({"-1", "-1000", "-0", "0"})
    void aNonPositiveByteCountIsSaidToBeOutOfRange(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MaxShardSize.parse(text));
        assertEquals("--max-shard-size '" + text + "' must be between 1 byte and 2^63-1 bytes", e.getMessage());
    }

    @Test void machinesSplitTheShardsWithoutOverlapOrGap() {
        List<PlannedTensor> ts = new ArrayList<>();
        for (int i = 0; i < 11; i++) ts.add(tensor("t" + i, 10));
        List<Shard> shards = ShardPlanner.plan(ts, 40);
        for (int n = 1; n <= 13; n++) {
            Set<Integer> seen = new HashSet<>();
            for (int m = 1; m <= n; m++) {
                ShardSelection sel = new ShardSelection(m, n);
                for (Shard s : shards) if (sel.owns(s)) assertTrue(seen.add(s.index()), "shard " + s.index() + " twice for N=" + n);
            }
            assertEquals(shards.size(), seen.size(), "every shard once for N=" + n);
        }
        assertEquals(List.of(2, 5, 8, 11), shards.stream().filter(new ShardSelection(2, 3)::owns).map(Shard::index).toList());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"0/4", "5/4", "1/0", "2", "a/b", "-1/3"})
    void badShardSelectionsAreRefused(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShardSelection.parse(text));
        assertTrue(e.getMessage().startsWith("--shard "), e.getMessage());
    }
}

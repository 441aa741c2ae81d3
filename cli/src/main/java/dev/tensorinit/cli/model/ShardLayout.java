package dev.tensorinit.cli.model;

import dev.tensorinit.DType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of one shard file before its data, and the order of its tensors. Like the safetensors
 * library writes a file: 8-byte little-endian header length, compact JSON with {@code __metadata__}
 * first, padded with spaces to a multiple of 8; tensors ordered as its {@code prepare} orders them, by dtype from the
 * widest down (F64, F32, BF16, F16: the order of its Dtype enum, reversed), then by name; each {@code data_offsets}
 * relative to the data start. By name alone, a bf16 MoE checkpoint's F32 router buffers (glm4_moe, deepseek_v3) sat
 * between BF16 tensors: another byte layout than save_pretrained's, and F32 data at offsets of 2 mod 4 with odd sizes.
 */
public record ShardLayout(Shard shard, List<PlannedTensor> order, byte[] header) {

    public static ShardLayout of(Shard shard, Map<String, String> metadata) {
        List<PlannedTensor> order = new ArrayList<>(shard.tensors());
        order.sort(Comparator.comparingInt((PlannedTensor t) -> -dtypeRank(t.dtype())).thenComparing(PlannedTensor::name));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("__metadata__", new LinkedHashMap<>(metadata));
        long offset = 0;
        for (PlannedTensor t : order) {
            if (t.name().equals("__metadata__")) throw new IllegalArgumentException("a tensor can not be named __metadata__");
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", dtypeName(t.dtype()));
            info.put("shape", t.spec().shape().dims());
            long end = Math.addExact(offset, t.bytes());
            info.put("data_offsets", List.of(offset, end));
            root.put(t.name(), info);
            offset = end;
        }
        byte[] json = Json.write(root).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int n = (json.length + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(8 + n).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(n).put(json);
        while (b.hasRemaining()) b.put((byte) ' ');
        return new ShardLayout(shard, List.copyOf(order), b.array());
    }

    /** Header plus data: the file's exact size. */
    public long fileBytes() { return Math.addExact(header.length, shard.dataBytes()); }

    /** Position in safetensors' Dtype enum, which is declared in increasing alignment: F16 < BF16 < F32 < F64. */
    static int dtypeRank(DType d) {
        return switch (d) {
            case F16 -> 0;
            case BF16 -> 1;
            case F32 -> 2;
            case F64 -> 3;
        };
    }

    static String dtypeName(DType d) {
        return switch (d) {
            case F32 -> "F32";
            case F64 -> "F64";
            case BF16 -> "BF16";
            case F16 -> "F16";
        };
    }
}

package dev.tensorinit.cli;

import dev.tensorinit.DType;
import dev.tensorinit.cli.model.Json;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors header: 8-byte little-endian length N, then N bytes of JSON
 * {"__metadata__": {string: string}, NAME: {"dtype", "shape", "data_offsets"}}, padded with spaces so
 * the data starts 8-byte aligned.
 */
final class SafetensorsHeader {
    private SafetensorsHeader() {}

    static String dtype(DType d) {
        return switch (d) {
            case F32 -> "F32";
            case F64 -> "F64";
            case BF16 -> "BF16";
            case F16 -> "F16";
        };
    }

    static byte[] of(String name, DType dtype, long[] shape, long dataBytes, Map<String, String> metadata) {
        if (name.equals("__metadata__")) throw new IllegalArgumentException("--name __metadata__ cannot name a safetensors tensor (the format reserves that key)");
        Map<String, Object> tensor = new LinkedHashMap<>();
        tensor.put("dtype", dtype(dtype));
        tensor.put("shape", shape);
        tensor.put("data_offsets", List.of(0L, dataBytes));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("__metadata__", new LinkedHashMap<>(metadata));
        root.put(name, tensor);
        byte[] json = Json.write(root).getBytes(StandardCharsets.UTF_8);
        int n = (json.length + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(8 + n).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(n).put(json);
        while (b.hasRemaining()) b.put((byte) ' ');
        return b.array();
    }
}

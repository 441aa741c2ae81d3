package dev.tensorinit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tensorinit.FillRequest;
import dev.tensorinit.kernel.Reference;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads the files back with parsers written here from the format specifications, and builds reference bytes. */
final class TensorFiles {
    private TensorFiles() {}

    /** A parsed file: header fields and the raw little-endian data. */
    record Parsed(String dtype, long[] shape, byte[] data, JsonNode metadata, int dataOffset) {}

    static Parsed npy(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        assertEquals((byte) 0x93, b[0]);
        assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.US_ASCII));
        int major = b[6];
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int len = major == 1 ? Short.toUnsignedInt(bb.getShort(8)) : bb.getInt(8);
        int start = major == 1 ? 10 : 12;
        int off = start + len;
        assertEquals(0, off % 64, "npy data must start 64-byte aligned");
        String dict = new String(b, start, len, StandardCharsets.US_ASCII);
        assertTrue(dict.endsWith("\n"), "npy header ends with a newline");
        Matcher m = Pattern.compile("\\{'descr': '([<>|a-z0-9]+)', 'fortran_order': False, 'shape': \\(([0-9, ]*)\\), \\} *\n").matcher(dict);
        assertTrue(m.matches(), "npy header dict: " + dict);
        String s = m.group(2).strip();
        long[] shape = s.isEmpty() ? new long[0] : Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        if (shape.length == 1) assertTrue(s.endsWith(","), "1-D shape tuple needs its trailing comma: " + s);
        return new Parsed(m.group(1), shape, Arrays.copyOfRange(b, off, b.length), null, off);
    }

    static Parsed safetensors(Path p, String name) throws IOException {
        byte[] b = Files.readAllBytes(p);
        long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, (8 + n) % 8, "safetensors data must start 8-byte aligned");
        JsonNode root = new ObjectMapper().readTree(new String(b, 8, (int) n, StandardCharsets.UTF_8));
        JsonNode t = root.get(name);
        long[] shape = new long[t.get("shape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = t.get("shape").get(i).asLong();
        long begin = t.get("data_offsets").get(0).asLong(), end = t.get("data_offsets").get(1).asLong();
        int off = (int) (8 + n);
        assertEquals(b.length - off, end - begin, "data_offsets cover the data");
        return new Parsed(t.get("dtype").asText(), shape, Arrays.copyOfRange(b, off + (int) begin, off + (int) end),
                root.get("__metadata__"), off);
    }

    /** The bytes of a fill computed by core's scalar Reference, little-endian. */
    static byte[] reference(FillRequest r) {
        assertEquals(ByteOrder.LITTLE_ENDIAN, ByteOrder.nativeOrder(), "these tests compare native bytes with little-endian files");
        return dev.tensorinit.testing.Conformance.referenceBytes(r);
    }
}

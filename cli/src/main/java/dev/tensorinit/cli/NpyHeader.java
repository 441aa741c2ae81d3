package dev.tensorinit.cli;

import dev.tensorinit.DType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The NumPy .npy header (format version 1.0, or 2.0 when the header dict exceeds 65535 bytes):
 * magic, version, header length, then a Python dict literal padded with spaces and a newline so the
 * data starts at a multiple of 64 bytes.
 */
final class NpyHeader {
    private NpyHeader() {}

    static final int ALIGN = 64;

    static String descr(DType d) {
        return switch (d) {
            case F32 -> "<f4";
            case F64 -> "<f8";
            case F16 -> "<f2";
            case BF16 -> throw new IllegalArgumentException("bf16 has no .npy dtype");
        };
    }

    /** NumPy 2's NPY_MAXDIMS: np.load refuses a file of more dimensions ("maximum supported dimension"). */
    static final int MAX_DIMS = 64;

    static byte[] of(DType dtype, long[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(descr(dtype))
                .append("', 'fortran_order': False, 'shape': (");
        for (long d : shape) dict.append(d).append(", ");
        if (shape.length > 1) dict.setLength(dict.length() - 2); // (n,) keeps its comma, (a, b) does not end in one
        else if (shape.length == 1) dict.setLength(dict.length() - 1);
        dict.append("), }");
        byte[] body = dict.toString().getBytes(StandardCharsets.US_ASCII);
        int version = 1;
        int prefix = 10; // magic (6) + version (2) + uint16 length
        int padded = align(prefix + body.length + 1); // + '\n'
        if (padded - prefix > 65535) { // version 2.0 has a uint32 length
            version = 2;
            prefix = 12;
            padded = align(prefix + body.length + 1);
        }
        int headerLen = padded - prefix;
        ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) version).put((byte) 0);
        if (version == 1) b.putShort((short) headerLen); else b.putInt(headerLen);
        b.put(body);
        while (b.position() < padded - 1) b.put((byte) ' ');
        b.put((byte) '\n');
        return b.array();
    }

    private static int align(int n) {
        return (n + ALIGN - 1) / ALIGN * ALIGN;
    }
}

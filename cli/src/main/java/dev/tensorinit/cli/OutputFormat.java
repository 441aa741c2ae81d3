package dev.tensorinit.cli;

import dev.tensorinit.DType;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The file formats, chosen by the output's extension; each knows its header. */
enum OutputFormat {
    NPY(".npy"), SAFETENSORS(".safetensors"), BIN(".bin");

    private final String extension;

    OutputFormat(String extension) { this.extension = extension; }

    String extension() { return extension; }

    static OutputFormat of(Path out) {
        String n = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        for (OutputFormat f : values()) if (n.endsWith(f.extension) && n.length() > f.extension.length()) return f;
        throw new IllegalArgumentException("--out '" + out + "' must end in .npy, .safetensors or .bin");
    }

    /** Throws when this format cannot hold the dtype. */
    void checkDType(DType dtype) {
        if (this == NPY && dtype == DType.BF16) {
            throw new IllegalArgumentException("bf16 cannot be written to .npy (NumPy has no bfloat16 dtype); "
                    + "use .safetensors (or .bin)");
        }
    }

    /** The bytes before the data. */
    byte[] header(DType dtype, long[] fileShape, String tensorName, long dataBytes, Map<String, String> metadata) {
        if (this == NPY && fileShape.length > NpyHeader.MAX_DIMS) {   // the format could say it, NumPy could not read it
            throw new IllegalArgumentException("a .npy file holds at most " + NpyHeader.MAX_DIMS + " dimensions (NumPy cannot "
                    + "load more), got " + fileShape.length + "; write .safetensors or .bin instead");
        }
        return switch (this) {
            case NPY -> NpyHeader.of(dtype, fileShape);
            case SAFETENSORS -> SafetensorsHeader.of(tensorName, dtype, fileShape, dataBytes, metadata);
            case BIN -> new byte[0];
        };
    }
}

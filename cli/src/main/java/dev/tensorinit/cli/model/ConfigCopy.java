package dev.tensorinit.cli.model;

import dev.tensorinit.DType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The config.json written beside the shards: the user's bytes, unless its dtype or architectures would contradict
 * the tensors. from_pretrained loads a checkpoint in the dtype its config names (transformers 5: {@code dtype},
 * formerly {@code torch_dtype}), so a bf16 config written with {@code --dtype f16} loaded as bf16, rounding every
 * value again; and serving stacks pick the class from {@code architectures}, where a BERT config naming
 * BertForMaskedLM labelled BertModel weights. save_pretrained writes the model's real dtype and class there; so does
 * this. A quantization_config is left out (the weights are not quantized); nothing else in the file changes.
 */
final class ConfigCopy {
    private ConfigCopy() {}

    static final List<String> KEYS = List.of("dtype", "torch_dtype");

    /**
     * {@code declared} is what the config's dtype field reads as (empty: absent, null, or a name we do not map);
     * {@code hfClass} the class whose state_dict the shards hold.
     */
    static byte[] of(byte[] original, Optional<DType> declared, DType dtype, String hfClass) {
        String text = new String(original, StandardCharsets.UTF_8);
        boolean changed = false;
        if (!(declared.isPresent() ? declared.get() == dtype : dtype == DType.F32 && !namesADtype(original))) {
            text = Json.withTopLevelString(text, KEYS, torchName(dtype));
            changed = true;
        }
        if (!(Json.parse(original) instanceof Map<?, ?> root && List.of(hfClass).equals(root.get("architectures")))) {
            text = Json.withTopLevelValue(text, List.of("architectures"), Json.write(List.of(hfClass)));
            changed = true;
        }
        if (quantized(original)) {
            text = Json.withoutTopLevel(text, QUANTIZATION);
            changed = true;
        }
        return changed ? text.getBytes(StandardCharsets.UTF_8) : original;
    }

    static final String QUANTIZATION = "quantization_config";

    /**
     * Whether the config names a quantization (the released gpt-oss configs: mxfp4; DeepSeek-V3's: fp8). The shards hold
     * plain float weights, so the copy leaves it out: from_pretrained reads it and expects quantized tensors (gpt-oss on a
     * GPU with its kernels: uint8 blocks and scales), or needs packages only quantized models need. A null one names no
     * quantization (from_pretrained takes {@code getattr(config, "quantization_config", None) or ...}) and stays.
     */
    static boolean quantized(byte[] original) {
        return Json.parse(original) instanceof Map<?, ?> root && root.containsKey(QUANTIZATION) && root.get(QUANTIZATION) != Json.NULL;
    }

    /** A non-null dtype field: one we could not map ("float64") still contradicts f32 tensors. */
    private static boolean namesADtype(byte[] original) {
        if (!(Json.parse(original) instanceof Map<?, ?> root)) return false;
        for (String k : KEYS) {
            Object v = root.get(k);
            if (v != null && v != Json.NULL) return true;
        }
        return false;
    }

    static String torchName(DType dtype) {
        return switch (dtype) {
            case F32 -> "float32";
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            case F64 -> "float64";
        };
    }
}

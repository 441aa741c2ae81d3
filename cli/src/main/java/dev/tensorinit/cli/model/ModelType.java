package dev.tensorinit.cli.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Hugging Face {@code model_type}s we can lay out, and the class whose {@code state_dict()} we match:
 * the one {@code AutoModelForCausalLM.from_config} builds for the decoders, and {@code AutoModel}'s
 * {@code BertModel} (with its pooler) for BERT, which has no causal-LM class of its own by default.
 */
public enum ModelType {
    LLAMA("llama", "LlamaForCausalLM"),
    MISTRAL("mistral", "MistralForCausalLM"),
    QWEN2("qwen2", "Qwen2ForCausalLM"),
    GPT2("gpt2", "GPT2LMHeadModel"),
    BERT("bert", "BertModel");

    private final String id;
    private final String hfClass;

    ModelType(String id, String hfClass) {
        this.id = id;
        this.hfClass = hfClass;
    }

    public String id() { return id; }

    /** The transformers class whose saved state_dict the checkpoint reproduces. */
    public String hfClass() { return hfClass; }

    public static String supported() {
        return Arrays.stream(values()).map(ModelType::id).collect(Collectors.joining(", "));
    }

    public static ModelType parse(String modelType) {
        String t = modelType.strip().toLowerCase(Locale.ROOT);
        for (ModelType m : values()) if (m.id.equals(t)) return m;
        throw new IllegalArgumentException("unsupported model_type '" + modelType + "' (supported: " + supported() + ")");
    }
}

package dev.tensorinit.cli.model;

import java.util.Map;
import java.util.OptionalLong;

/**
 * Typed reads of a config.json object, each failure one line naming the field and the bad value.
 * "Required" means we refuse to guess: a hand-made config without hidden_size is a mistake, not a
 * request for the class default.
 */
final class ConfigFields {
    private final Map<String, Object> root;
    private final String where;

    ConfigFields(Map<String, Object> root, String where) {
        this.root = root;
        this.where = where;
    }

    /** Where the fields come from, for a message ("config.json"). */
    String where() { return where; }

    /** The key is there, even with a null value (an explicit "no value", e.g. pad_token_id: null). */
    boolean present(String key) {
        return root.containsKey(key);
    }

    boolean has(String key) {
        Object n = root.get(key);
        return n != null && n != Json.NULL;
    }

    /** A positive integer that must be present. */
    long size(String key) {
        if (present(key) && !has(key)) throw new IllegalArgumentException(where + ": " + key + " is null; it must be a positive integer");
        if (!has(key)) throw new IllegalArgumentException(where + " has no " + key);
        return positive(key);
    }

    /** A positive integer, or {@code dflt} when absent or null (the HF class default). */
    long size(String key, long dflt) {
        return has(key) ? positive(key) : dflt;
    }

    /**
     * The first of {@code keys} that is present (HF attribute aliases, e.g. n_embd / hidden_size); all present ones must agree.
     * A null one is refused: the config class's attribute_map writes the alias through to the field, so a null alias
     * left the field null in transformers (num_experts: null beside n_routed_experts: 5 failed from_config) whatever the
     * other key said.
     */
    long sizeAlias(String... keys) {
        Long found = null;
        String foundKey = null;
        for (String k : keys) {
            refuseNull(k, "a positive integer");
            if (!has(k)) continue;
            long v = positive(k);
            if (found != null && found != v) {
                throw new IllegalArgumentException(where + ": " + foundKey + " = " + found + " and " + k + " = " + v + " disagree");
            }
            if (found == null) {
                found = v;
                foundKey = k;
            }
        }
        if (found == null) throw new IllegalArgumentException(where + " has no " + String.join(" or ", keys));
        return found;
    }

    /** A non-negative integer that must be present (a count that may be 0). */
    long count(String key) {
        if (present(key) && !has(key)) throw new IllegalArgumentException(where + ": " + key + " is null; it must be 0 or more");
        if (!has(key)) throw new IllegalArgumentException(where + " has no " + key);
        if (root.get(key) instanceof Long n && n <= 0) {
            if (n == 0) return 0;
            throw new IllegalArgumentException(where + ": " + key + " must be 0 or more, got " + n);
        }
        if (!(root.get(key) instanceof Long) && !(root.get(key) instanceof java.math.BigInteger)) {
            throw new IllegalArgumentException(where + ": " + key + " must be an integer, 0 or more, got " + json(key));
        }
        return positive(key);
    }

    /**
     * A list of integers, empty when absent or null (as Qwen's mlp_only_layers). transformers checks the element type, so
     * anything but whole numbers is refused.
     */
    java.util.List<Long> integers(String key) {
        if (!has(key)) return java.util.List.of();
        if (!(root.get(key) instanceof java.util.List<?> l) || !l.stream().allMatch(x -> x instanceof Long)) {
            throw new IllegalArgumentException(where + ": " + key + " must be a list of integers, got " + json(key));
        }
        return l.stream().map(x -> (Long) x).toList();
    }

    /** A list of any values, empty when absent or null (layer_types, whose length is checked). */
    java.util.List<?> list(String key) {
        if (!has(key)) return java.util.List.of();
        if (!(root.get(key) instanceof java.util.List<?> l)) {
            throw new IllegalArgumentException(where + ": " + key + " must be a list, got " + json(key));
        }
        return l;
    }

    boolean bool(String key, boolean dflt) {
        refuseNull(key, "true or false");
        if (!has(key)) return dflt;
        if (!(root.get(key) instanceof Boolean b)) {
            throw new IllegalArgumentException(where + ": " + key + " must be true or false, got " + json(key));
        }
        return b;
    }

    /** Any integer (token ids may be negative in torch's padding_idx sense); empty when absent or null. */
    OptionalLong integer(String key) {
        if (!has(key)) return OptionalLong.empty();
        if (!(root.get(key) instanceof Long n)) {
            throw new IllegalArgumentException(where + ": " + key + " must be an integer, got " + json(key));
        }
        return OptionalLong.of(n);
    }

    /**
     * A finite float > 0, or {@code dflt} when absent. transformers 5 checks its config fields' types: a float field
     * given null or an integer (1, not 1.0) is refused when the checkpoint is loaded, so it is refused here too.
     */
    double positiveFloat(String key, double dflt) {
        refuseNull(key, "a number such as 0.02");
        if (!has(key)) return dflt;
        if (root.get(key) instanceof Long || root.get(key) instanceof java.math.BigInteger) {
            throw new IllegalArgumentException(where + ": " + key + " must be written as a float (" + json(key) + ".0): transformers "
                    + "refuses the integer " + json(key) + " here");
        }
        if (!(root.get(key) instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() <= 0) {
            throw new IllegalArgumentException(where + ": " + key + " must be a number > 0, got " + json(key));
        }
        return n.doubleValue();
    }

    /**
     * Throws when {@code key} is there with the value null: for fields whose type transformers 5 checks (a bool, a float,
     * a plain int), null is refused when the checkpoint is loaded, though absent means the class default.
     */
    void refuseNull(String key, String wanted) {
        if (present(key) && !has(key)) {
            throw new IllegalArgumentException(where + ": " + key + " is null, which transformers refuses (it must be " + wanted
                    + "); remove it for the class default");
        }
    }

    /**
     * Checks the type of a field no shape depends on but transformers' config class types strictly (DeepSeek's router
     * settings): {@code int} and {@code str} fields may be null where the class says {@code | None}; a float field must be
     * written as a float (transformers refuses the integer 16 for 16.0).
     */
    void typed(String key, Class<?> type, boolean nullable) {
        if (!present(key)) return;
        if (!has(key)) {
            if (!nullable) refuseNull(key, type == Double.class ? "a number such as 1.0" : type == Long.class ? "an integer" : "a string");
            return;
        }
        Object v = root.get(key);
        boolean ok = type == Long.class ? v instanceof Long || v instanceof java.math.BigInteger
                : type == Double.class ? v instanceof Double
                : type.isInstance(v);
        if (!ok) {
            String what = type == Long.class ? "an integer" : type == Double.class ? "a float (such as 1.0)" : "a string";
            throw new IllegalArgumentException(where + ": " + key + " must be " + what + (nullable ? " or null" : "") + ", got " + json(key));
        }
    }

    /** Checks a token-id field typed {@code int | list[int] | None} (eos_token_id): an integer, a list of integers, or null. */
    void tokenIds(String key) {
        if (!has(key)) return;
        Object v = root.get(key);
        if (v instanceof Long || v instanceof java.math.BigInteger) return;
        if (v instanceof java.util.List<?> l && l.stream().allMatch(x -> x instanceof Long || x instanceof java.math.BigInteger)) return;
        throw new IllegalArgumentException(where + ": " + key + " must be an integer, a list of integers or null, got " + json(key));
    }

    /** A number (integer or float), empty when absent or null; anything else is refused. */
    java.util.OptionalDouble number(String key) {
        if (!has(key)) return java.util.OptionalDouble.empty();
        if (!(root.get(key) instanceof Number n)) throw new IllegalArgumentException(where + ": " + key + " must be a number, got " + json(key));
        return java.util.OptionalDouble.of(n.doubleValue());
    }

    /** The JSON object under {@code key} as fields of their own, or null when absent or null; anything else is refused. */
    ConfigFields object(String key) {
        if (!has(key)) return null;
        if (!(root.get(key) instanceof Map<?, ?> inner)) throw new IllegalArgumentException(where + ": " + key + " must be a JSON object, got " + json(key));
        @SuppressWarnings("unchecked") // Json.parse makes objects with String keys
        Map<String, Object> m = (Map<String, Object>) inner;
        return new ConfigFields(m, where + " (" + key + ")");
    }

    /** The object's member names, in file order (Gemma 4's per_layer_config and rope_parameters). */
    java.util.Set<String> keys() { return java.util.Collections.unmodifiableSet(root.keySet()); }

    /** The value as parsed (Json.NULL for null), null when absent. */
    Object raw(String key) { return root.get(key); }

    /** Whether the object holds no members (Python reads an empty dict as false). */
    boolean isEmpty() { return root.isEmpty(); }

    /** A string, or null when absent or null. */
    String text(String key) {
        if (!has(key)) return null;
        if (!(root.get(key) instanceof String t)) throw new IllegalArgumentException(where + ": " + key + " must be a string, got " + json(key));
        return t;
    }

    private long positive(String key) {
        if (root.get(key) instanceof java.math.BigInteger big && big.signum() > 0) {
            throw new IllegalArgumentException(where + ": " + key + " (" + big + ") is too large: more than 2^63-1");
        }
        if (!(root.get(key) instanceof Long n)) {
            throw new IllegalArgumentException(where + ": " + key + " must be a positive integer, got " + json(key));
        }
        long v = n;
        if (v <= 0) throw new IllegalArgumentException(where + ": " + key + " must be a positive integer, got " + v);
        return v;
    }

    /** The value as the config has it, for a message: "64" (a string), 1.5, [1,2]. */
    private String json(String key) {
        return Json.write(root.get(key));
    }
}

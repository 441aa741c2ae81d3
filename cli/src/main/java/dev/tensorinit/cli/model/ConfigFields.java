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
        if (!has(key)) throw new IllegalArgumentException(where + " has no " + key);
        return positive(key);
    }

    /** A positive integer, or {@code dflt} when absent or null (the HF class default). */
    long size(String key, long dflt) {
        return has(key) ? positive(key) : dflt;
    }

    /** The first of {@code keys} that is present (HF attribute aliases, e.g. n_embd / hidden_size); all present ones must agree. */
    long sizeAlias(String... keys) {
        Long found = null;
        String foundKey = null;
        for (String k : keys) {
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

    boolean bool(String key, boolean dflt) {
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

    /** A finite number > 0, or {@code dflt} when absent or null. */
    double positiveNumber(String key, double dflt) {
        if (!has(key)) return dflt;
        if (!(root.get(key) instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() <= 0) {
            throw new IllegalArgumentException(where + ": " + key + " must be a number > 0, got " + json(key));
        }
        return n.doubleValue();
    }

    /** A string, or null when absent or null. */
    String text(String key) {
        if (!has(key)) return null;
        if (!(root.get(key) instanceof String t)) throw new IllegalArgumentException(where + ": " + key + " must be a string, got " + json(key));
        return t;
    }

    private long positive(String key) {
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

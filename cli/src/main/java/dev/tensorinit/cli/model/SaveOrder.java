package dev.tensorinit.cli.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which save_pretrained walks a model whose weights transformers converts when saving (5.x's
 * {@code revert_weight_conversion}, used for the mixture-of-experts types): the state_dict sorted by
 * {@code dot_natural_key} of the names the model holds, each converted parameter replaced in place by the tensors it
 * is saved as. That walk decides where shards are cut. Models without conversions keep registration order.
 */
final class SaveOrder {
    private SaveOrder() {}

    /**
     * transformers' {@code dot_natural_key}: split at dots; a part of digits is a number and sorts before any text part;
     * a text part with trailing digits ("shard_11") compares its text, then the digits as a number, after the same text
     * without digits. Text compares by code point, as Python's str does (names are ASCII in practice).
     */
    static final Comparator<String> NAMES = (a, b) -> {
        List<Part> x = parts(a), y = parts(b);
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            int c = x.get(i).compareTo(y.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(x.size(), y.size());
    };

    /** One dot-separated part: (0, number) or (1, text) or (1, text, number), compared as Python compares those tuples. */
    private record Part(boolean number, String text, java.math.BigInteger digits) implements Comparable<Part> {
        public int compareTo(Part o) {
            if (number != o.number) return number ? -1 : 1;
            if (number) return digits.compareTo(o.digits);
            int c = text.compareTo(o.text);   // ASCII: UTF-16 order is code point order
            if (c != 0) return c;
            if (digits == null || o.digits == null) return digits == null ? (o.digits == null ? 0 : -1) : 1;
            return digits.compareTo(o.digits);
        }
    }

    private static List<Part> parts(String name) {
        List<Part> out = new ArrayList<>();
        for (String p : name.split("\\.", -1)) {
            if (!p.isEmpty() && p.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                out.add(new Part(true, "", new java.math.BigInteger(p)));
                continue;
            }
            int end = p.length();
            while (end > 0 && p.charAt(end - 1) >= '0' && p.charAt(end - 1) <= '9') end--;
            out.add(new Part(false, p.substring(0, end), end == p.length() ? null : new java.math.BigInteger(p.substring(end))));
        }
        return out;
    }
}

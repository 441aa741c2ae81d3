package dev.tensorinit.cli.model;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON this tool reads (a model's config.json, a safetensors header) and writes (safetensors headers), strict as
 * Python's {@code json.loads}: one value and nothing after it, no comments, trailing commas or leading zeros; stricter
 * in two ways: {@code NaN} and {@code Infinity}, which Python reads (and RFC 8259 does not allow), are refused, and so
 * is a number beyond a double ({@code 1e400}, which Python reads as infinity).
 * Why not a library: Jackson's ObjectMapper cost a cold JVM 150 ms (config 115-130 ms, a shard header 35-45 ms, of a
 * 0.55 s {@code tensorinit model --dry-run}), more than the whole plan it parses for.
 *
 * <p>Values: {@link Map} (a {@link LinkedHashMap} in document order; a repeated key keeps its last value, as Python
 * and Jackson do), {@link List}, {@link String}, {@link Boolean}, {@link Long} (an integer literal that fits, else
 * {@link BigInteger}), {@link Double} (a literal with a fraction or exponent), and {@link #NULL}.
 */
public final class Json {
    private Json() {}

    /** JSON's null, as a value: a key holding null is present, unlike a missing one. */
    public static final Object NULL = new Object() {
        @Override public String toString() { return "null"; }
    };

    /** Deeper nesting is refused rather than recursed into (a hostile file must not overflow the stack). */
    static final int MAX_DEPTH = 512;

    /** A document that is not JSON; the message says what and where (line and column, 1-based). */
    public static final class SyntaxException extends IllegalArgumentException {
        SyntaxException(String message) { super(message); }
    }

    /** Parses UTF-8 bytes (a leading byte order mark is skipped). */
    public static Object parse(byte[] utf8) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new SyntaxException("not UTF-8 text");
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        return parse(text);
    }

    public static Object parse(String text) {
        Reader r = new Reader(text);
        r.skipSpace();
        if (r.pos == text.length()) throw r.error("no value (the document is empty)");
        Object v = r.value(0);
        r.skipSpace();
        if (r.pos != text.length()) throw r.error("extra data after the value");
        return v;
    }

    /**
     * {@code text}, a JSON object, with the string values of the top-level {@code keys} set to {@code value}, every
     * other byte as it was (its layout, number spellings and key order); when none of the keys is there, the first is
     * added as the object's first member, indented as its first member is. Every occurrence of a repeated key is set.
     */
    public static String withTopLevelString(String text, List<String> keys, String value) {
        return withTopLevelValue(text, keys, write(value));
    }

    /** As {@link #withTopLevelString}, with any value: {@code value} is its JSON text, {@link #write} of it for one. */
    public static String withTopLevelValue(String text, List<String> keys, String value) {
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        Reader r = new Reader(text);
        r.skipSpace();
        if (r.pos >= text.length() || text.charAt(r.pos) != '{') throw r.error("expected a JSON object");
        int open = r.pos;
        List<int[]> spans = new ArrayList<>();   // the values to replace, [start, end)
        int[] firstKey = {-1};
        r.topLevel = (keyStart, k, valueStart, valueEnd) -> {
            if (firstKey[0] < 0) firstKey[0] = keyStart;
            if (keys.contains(k)) spans.add(new int[] {valueStart, valueEnd});
        };
        r.object(0);
        r.skipSpace();
        if (r.pos != text.length()) throw r.error("extra data after the value");
        String quoted = value;
        StringBuilder b = new StringBuilder(text.length() + 32);
        if (spans.isEmpty()) {
            StringBuilder key = new StringBuilder();
            quote(key, keys.get(0));
            if (firstKey[0] < 0) return b.append(text, 0, open + 1).append(key).append(": ").append(quoted).append(text, open + 1, text.length()).toString();
            String indent = text.substring(open + 1, firstKey[0]);
            return b.append(text, 0, firstKey[0]).append(key).append(": ").append(quoted).append(',').append(indent)
                    .append(text, firstKey[0], text.length()).toString();
        }
        int at = 0;
        for (int[] span : spans) {
            b.append(text, at, span[0]).append(quoted);
            at = span[1];
        }
        return b.append(text, at, text.length()).toString();
    }

    /**
     * {@code text} (a JSON object) without its top-level member {@code key}, every other byte kept: the member goes with
     * the comma and space after it, or, for the last member, with the comma before it. Unchanged when the key is absent.
     */
    public static String withoutTopLevel(String text, String key) {
        while (true) {
            if (text.startsWith("\uFEFF")) text = text.substring(1);
            Reader r = new Reader(text);
            r.skipSpace();
            if (r.pos >= text.length() || text.charAt(r.pos) != '{') throw r.error("expected a JSON object");
            List<int[]> members = new ArrayList<>();   // [keyStart, valueEnd, is the key]
            r.topLevel = (keyStart, k, valueStart, valueEnd) -> members.add(new int[] {keyStart, valueEnd, k.equals(key) ? 1 : 0});
            r.object(0);
            r.skipSpace();
            if (r.pos != text.length()) throw r.error("extra data after the value");
            int i = 0;
            while (i < members.size() && members.get(i)[2] == 0) i++;
            if (i == members.size()) return text;
            int from, to;
            if (i + 1 < members.size()) {          // up to the next member's key
                from = members.get(i)[0];
                to = members.get(i + 1)[0];
            } else if (i > 0) {                      // the last one: from the end of the one before
                from = members.get(i - 1)[1];
                to = members.get(i)[1];
            } else {                                 // the only one
                from = members.get(i)[0];
                to = members.get(i)[1];
            }
            text = text.substring(0, from) + text.substring(to);   // (again: a key may repeat)
        }
    }

    /**
     * Compact JSON (no spaces), as the safetensors library (serde_json) writes it: non-ASCII characters as they are,
     * {@code "} and {@code \} escaped, control characters as \b \t \n \f \r or {@code \}u00xx. Writes Maps, Lists,
     * long[] and int[], Strings, Booleans, integral Numbers, finite Doubles and {@link #NULL}.
     */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        switch (v) {
            case null -> throw new IllegalArgumentException("null is written as Json.NULL");
            case String s -> quote(b, s);
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) b.append(',');
                    first = false;
                    if (!(e.getKey() instanceof String k)) throw new IllegalArgumentException("a JSON key must be a string: " + e.getKey());
                    quote(b, k);
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            }
            case List<?> l -> {
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) b.append(',');
                    write(b, l.get(i));
                }
                b.append(']');
            }
            case long[] a -> {
                b.append('[');
                for (int i = 0; i < a.length; i++) b.append(i > 0 ? "," : "").append(a[i]);
                b.append(']');
            }
            case int[] a -> {
                b.append('[');
                for (int i = 0; i < a.length; i++) b.append(i > 0 ? "," : "").append(a[i]);
                b.append(']');
            }
            case Boolean x -> b.append(x);
            case Long x -> b.append(x);
            case Integer x -> b.append(x);
            case BigInteger x -> b.append(x);
            case Double x -> {
                if (!Double.isFinite(x)) throw new IllegalArgumentException("JSON has no " + x);
                b.append(x);
            }
            default -> {
                if (v == NULL) b.append("null");
                else throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
            }
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static void quote(StringBuilder b, String s) {
        quote(b, s, false);
    }

    /**
     * {@code s} as a JSON string; with {@code asciiOnly}, every character outside printable ASCII is escaped too,
     * as Python's {@code json.dumps} (ensure_ascii) writes it, and as save_pretrained's index file has it.
     */
    static void quote(StringBuilder b, String s, boolean asciiOnly) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\f' -> b.append("\\f");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || (asciiOnly && c > 0x7e)) {
                        b.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** Recursive descent over the text; {@code pos} is the next character. */
    private static final class Reader {
        final String s;
        int pos;
        /** Told of each member of the top-level object, with its positions; null when nobody asks. */
        Members topLevel;

        interface Members {
            void member(int keyStart, String key, int valueStart, int valueEnd);
        }

        Reader(String s) { this.s = s; }

        Object value(int depth) {
            if (depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH + " levels");
            if (pos >= s.length()) throw error("unexpected end of the document");
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", NULL);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error("unexpected " + describe(c));
                }
            };
        }

        Map<String, Object> object(int depth) {
            pos++; // {
            Map<String, Object> m = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}') {
                pos++;
                return m;
            }
            while (true) {
                skipSpace();
                int keyStart = pos;
                if (peek() != '"') throw error("expected a string key, found " + describeNext());
                String k = string();
                skipSpace();
                expect(':');
                skipSpace();
                int valueStart = pos;
                m.put(k, value(depth + 1));
                if (depth == 0 && topLevel != null) topLevel.member(keyStart, k, valueStart, pos);
                skipSpace();
                char c = peek();
                pos++;
                if (c == '}') return m;
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or '}', found " + describeNext());
                }
            }
        }

        List<Object> array(int depth) {
            pos++; // [
            List<Object> l = new ArrayList<>();
            skipSpace();
            if (peek() == ']') {
                pos++;
                return l;
            }
            while (true) {
                skipSpace();
                l.add(value(depth + 1));
                skipSpace();
                char c = peek();
                pos++;
                if (c == ']') return l;
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or ']', found " + describeNext());
                }
            }
        }

        String string() {
            pos++; // "
            StringBuilder b = null;
            int start = pos;
            while (true) {
                if (pos >= s.length()) throw error("unterminated string");
                char c = s.charAt(pos);
                if (c == '"') {
                    String out = b == null ? s.substring(start, pos) : b.append(s, start, pos).toString();
                    pos++;
                    return out;
                }
                if (c < 0x20) throw error("a control character (" + describe(c) + ") inside a string");
                if (c != '\\') {
                    pos++;
                    continue;
                }
                if (b == null) b = new StringBuilder();
                b.append(s, start, pos);
                pos++;
                if (pos >= s.length()) throw error("unterminated string");
                char e = s.charAt(pos++);
                switch (e) {
                    case '"' -> b.append('"');
                    case '\\' -> b.append('\\');
                    case '/' -> b.append('/');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) throw error("a \\u escape needs 4 hex digits");
                        int v = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(s.charAt(pos + i), 16);
                            if (d < 0) throw error("a \\u escape needs 4 hex digits");
                            v = v << 4 | d;
                        }
                        pos += 4;
                        b.append((char) v);
                    }
                    default -> {
                        pos--;
                        throw error("invalid escape \\" + e);
                    }
                }
                start = pos;
            }
        }

        Object number() {
            int start = pos;
            if (peek() == '-') pos++;
            if (peek() == '0') {
                pos++;
                if (Character.isDigit(peek())) throw error("a number with a leading zero");
            } else if (!digits()) {
                throw error("a number needs digits");
            }
            boolean integral = true;
            if (peek() == '.') {
                pos++;
                integral = false;
                if (!digits()) throw error("a number needs digits after '.'");
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                integral = false;
                if (peek() == '+' || peek() == '-') pos++;
                if (!digits()) throw error("a number needs digits in its exponent");
            }
            String lit = s.substring(start, pos);
            if (!integral) {
                double d = Double.parseDouble(lit);
                if (Double.isInfinite(d)) throw error("the number " + lit + " is out of range");
                return d;
            }
            BigInteger big = new BigInteger(lit);
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }

        private boolean digits() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') pos++;
            return pos > start;
        }

        Object literal(String word, Object v) {
            if (!s.startsWith(word, pos)) throw error("unexpected " + describeNext());
            pos += word.length();
            return v;
        }

        void expect(char c) {
            if (peek() != c) throw error("expected '" + c + "', found " + describeNext());
            pos++;
        }

        /** The next character, or \0 at the end (never valid where a character is expected). */
        char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        void skipSpace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
                pos++;
            }
        }

        String describeNext() {
            return pos < s.length() ? describe(s.charAt(pos)) : "the end of the document";
        }

        static String describe(char c) {
            return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format(java.util.Locale.ROOT, "U+%04X", (int) c);
        }

        SyntaxException error(String what) {
            int line = 1, col = 1;
            for (int i = 0; i < Math.min(pos, s.length()); i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            return new SyntaxException(what + " at line " + line + ", column " + col);
        }
    }
}

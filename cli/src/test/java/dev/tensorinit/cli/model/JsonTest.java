package dev.tensorinit.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command's own JSON reader and writer, held to Jackson's reading and to the safetensors library's writing. */
class JsonTest {
    static final ObjectMapper JACKSON = new ObjectMapper();

    /** Only the named top-level string values change; nested ones, layout and number spellings stay as they were. */
    @Test void aTopLevelStringIsSetInPlace() {
        String text = "{\n  \"text_config\": {\"dtype\": \"float32\"},\n  \"dtype\" :  \"bfloat16\",\n  \"eps\": 1e-05,\n"
                + "  \"torch_dtype\": null\n}\n";
        assertEquals("{\n  \"text_config\": {\"dtype\": \"float32\"},\n  \"dtype\" :  \"float16\",\n  \"eps\": 1e-05,\n"
                + "  \"torch_dtype\": \"float16\"\n}\n", Json.withTopLevelString(text, List.of("dtype", "torch_dtype"), "float16"));
        // A repeated key: every occurrence (the last one is what a reader keeps).
        assertEquals("{\"dtype\":\"f\",\"a\":[1, 2.50],\"dtype\":\"f\"}",
                Json.withTopLevelString("{\"dtype\":1,\"a\":[1, 2.50],\"dtype\":\"x\"}", List.of("dtype"), "f"));
        // Missing: added first, indented as the first member is.
        assertEquals("{\n    \"dtype\": \"bfloat16\",\n    \"a\": 1\n}", Json.withTopLevelString("{\n    \"a\": 1\n}", List.of("dtype", "torch_dtype"), "bfloat16"));
        assertEquals("{\"dtype\": \"x\"}", Json.withTopLevelString("{}", List.of("dtype"), "x"));
        assertThrows(Json.SyntaxException.class, () -> Json.withTopLevelString("[1]", List.of("dtype"), "x"));
    }

    /** A top-level member goes with one of its commas; nested members of that name and every other byte stay. */
    @Test void aTopLevelMemberIsRemovedInPlace() {
        String text = "{\n  \"a\": 1,\n  \"quantization_config\": {\"quant_method\": \"mxfp4\", \"x\": [1, 2]},\n  \"b\": {\"quantization_config\": 2}\n}\n";
        assertEquals("{\n  \"a\": 1,\n  \"b\": {\"quantization_config\": 2}\n}\n", Json.withoutTopLevel(text, "quantization_config"));
        assertEquals("{\"a\": 1}", Json.withoutTopLevel("{\"a\": 1, \"q\": {}}", "q"), "the last member: with the comma before it");
        assertEquals("{\"a\": 1}", Json.withoutTopLevel("{\"q\": null,\"a\": 1}", "q"), "the first: with the comma after it");
        assertEquals("{}", Json.withoutTopLevel("{\"q\": 3}", "q"));
        assertEquals("{\"a\": 1}", Json.withoutTopLevel("{\"q\": 1, \"a\": 1, \"q\": 2}", "q"), "a repeated key: every occurrence");
        assertEquals("{\"a\": 1}", Json.withoutTopLevel("{\"a\": 1}", "q"));
        for (String t : List.of("{\"q\": 1, \"a\": [1, {\"q\": 2}], \"b\": \"q\"}", "{\n\t\"q\" : {\"z\": [ ]} ,\n\t\"a\":1}")) {
            assertEquals(Json.parse(t) instanceof java.util.Map<?, ?> m ? m.size() - 1 : -1,
                    ((java.util.Map<?, ?>) Json.parse(Json.withoutTopLevel(t, "q"))).size(), t);
        }
        assertThrows(Json.SyntaxException.class, () -> Json.withoutTopLevel("[1]", "q"));
    }

    /** Every config this project ships parses to the same tree as Jackson's. */
    @Test void theShippedConfigsParseAsJacksonDoes() throws Exception {
        List<Path> configs = new ArrayList<>();
        for (Path d : List.of(Path.of("src/test/resources/model"), Path.of("../scripts/hf-check/configs"))) {
            try (var s = Files.list(d)) {
                s.filter(p -> p.toString().endsWith(".json")).forEach(configs::add);
            }
        }
        assertTrue(configs.size() >= 9, "configs found: " + configs);
        for (Path p : configs) {
            byte[] b = Files.readAllBytes(p);
            assertSameTree(JACKSON.readTree(b), Json.parse(b), p.toString());
        }
    }

    @Test void valuesAndTheirTypes() {
        Object v = Json.parse("{\"i\": -12, \"big\": 123456789012345678901234567890, \"max\": 9223372036854775807, "
                + "\"d\": 1.5e-3, \"e\": 2E2, \"z\": -0.0, \"s\": \"a\\\"b\\\\c\\/d\\u00e9\\ud83d\\ude00\\n\", \"t\": true, \"f\": false, "
                + "\"n\": null, \"a\": [1, [], {}], \"o\": {\"k\": \"v\"}, \"i\": 7}");
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) v;
        assertEquals(List.of("i", "big", "max", "d", "e", "z", "s", "t", "f", "n", "a", "o"), new ArrayList<>(m.keySet()),
                "document order; a repeated key keeps its first place and its last value");
        assertEquals(7L, m.get("i"));
        assertEquals(new BigInteger("123456789012345678901234567890"), m.get("big"));
        assertEquals(Long.MAX_VALUE, m.get("max"));
        assertEquals(1.5e-3, m.get("d"));
        assertEquals(200.0, m.get("e"));
        assertEquals(-0.0, m.get("z"));
        assertEquals("a\"b\\c/d\u00e9\ud83d\ude00\n", m.get("s"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertEquals(Boolean.FALSE, m.get("f"));
        assertSame(Json.NULL, m.get("n"));
        assertEquals(List.of(1L, List.of(), Map.of()), m.get("a"));
        assertEquals(Map.of("k", "v"), m.get("o"));
    }

    /** Python's json.loads refuses these too (and Jackson all but the trailing data, which it ignores by default). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "                                 | no value (the document is empty) at line 1, column 1",
            "{\"a\": 1                        | expected ',' or '}', found the end of the document at line 1, column 8",
            "{\"a\": 1,}                      | expected a string key, found '}' at line 1, column 9",
            "[1, 2,]                          | unexpected ']' at line 1, column 7",
            "{\"a\": 01}                      | a number with a leading zero at line 1, column 8",
            "{\"a\": NaN}                     | unexpected 'N' at line 1, column 7",
            "{\"a\": 1} x                     | extra data after the value at line 1, column 10",
            "{'a': 1}                         | expected a string key, found ''' at line 1, column 2",
            "{\"a\": 1 // c\\n}               | expected ',' or '}', found '/' at line 1, column 9",
            "{\"a\": \"\\x\"}                 | invalid escape \\x at line 1, column 9",
            "{\"a\": \"\\u12\"}               | a \\u escape needs 4 hex digits at line 1, column 10",
            "{\"a\": -}                       | a number needs digits at line 1, column 8",
            "{\"a\": 1.}                      | a number needs digits after '.' at line 1, column 9",
            "{\"a\": 1e}                      | a number needs digits in its exponent at line 1, column 9",
            "{\"a\": 1e999}                   | the number 1e999 is out of range at line 1, column 12",
            "{\"a\": tru}                     | unexpected 't' at line 1, column 7",
            "{\"a\": \"x                      | unterminated string at line 1, column 9",
            "{\\n  \"a\": 1\\n  \"b\": 2\\n}  | expected ',' or '}', found '\"' at line 3, column 3",
    })
    void malformedDocumentsAreRefusedSayingWhereAndWhy(String text, String message) {
        String doc = text == null ? "" : text.replace("\\n", "\n");
        Json.SyntaxException e = assertThrows(Json.SyntaxException.class, () -> Json.parse(doc));
        assertEquals(message, e.getMessage());
    }

    @Test void controlCharactersInStringsAndBadUtf8AreRefused() {
        assertEquals("a control character (U+0009) inside a string at line 1, column 4",
                assertThrows(Json.SyntaxException.class, () -> Json.parse("[\"a\tb\"]")).getMessage());
        byte[] latin1 = {'[', '"', (byte) 0xe9, '"', ']'};
        assertEquals("not UTF-8 text", assertThrows(Json.SyntaxException.class, () -> Json.parse(latin1)).getMessage());
        byte[] bom = "\uFEFF{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
        assertEquals(Map.of("a", 1L), Json.parse(bom), "a byte order mark is skipped");
    }

    /** A hostile file cannot overflow the stack: deep nesting is an ordinary error. */
    @Test void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertTrue(assertThrows(Json.SyntaxException.class, () -> Json.parse(deep)).getMessage().startsWith("nested deeper than 512 levels"));
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Json.parse(ok);
    }

    /**
     * The writer's output is what Jackson (this project's writer before) wrote for the same header, byte for byte,
     * for printable names; and it reads back as the same tree, for random names of any characters.
     */
    @Test void writesSafetensorsHeadersAsJacksonDid() throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 2000; i++) {
            Map<String, Object> root = new LinkedHashMap<>();
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("format", "pt");
            meta.put("tensorinit_seed", Long.toUnsignedString(r.nextLong()));
            root.put("__metadata__", meta);
            boolean printable = i % 2 == 0;
            for (int t = 0; t < 3; t++) {
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("dtype", "BF16");
                info.put("shape", new long[] {r.nextLong(1, 1L << 40), r.nextInt(1, 9)});
                long end = r.nextLong(0, Long.MAX_VALUE);
                info.put("data_offsets", List.of(0L, end));
                root.put(name(r, printable), info);
            }
            String ours = Json.write(root);
            if (printable) assertEquals(JACKSON.writeValueAsString(root), ours);
            assertSameTree(JACKSON.readTree(ours), Json.parse(ours), ours);
            assertEquals(root.keySet(), ((Map<?, ?>) Json.parse(ours)).keySet());
        }
    }

    /** Escapes as serde_json (the safetensors library) and Python's json.dumps write them: lower-case hex. */
    @Test void escapes() {
        assertEquals("\"q\\\"b\\\\s/ \\b\\t\\n\\f\\r\\u0000\\u001f\u007f\u00e9\ud83d\ude00\"",
                Json.write("q\"b\\s/ \b\t\n\f\r\u0000\u001f\u007f\u00e9\ud83d\ude00"));
        assertEquals("[1,-2,3]", Json.write(new long[] {1, -2, 3}));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", Json.NULL);
        m.put("b", List.of(true, 1.5));
        assertEquals("{\"a\":null,\"b\":[true,1.5]}", Json.write(m));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }

    private static String name(SplittableRandom r, boolean printable) {
        StringBuilder b = new StringBuilder("model.layers.");
        int n = r.nextInt(1, 12);
        for (int i = 0; i < n; i++) {
            b.append(printable ? (char) r.nextInt(0x20, 0x7f) : (char) r.nextInt(0, 0xd800));
        }
        return b.toString();
    }

    /** Jackson's tree and ours hold the same values: objects (same keys, any order), arrays, strings, numbers, literals. */
    static void assertSameTree(JsonNode j, Object o, String where) {
        switch (j.getNodeType()) {
            case OBJECT -> {
                Map<?, ?> m = (Map<?, ?>) o;
                assertEquals(j.size(), m.size(), where);
                for (Iterator<Map.Entry<String, JsonNode>> it = j.fields(); it.hasNext(); ) {
                    var e = it.next();
                    assertTrue(m.containsKey(e.getKey()), where + ": " + e.getKey());
                    assertSameTree(e.getValue(), m.get(e.getKey()), where + "." + e.getKey());
                }
            }
            case ARRAY -> {
                List<?> l = (List<?>) o;
                assertEquals(j.size(), l.size(), where);
                for (int i = 0; i < l.size(); i++) assertSameTree(j.get(i), l.get(i), where + "[" + i + "]");
            }
            case STRING -> assertEquals(j.textValue(), o, where);
            case BOOLEAN -> assertEquals(j.booleanValue(), o, where);
            case NULL -> assertSame(Json.NULL, o, where);
            case NUMBER -> {
                if (j.isIntegralNumber()) {
                    assertEquals(j.bigIntegerValue(), o instanceof Long l ? BigInteger.valueOf(l) : o, where);
                    if (j.canConvertToLong()) assertEquals(Long.class, o.getClass(), where);
                } else {
                    assertEquals(j.doubleValue(), o, where);
                }
            }
            default -> throw new AssertionError(where + ": " + j.getNodeType());
        }
    }
}

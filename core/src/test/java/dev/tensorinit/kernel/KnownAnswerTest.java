package dev.tensorinit.kernel;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.Inits;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.Streams;
import dev.tensorinit.testing.Conformance;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The known-answer vectors of the contract, read from docs/known-answers.tsv (the file the document
 * points re-implementers to): every line's bits must be the reference's. A change to any of them is a
 * change of the contract, and of every user's values, never a refactoring.
 */
class KnownAnswerTest {
    static final Path FILE = Path.of("..", "docs", "known-answers.tsv");

    static List<String> lines() throws IOException {
        return Files.readAllLines(FILE).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    @Test
    void theFileCoversEveryKindAndDtype() throws IOException {
        List<String> lines = lines();
        assertTrue(lines.size() >= 25, "only " + lines.size() + " vectors in " + FILE);
        for (DType dt : DType.values()) {
            assertTrue(lines.stream().anyMatch(l -> l.split("\t")[4].equals(dt.id())), "no " + dt.id() + " vector");
        }
        for (String init : List.of("xavier_uniform", "normal", "trunc_normal", "glorot_normal", "kaiming_uniform", "constant", "log_of_uniform")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(init + "\t")), "no " + init + " vector");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyVectorHoldsOnTheReference() throws IOException {
        return lines().stream().map(line -> DynamicTest.dynamicTest(line.substring(0, line.lastIndexOf('\t')), () -> check(line)));
    }

    private static void check(String line) {
        String[] c = line.split("\t");
        assertEquals(9, c.length, "9 tab-separated columns: " + line);
        Map<String, String> params = new LinkedHashMap<>();
        if (!c[1].equals("-")) {
            for (String kv : c[1].split(",")) params.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        DType dt = DType.parse(c[4]);
        long stream = c[6].startsWith("name:") ? Streams.ofName(c[6].substring(5)) : Long.parseLong(c[6]);
        String[] bits = c[8].trim().split(" ");
        long first = Long.parseLong(c[7]);
        FillRequest r = new FillRequest(Shape.parse(c[2]), Layout.parse(c[3]), Inits.create(c[0], params), dt,
                Long.parseLong(c[5]), stream, Region.range(first, first + bits.length));
        MemorySegment s = MemorySegment.ofArray(Conformance.referenceBytes(r));
        StringBuilder actual = new StringBuilder();
        for (int i = 0; i < bits.length; i++) {
            if (i > 0) actual.append(' ');
            actual.append(String.format(Locale.ROOT, "%0" + (dt.bytes() * 2) + "x", Conformance.bits(s, dt, i)));
        }
        assertEquals(c[8].trim(), actual.toString(), line);
    }
}

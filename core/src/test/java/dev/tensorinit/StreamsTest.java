package dev.tensorinit;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Streams.ofName = first 8 bytes of SHA-256(UTF-8 name), little-endian. */
class StreamsTest {

    /** Independent little-endian read: reverse the 8 bytes, read as a big-endian unsigned number. */
    private static long expected(String name) throws Exception {
        byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
        byte[] be = new byte[9];
        for (int i = 0; i < 8; i++) be[8 - i] = h[i];
        return new BigInteger(be).longValue();
    }

    @Test
    void matchesSha256LittleEndian() throws Exception {
        for (String n : new String[] {"a", "layer.0.weight", "encoder.embed_tokens.weight", "Ünïcødé·名前", "x".repeat(1000)}) {
            assertEquals(expected(n), Streams.ofName(n), n);
        }
    }

    @Test
    void pinnedValue() {
        // SHA-256("abc") = ba7816bf 8f01cfea ...: little-endian first 8 bytes = 0xeacf018fbf1678ba.
        assertEquals(0xeacf018fbf1678baL, Streams.ofName("abc"));
    }

    @Test
    void distinctNamesDistinctStreams() {
        assertNotEquals(Streams.ofName("layers.0.wq"), Streams.ofName("layers.0.wk"));
        assertEquals(Streams.ofName("layers.0.wq"), FillRequest.of(Shape.of(2, 2), InitSpec.zeros()).withName("layers.0.wq").stream());
    }

    @Test
    void rejectsEmptyAndNull() {
        assertThrows(IllegalArgumentException.class, () -> Streams.ofName(""));
        assertThrows(NullPointerException.class, () -> Streams.ofName(null));
    }
}

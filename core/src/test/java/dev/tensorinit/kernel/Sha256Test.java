package dev.tensorinit.kernel;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class Sha256Test {
    private static String hex(String s) {
        return HexFormat.of().formatHex(Sha256.digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** FIPS 180-4 examples (NIST's SHA256.pdf) and the empty message. */
    @Test
    void knownAnswers() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex(""));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex("abc"));
        assertEquals("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
        assertEquals("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", hex("a".repeat(1_000_000)));
    }

    /** Every length from 0 to 300 bytes (each padding case: 55, 56, 63, 64 bytes into a block), random contents. */
    @Test
    void matchesMessageDigestAtEveryLengthAcrossBlockBoundaries() throws Exception {
        SplittableRandom rnd = new SplittableRandom(7);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int len = 0; len <= 300; len++) {
            for (int rep = 0; rep < 4; rep++) {
                byte[] b = new byte[len];
                for (int i = 0; i < len; i++) b[i] = (byte) rnd.nextInt();
                assertArrayEquals(md.digest(b), Sha256.digest(b), "length " + len);
            }
        }
    }
}

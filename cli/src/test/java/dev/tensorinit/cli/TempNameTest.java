package dev.tensorinit.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TempNameTest {

    private static int utf8(String s) { return s.getBytes(StandardCharsets.UTF_8).length; }

    @Test void shortNamesAreKeptWholeAndCarryThePid() {
        String t = TempName.create("w.npy", 4242);
        assertTrue(t.matches("\\.w\\.npy\\.tensorinit-4242-[0-9a-f]{8}\\.tmp"), t);
        assertEquals(Optional.of(4242L), TempName.pid(t));
    }

    /** Under a locale with its own digits (fa-IR) the pid was written in them, and pid() could not read it back. */
    @Test void thePidIsWrittenInAsciiDigitsUnderAnyLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            for (String tag : new String[] {"fa-IR", "ar-EG", "mr-IN"}) {
                java.util.Locale.setDefault(java.util.Locale.forLanguageTag(tag + "-u-nu-native"));
                String t = TempName.create("w.npy", 20604);
                assertEquals(Optional.of(20604L), TempName.pid(t), tag + ": " + t);
            }
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test void longNamesAreShortenedToFitAFileName() {
        for (String name : new String[] {"w".repeat(255), "w".repeat(240) + ".npy", "\u00e9".repeat(127), "\ud83d\ude00".repeat(63)}) {
            String t = TempName.create(name, Long.MAX_VALUE);
            assertTrue(utf8(t) <= 255, utf8(t) + " bytes: " + t);
            assertTrue(utf8(t) >= 250, "uses the room there is: " + utf8(t));
            assertEquals(Optional.of(Long.MAX_VALUE), TempName.pid(t));
            String kept = t.substring(1, t.indexOf(".tensorinit-"));
            assertTrue(name.startsWith(kept), "a prefix of whole characters: " + kept);
        }
    }

    @Test void otherNamesAreNotOurs() {
        for (String other : new String[] {".w.npy.12345.tmp", "w.npy.tensorinit-12-0123abcd.tmp", ".w.tensorinit-12-0123abcd.tmp.bak",
                ".w.tensorinit-x-0123abcd.tmp", ".w.tensorinit-12-0123ABCD.tmp"}) {
            assertEquals(Optional.empty(), TempName.pid(other), other);
        }
    }

    @Test void truncationNeverSplitsACharacter() {
        assertEquals("ab", TempName.truncateUtf8("ab\u00e9", 3));
        assertEquals("ab\u00e9", TempName.truncateUtf8("ab\u00e9", 4));
        assertEquals("", TempName.truncateUtf8("\ud83d\ude00", 3));
    }
}

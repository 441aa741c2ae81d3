package dev.tensorinit.testing;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The extreme cases the contract suite runs on every backend hold on the reference itself. */
class ExtremeInitsTest {
    @Test
    void everyReferenceValueIsFiniteAndInsideTheSupport() {
        assertTrue(ExtremeInits.cases().size() >= 20);
        for (Conformance.Case c : ExtremeInits.cases()) {
            try (Arena arena = Arena.ofShared()) {
                MemorySegment ref = Conformance.reference(c.request(), arena);
                Support.assertInside(c.request(), ref);
            }
        }
    }
}

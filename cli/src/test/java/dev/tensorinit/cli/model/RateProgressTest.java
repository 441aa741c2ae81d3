package dev.tensorinit.cli.model;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateProgressTest {

    /**
     * clear() takes a drawn bar off its line, so that a report line printed next on the same terminal starts clean (a
     * "wrote" line was glued to the bar's text), and a bar that is off its line is not ended with an empty line.
     */
    @Test
    void clearTakesTheBarOffItsLine() throws InterruptedException {
        StringWriter text = new StringWriter();
        RateProgress p = new RateProgress(new PrintWriter(text), true, 100);
        p.clear();
        assertEquals("", text.toString(), "nothing drawn, nothing to clear");
        Thread.sleep(1_100);   // the bar shows from the second second on
        p.advance(40);
        String bar = text.toString();
        assertTrue(bar.startsWith("\rwrite [") && bar.contains(" 40.0%"), bar);
        p.clear();
        String cleared = text.toString().substring(bar.length());
        assertEquals("\r" + " ".repeat(bar.length() - 1) + "\r", cleared);
        p.finish();
        assertEquals(bar + cleared, text.toString(), "cleared: finish adds no empty line");

        StringWriter shown = new StringWriter();
        RateProgress q = new RateProgress(new PrintWriter(shown), true, 100);
        Thread.sleep(1_100);
        q.advance(100);
        q.finish();
        assertTrue(shown.toString().endsWith(System.lineSeparator()), "a bar still showing ends its line");
    }
}

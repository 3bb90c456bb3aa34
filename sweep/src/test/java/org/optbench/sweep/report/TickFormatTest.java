package org.optbench.sweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TickFormatTest {

    @Test
    void ticksReadAsPeopleWriteLearningRates() {
        assertEquals("0.001", TickFormat.text(1e-3));
        assertEquals("0.0316", TickFormat.text(0.0316227766));
        assertEquals("1", TickFormat.text(1.0));
        assertEquals("10", TickFormat.text(10.0));
        assertEquals("3160", TickFormat.text(3162.2776));
        assertEquals("1e-5", TickFormat.text(1e-5));
        assertEquals("3.16e-4", TickFormat.text(3.16227766e-4));
        assertEquals("1e4", TickFormat.text(1e4));
        assertEquals("-0.5", TickFormat.text(-0.5));
        assertEquals("0", TickFormat.text(0));
        assertEquals("0.001", new TickFormat().format(1e-3), "as the axis calls it");
    }
}

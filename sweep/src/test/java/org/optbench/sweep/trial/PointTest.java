package org.optbench.sweep.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optbench.sweep.SweepSpecParser;
import org.optbench.train.run.RunKeys;
import org.optbench.train.run.RunSpec;
import org.optbench.sweep.error.SweepSpecException;

class PointTest {

    @Test
    void aValueIsTypedByItsTextAndKeepsIt() {
        SweptValue lr = SweptValue.of(1.0e-2);
        assertInstanceOf(SweptValue.Number.class, lr);
        assertEquals("0.01", lr.text(), "a YAML double is written as Java writes it, as every version stored it");
        assertEquals(0.01, lr.asNumber());
        assertEquals(0.01, ((Number) lr.setting()).doubleValue());
        assertEquals("0.01", lr.setting().toString());
        assertEquals("1e3", SweptValue.parse("1e3").setting().toString(), "a name that looks like a number stays as written");
        assertEquals("01", SweptValue.parse("01").setting().toString());
        RunSpec named = RunKeys.applyAll(RunSpec.builder(), Point.of("data", "01").settings()).build();
        assertEquals(java.nio.file.Path.of("01"), named.data().path(), "data set 01, not 1");
        SweptValue written = SweptValue.parse("1e-3");
        assertEquals("1e-3", written.text(), "the text is kept, so a stored key still matches");
        assertEquals(SweptValue.parse("0.001"), written, "numbers are equal by value");
        assertEquals(SweptValue.parse("0.001").hashCode(), written.hashCode());
        assertEquals(SweptValue.parse("100").hashCode(), SweptValue.parse("1.0e2").hashCode());
        assertEquals(new SweptValue.Flag(true), SweptValue.of(true));
        assertEquals(new SweptValue.Word("opencl:0:1"), SweptValue.parse("opencl:0:1"));
        assertInstanceOf(SweptValue.Word.class, SweptValue.parse("NaN"), "not a decimal number");
        assertInstanceOf(SweptValue.Word.class, SweptValue.parse("1f"));
        assertTrue(Double.isNaN(SweptValue.parse("cpu").asNumber()));
        assertEquals(List.of(SweptValue.parse("1e-4"), SweptValue.parse("0.01"), SweptValue.parse("false"),
                SweptValue.parse("cpu")), List.of(SweptValue.parse("cpu"), SweptValue.parse("false"), SweptValue.parse("0.01"),
                SweptValue.parse("1e-4")).stream().sorted().toList(), "numbers by value, then switches, then words");
        assertThrows(IllegalArgumentException.class, () -> SweptValue.of(List.of(1, 2)));
    }

    @Test
    void aPointHasOneStoreTextThatReadsBackEqual() {
        Map<String, SweptValue> values = new LinkedHashMap<>();
        values.put("lr", SweptValue.of(3.16e-4));
        values.put("batch", SweptValue.of(32));
        values.put("qk_norm", SweptValue.of(false));
        values.put("device", SweptValue.of("cpu"));
        Point p = Point.of(values);
        assertEquals("{\"lr\":\"3.16E-4\",\"batch\":\"32\",\"qk_norm\":\"false\",\"device\":\"cpu\"}", p.storeText());
        assertEquals("{batch=32, device=cpu, lr=3.16E-4, qk_norm=false}", p.key(), "keys in order, as TreeMap wrote them");
        Point back = Point.parse(p.storeText());
        assertEquals(p, back);
        assertEquals(p.storeText(), back.storeText());
        assertEquals(List.of("lr", "batch", "qk_norm", "device"), back.keyList());
        assertEquals(3.16e-4, back.number("lr"));
        assertTrue(Double.isNaN(back.number("beta1")));
        assertTrue(back.contains(Point.of("lr", "0.000316")));
        assertFalse(back.contains(Point.of("lr", "0.001")));
        assertEquals(p.without("device").with("device", SweptValue.parse("cpu")), p, "order does not make points differ");
        assertNotEquals(p, p.without("device"));
        assertEquals("lr=3.16E-4 batch=32 qk_norm=false device=cpu", p.label());
        assertThrows(IllegalArgumentException.class, () -> Point.parse("[1]"));
        assertThrows(IllegalArgumentException.class, () -> Point.parse("{"));
    }

    @Test
    void aSpecThatSweepsAListIsRefusedWhereItIsRead() {
        SweepSpecException e = assertThrows(SweepSpecException.class, () -> SweepSpecParser.parse("""
                name: lists
                steps: 10
                parameters:
                  optimizer: {values: [adamw]}
                  lr: {values: [[0.1, 0.2]]}
                """, "lists.yaml"));
        assertTrue(e.getMessage().contains("lists.yaml: parameters.lr.values: a swept value must be a number"), e.getMessage());
    }
}

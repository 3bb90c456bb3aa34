package org.optbench.sweep.trial;

/**
 * A swept number as a run setting receives it: a {@link java.lang.Number} whose value is exactly
 * that of the decimal it was written as and whose text is that decimal as written. Numeric settings
 * read the value (as the double or float of the text, so a run from a stored point trains exactly
 * as the one from the spec), and settings that take a name (a data set called {@code 01}) read the
 * text unchanged.
 */
final class Decimal extends java.lang.Number {

    private static final long serialVersionUID = 1L;

    private final String text;

    Decimal(String text) {
        this.text = text;
    }

    @Override
    public double doubleValue() {
        return Double.parseDouble(text);
    }

    @Override
    public float floatValue() {
        return Float.parseFloat(text);
    }

    @Override
    public long longValue() {
        return new java.math.BigDecimal(text).longValue();
    }

    @Override
    public int intValue() {
        return (int) longValue();
    }

    @Override
    public String toString() {
        return text;
    }
}

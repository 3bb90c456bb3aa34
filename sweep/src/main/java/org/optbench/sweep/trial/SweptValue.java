package org.optbench.sweep.trial;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * One value of a swept setting, typed once where it enters: a number (kept exactly as the decimal
 * it was written as, so {@code 1e-3} and {@code 0.001} are the same number), a switch, or a word
 * (a device, a preset, a data set). Every value keeps the text it was written as; that text is
 * what the trial store holds and what a resumed sweep matches, and parsing it again gives the
 * same value. Numbers reach the run's settings with the text they were written as (see
 * {@link Decimal}), so a run built from a stored value trains exactly as the one built from the
 * spec, and a name that looks like a number stays the name.
 */
public sealed interface SweptValue extends Comparable<SweptValue> {

    /** How the store and the reports write the value. */
    String text();

    /**
     * The value handed to the run's settings: a number as a {@link java.lang.Number} whose text is
     * the one written, a Boolean, or a String.
     */
    Object setting();

    /** A number, kept as the exact decimal of its text. */
    record Number(BigDecimal value, String text) implements SweptValue {

        public double asDouble() {
            return value.doubleValue();
        }

        @Override
        public Object setting() {
            return new Decimal(text);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Number n && value.compareTo(n.value) == 0;
        }

        @Override
        public int hashCode() {
            return value.signum() == 0 ? 0 : value.stripTrailingZeros().hashCode();
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** A switch: {@code true} or {@code false}. */
    record Flag(boolean value) implements SweptValue {

        @Override
        public String text() {
            return Boolean.toString(value);
        }

        @Override
        public Object setting() {
            return value;
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /** Anything else: a device, a preset, a path, a schedule's name. */
    record Word(String text) implements SweptValue {

        @Override
        public Object setting() {
            return text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * The value of {@code raw} as a spec gives it (a YAML scalar: Number, Boolean or String), typed
     * by its text: a decimal number is a number, {@code true} and {@code false} a switch, the rest
     * a word. A list or a map is not a value a sweep can take.
     */
    static SweptValue of(Object raw) {
        if (raw instanceof List<?> || raw instanceof Map<?, ?> || raw == null) {
            throw new IllegalArgumentException("a swept value must be a number, true/false or a word, not " + raw);
        }
        return parse(String.valueOf(raw));
    }

    /** The value whose text is {@code text}: the inverse of {@link #text()}. */
    static SweptValue parse(String text) {
        if (text.equals("true") || text.equals("false")) {
            return new Flag(Boolean.parseBoolean(text));
        }
        BigDecimal number = decimal(text);
        return number != null ? new Number(number, text) : new Word(text);
    }

    private static BigDecimal decimal(String text) {
        if (text.isEmpty() || !(Character.isDigit(text.charAt(text.length() - 1)) || text.endsWith("."))) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Whether this is a number. */
    default boolean isNumber() {
        return this instanceof Number;
    }

    /** The number's value; NaN for a switch or a word. */
    default double asNumber() {
        return this instanceof Number n ? n.asDouble() : Double.NaN;
    }

    /** Numbers by value before switches before words, each in its natural order. */
    @Override
    default int compareTo(SweptValue o) {
        int rank = Integer.compare(rank(this), rank(o));
        if (rank != 0) {
            return rank;
        }
        if (this instanceof Number a && o instanceof Number b) {
            return a.value().compareTo(b.value());
        }
        return text().compareTo(o.text());
    }

    private static int rank(SweptValue v) {
        return v instanceof Number ? 0 : v instanceof Flag ? 1 : 2;
    }
}

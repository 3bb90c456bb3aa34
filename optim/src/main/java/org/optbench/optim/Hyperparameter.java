package org.optbench.optim;

import java.util.List;
import java.util.Locale;

/**
 * One hyperparameter an optimizer accepts: its name (the same in rule files, sweep specs and CLI
 * flags), its default, and the values it may take. {@link #parse} turns a value from a file or a
 * flag into the checked Java value, or fails with the name, the value and the valid range.
 *
 * @param name       e.g. {@code beta1}
 * @param defaultValue Float, Boolean or String
 * @param min        lowest number allowed (numbers only)
 * @param minOpen    whether {@code min} itself is excluded
 * @param max        highest number allowed (numbers only)
 * @param maxOpen    whether {@code max} itself is excluded
 * @param choices    allowed words (strings only), else empty
 */
public record Hyperparameter(String name, Object defaultValue, double min, boolean minOpen, double max,
                             boolean maxOpen, List<String> choices) {

    public static Hyperparameter number(String name, double defaultValue, double min, boolean minOpen, double max,
                                        boolean maxOpen) {
        return new Hyperparameter(name, (float) defaultValue, min, minOpen, max, maxOpen, List.of());
    }

    public static Hyperparameter flag(String name, boolean defaultValue) {
        return new Hyperparameter(name, defaultValue, 0, false, 0, false, List.of());
    }

    public static Hyperparameter choice(String name, String defaultValue, String... choices) {
        return new Hyperparameter(name, defaultValue, 0, false, 0, false, List.of(choices));
    }

    /** The checked value of {@code raw} (a Number, Boolean or String from a file or a flag). */
    public Object parse(Object raw) {
        if (defaultValue instanceof Float) {
            double v;
            if (raw instanceof Number n) {
                v = n.doubleValue();
            } else {
                try {
                    v = Double.parseDouble(String.valueOf(raw).trim());
                } catch (NumberFormatException e) {
                    throw new HyperparameterException("invalid " + name + " '" + raw + "': not a number");
                }
            }
            boolean ok = Double.isFinite(v) && (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
            if (!ok) {
                throw new HyperparameterException("invalid " + name + " " + format(v) + ": must lie in "
                        + (minOpen ? "(" : "[") + format(min) + ", " + format(max) + (maxOpen ? ")" : "]"));
            }
            return (float) v;
        }
        if (defaultValue instanceof Boolean) {
            if (raw instanceof Boolean b) {
                return b;
            }
            String s = String.valueOf(raw).trim().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("false")) {
                return Boolean.parseBoolean(s);
            }
            throw new HyperparameterException("invalid " + name + " '" + raw + "': must be true or false");
        }
        String s = String.valueOf(raw).trim();
        if (!choices.contains(s)) {
            throw new HyperparameterException("invalid " + name + " '" + raw + "': must be one of " + choices);
        }
        return s;
    }

    private static String format(double v) {
        if (v == Double.MAX_VALUE) {
            return "inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}

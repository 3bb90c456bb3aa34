package org.optbench.optim.hyperparameter;

import java.util.List;
import java.util.Locale;

/**
 * One hyperparameter an optimizer accepts: its name (the same in rule files, sweep specs, config
 * files and CLI flags), what it does, its default, and the values it may take. {@link #convert}
 * turns a value from a file or a flag into its Java type (Double, Boolean or String) at the edge
 * where input enters; {@link #parse} also checks the range (and that a step count is whole) and
 * gives the float the kernels use. Both fail with the name, the value and what is valid. A switch
 * may exclude another hyperparameter of its optimizer ({@code tie_betas} sets beta2 itself, so a
 * given beta2 is an error): the rule is part of the declaration, checked by {@link #checkExcluded}.
 *
 * @param name         e.g. {@code beta1}
 * @param description  one line for help texts
 * @param defaultValue Float, Boolean or String
 * @param min          lowest number allowed (numbers only)
 * @param minOpen      whether {@code min} itself is excluded
 * @param max          highest number allowed (numbers only)
 * @param maxOpen      whether {@code max} itself is excluded
 * @param choices      allowed words (strings only), else empty
 * @param whole        whether a number must be a whole number (a step count)
 * @param excludes     for a switch: the hyperparameter it sets itself when true, which may then not
 *                     be given; else null
 */
public record Hyperparameter(String name, String description, Object defaultValue, double min, boolean minOpen,
                             double max, boolean maxOpen, List<String> choices, boolean whole, String excludes) {

    public Hyperparameter {
        choices = List.copyOf(choices);
    }

    public static Hyperparameter number(String name, String description, double defaultValue, double min, boolean minOpen,
                                        double max, boolean maxOpen) {
        return new Hyperparameter(name, description, (float) defaultValue, min, minOpen, max, maxOpen, List.of(), false,
                null);
    }

    /** A whole number of steps in [min, max]. */
    public static Hyperparameter count(String name, String description, long defaultValue, long min, long max) {
        return new Hyperparameter(name, description, (float) defaultValue, min, false, max, false, List.of(), true, null);
    }

    public static Hyperparameter flag(String name, String description, boolean defaultValue) {
        return new Hyperparameter(name, description, defaultValue, 0, false, 0, false, List.of(), false, null);
    }

    public static Hyperparameter choice(String name, String description, String defaultValue, String... choices) {
        return new Hyperparameter(name, description, defaultValue, 0, false, 0, false, List.of(choices), false, null);
    }

    /** This switch, which when true sets {@code other} itself, so that a given {@code other} is an error. */
    public Hyperparameter excluding(String other) {
        if (!isFlag()) {
            throw new IllegalStateException(name + " is not a switch");
        }
        return new Hyperparameter(name, description, defaultValue, min, minOpen, max, maxOpen, choices, whole, other);
    }

    /** Whether {@code other} is the same setting: the same name, type, range and choices (descriptions and defaults may differ). */
    public boolean sameSetting(Hyperparameter other) {
        return name.equals(other.name) && defaultValue.getClass() == other.defaultValue.getClass() && min == other.min
                && minOpen == other.minOpen && max == other.max && maxOpen == other.maxOpen && choices.equals(other.choices)
                && whole == other.whole;
    }

    /**
     * Fails when this switch is on in {@code values} while the hyperparameter it excludes is among
     * the {@code given} values.
     */
    public void checkExcluded(HyperparameterValues values, java.util.Map<String, ?> given) {
        if (excludes != null && values.flag(name) && given.containsKey(excludes)) {
            throw new HyperparameterException(name + " sets " + excludes + " itself, so the given " + excludes + " "
                    + given.get(excludes) + " would be ignored; remove " + excludes + " or " + name);
        }
    }

    public boolean isNumber() {
        return defaultValue instanceof Float;
    }

    public boolean isFlag() {
        return defaultValue instanceof Boolean;
    }

    /** How a value is written in help texts: NUMBER, true|false, or the choices. */
    public String valueLabel() {
        return isNumber() ? "NUMBER" : isFlag() ? "true|false" : String.join("|", choices);
    }

    /** The valid values in words, e.g. {@code (0, 1)} or {@code one of [torch, paper]}. */
    public String range() {
        if (isNumber()) {
            return (minOpen ? "(" : "[") + format(min) + ", " + format(max) + (maxOpen ? ")" : "]");
        }
        return isFlag() ? "true or false" : "one of " + choices;
    }

    /**
     * {@code raw} (a Number, Boolean or String from a file or a flag) as this hyperparameter's
     * type: a finite Double, a Boolean or one of the choices. Ranges are checked by {@link #parse}.
     */
    public Object convert(Object raw) {
        if (isNumber()) {
            double v;
            if (raw instanceof Number n) {
                v = n.doubleValue();
            } else {
                try {
                    v = Double.parseDouble(String.valueOf(raw).trim());
                } catch (NumberFormatException e) {
                    throw new HyperparameterException("invalid " + name + " '" + raw + "': not a number; give a value in "
                            + range());
                }
            }
            if (!Double.isFinite(v)) {
                throw new HyperparameterException("invalid " + name + " " + raw + ": must be a finite value in " + range());
            }
            return v;
        }
        if (isFlag()) {
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

    /** The checked value of {@code raw}: a Float in range, a Boolean or a choice. */
    public Object parse(Object raw) {
        Object v = convert(raw);
        if (!isNumber()) {
            return v;
        }
        double d = (Double) v;
        boolean ok = (minOpen ? d > min : d >= min) && (maxOpen ? d < max : d <= max);
        if (!ok) {
            throw new HyperparameterException("invalid " + name + " " + format(d) + ": must lie in " + range());
        }
        if (whole && d != Math.rint(d)) {
            throw new HyperparameterException("invalid " + name + " " + format(d) + ": a step count must be a whole number");
        }
        return (float) d;
    }

    private static String format(double v) {
        if (v == Double.MAX_VALUE) {
            return "inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}

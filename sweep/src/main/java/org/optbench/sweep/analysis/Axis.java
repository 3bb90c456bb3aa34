package org.optbench.sweep.analysis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A swept setting the analysis runs along: its run key ({@code lr}, {@code beta1}, {@code batch},
 * {@code device}), its scale and its values in order. Numbers spanning at least a decade, all
 * positive, are on a log scale (widths in decades), and so are learning rates and eps; other
 * numbers are linear (widths in the setting's own units); anything else (devices, presets,
 * switches) is a category, with no widths. A trial that does not set the key sits at
 * {@value #DEFAULT}.
 *
 * @param name   the run key
 * @param scale  how values are placed
 * @param values the values in axis order, as written in the spec
 */
public record Axis(String name, Scale scale, List<String> values) {

    /** How an axis places its values. */
    public enum Scale { LOG, LINEAR, CATEGORY }

    /** The value of a trial that leaves the key to its default. */
    public static final String DEFAULT = "default";

    public Axis {
        values = List.copyOf(values);
    }

    /** The axis of {@code name} through {@code values}, its scale chosen from the values. */
    public static Axis of(String name, Collection<String> values) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(values));
        boolean numeric = distinct.stream().allMatch(Axis::isNumber);
        if (!numeric) {
            distinct.sort(Comparator.naturalOrder());
            return new Axis(name, Scale.CATEGORY, distinct);
        }
        distinct.sort(Comparator.comparingDouble(Double::parseDouble));
        double min = Double.parseDouble(distinct.get(0));
        double max = Double.parseDouble(distinct.get(distinct.size() - 1));
        boolean log = min > 0 && (max / min >= 10 || name.startsWith("lr") || name.equals("eps"));
        return new Axis(name, log ? Scale.LOG : Scale.LINEAR, distinct);
    }

    private static boolean isNumber(String s) {
        try {
            return Double.isFinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Where {@code value} sits: log10 of it on a log axis, itself on a linear one, its index in a category. */
    public double coordinate(String value) {
        return switch (scale) {
            case LOG -> Math.log10(Double.parseDouble(value));
            case LINEAR -> Double.parseDouble(value);
            case CATEGORY -> values.indexOf(value);
        };
    }

    /** The value as a number (its index for a category). */
    public double number(String value) {
        return scale == Scale.CATEGORY ? values.indexOf(value) : Double.parseDouble(value);
    }

    /** Whether widths and excess loss along this axis mean something. */
    public boolean numeric() {
        return scale != Scale.CATEGORY;
    }

    /** The unit of a width along this axis. */
    public String widthUnit() {
        return switch (scale) {
            case LOG -> "decades";
            case LINEAR -> name + " units";
            case CATEGORY -> "";
        };
    }

    /** A name safe in a file name: {@code loss_vs_<name>}. */
    public String fileName() {
        return "loss_vs_" + name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}

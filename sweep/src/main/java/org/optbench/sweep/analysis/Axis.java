package org.optbench.sweep.analysis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.SweptValue;

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
 * @param values the values in axis order (numbers equal in value are one value)
 */
public record Axis(String name, Scale scale, List<SweptValue> values) {

    /** How an axis places its values. */
    public enum Scale { LOG, LINEAR, CATEGORY }

    /** The value of a trial that leaves the key to its default. */
    public static final SweptValue DEFAULT = SweptValue.parse("default");

    public Axis {
        values = List.copyOf(values);
    }

    /** The axis of {@code name} through {@code values}, its scale chosen from the values. */
    public static Axis of(String name, Collection<SweptValue> values) {
        List<SweptValue> distinct = new ArrayList<>(new LinkedHashSet<>(values));
        distinct.sort(Comparator.naturalOrder());
        if (!distinct.stream().allMatch(SweptValue::isNumber)) {
            return new Axis(name, Scale.CATEGORY, distinct);
        }
        double min = distinct.get(0).asNumber();
        double max = distinct.get(distinct.size() - 1).asNumber();
        boolean log = min > 0 && (max / min >= 10 || name.startsWith("lr") || name.equals("eps"));
        return new Axis(name, log ? Scale.LOG : Scale.LINEAR, distinct);
    }

    /** The axis of {@code name} through the values {@code points} give it ({@link #DEFAULT} where they leave it). */
    public static Axis along(String name, Collection<Point> points) {
        return of(name, points.stream().map(p -> p.getOrDefault(name, DEFAULT)).toList());
    }

    /** Where {@code value} sits: log10 of it on a log axis, itself on a linear one, its index in a category. */
    public double coordinate(SweptValue value) {
        return switch (scale) {
            case LOG -> Math.log10(value.asNumber());
            case LINEAR -> value.asNumber();
            case CATEGORY -> values.indexOf(value);
        };
    }

    /** The value as a number (its index for a category). */
    public double number(SweptValue value) {
        return scale == Scale.CATEGORY ? values.indexOf(value) : value.asNumber();
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

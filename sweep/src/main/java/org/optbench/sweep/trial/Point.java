package org.optbench.sweep.trial;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The swept settings of one trial: each swept run key ({@code lr}, {@code beta1}, {@code batch},
 * {@code device}) with its typed value, in the spec's order. A point has one text form for the
 * trial store, a JSON object of the values' texts ({@code {"lr":"0.01"}}, what every version has
 * stored), and {@link #parse} reads it back to an equal point; {@link #key} is its order-free
 * form for trial keys. The runner builds a trial's run from {@link #settings}, and the analysis
 * and the reports read the typed values.
 */
public final class Point {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The point that sets nothing. */
    public static final Point EMPTY = new Point(Map.of());

    private final Map<String, SweptValue> values;

    private Point(Map<String, SweptValue> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The point of these values, in this order. */
    public static Point of(Map<String, SweptValue> values) {
        return new Point(values);
    }

    /** A point of one value, for tests and claims: {@code Point.of("lr", "0.01")}. */
    public static Point of(String key, String text) {
        return new Point(Map.of(key, SweptValue.parse(text)));
    }

    /** The point stored as {@code json} by {@link #storeText}. */
    public static Point parse(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("a stored point must be a JSON object, got " + json);
            }
            Map<String, SweptValue> values = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> values.put(e.getKey(), SweptValue.parse(e.getValue().asText())));
            return new Point(values);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable stored point " + json + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The text the trial store keeps: a JSON object of each value's text, in order. */
    public String storeText() {
        ObjectNode node = JSON.createObjectNode();
        values.forEach((k, v) -> node.put(k, v.text()));
        return node.toString();
    }

    /** The order-free text that identifies the point: {@code {batch=32, lr=0.01}}. */
    public String key() {
        StringBuilder s = new StringBuilder("{");
        new TreeMap<>(values).forEach((k, v) -> s.append(s.length() == 1 ? "" : ", ").append(k).append('=').append(v.text()));
        return s.append('}').toString();
    }

    /** This point with {@code key} set to {@code value} (replacing it, or appended). */
    public Point with(String key, SweptValue value) {
        Map<String, SweptValue> more = new LinkedHashMap<>(values);
        more.put(key, value);
        return new Point(more);
    }

    /** This point without {@code key}. */
    public Point without(String key) {
        Map<String, SweptValue> fewer = new LinkedHashMap<>(values);
        fewer.remove(key);
        return new Point(fewer);
    }

    public Set<String> keys() {
        return values.keySet();
    }

    /** The value of {@code key}, or null when the point leaves it to the run's default. */
    public SweptValue get(String key) {
        return values.get(key);
    }

    /** The value of {@code key}, or {@code otherwise}. */
    public SweptValue getOrDefault(String key, SweptValue otherwise) {
        return values.getOrDefault(key, otherwise);
    }

    /** The number at {@code key}; NaN when the point does not set it or it is not a number. */
    public double number(String key) {
        SweptValue v = values.get(key);
        return v == null ? Double.NaN : v.asNumber();
    }

    /** Whether the point holds no value. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Whether every value of {@code other} is in this point (numbers compared by value). */
    public boolean contains(Point other) {
        return other.values.entrySet().stream().allMatch(e -> e.getValue().equals(values.get(e.getKey())));
    }

    /** Each key with its value, in order. */
    public void forEach(BiConsumer<String, SweptValue> action) {
        values.forEach(action);
    }

    /** The values as the run's settings take them: key to a number (with its written text), Boolean or String. */
    public Map<String, Object> settings() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v.setting()));
        return out;
    }

    /** The keys in order, each with its value's text: {@code lr=0.01 beta1=0.9}. */
    public String label() {
        StringBuilder s = new StringBuilder();
        values.forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append(k).append('=').append(v.text()));
        return s.toString();
    }

    /** The keys in order. */
    public List<String> keyList() {
        return List.copyOf(values.keySet());
    }

    /** Equal points set the same keys to equal values, in any order. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Point p && values.equals(p.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return key();
    }
}

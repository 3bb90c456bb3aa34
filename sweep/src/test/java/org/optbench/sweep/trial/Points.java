package org.optbench.sweep.trial;

import java.util.LinkedHashMap;
import java.util.Map;

/** Points written as tests write them: each key with its value's text, in order. */
public final class Points {

    private Points() {
    }

    public static Point of(Map<String, String> texts) {
        Map<String, SweptValue> values = new LinkedHashMap<>();
        texts.forEach((k, v) -> values.put(k, SweptValue.parse(v)));
        return Point.of(values);
    }

    /** Each key with its value's text. */
    public static Map<String, String> texts(Point point) {
        Map<String, String> out = new LinkedHashMap<>();
        point.forEach((k, v) -> out.put(k, v.text()));
        return out;
    }
}

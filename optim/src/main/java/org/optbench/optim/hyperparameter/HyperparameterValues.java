package org.optbench.optim.hyperparameter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The checked hyperparameters of one parameter group, by name, in the optimizer's order. */
public final class HyperparameterValues {

    private final Map<String, Object> values;

    public HyperparameterValues(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public float number(String name) {
        return (Float) require(name);
    }

    public boolean flag(String name) {
        return (Boolean) require(name);
    }

    public String word(String name) {
        return (String) require(name);
    }

    public Map<String, Object> asMap() {
        return values;
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("no hyperparameter '" + name + "' in " + values.keySet());
        }
        return v;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        values.forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return s.toString();
    }
}

package org.optbench.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run-level view of the {@link OptimizerKind} registry: every hyperparameter name any
 * optimizer takes, plus {@code lr_last} (the peak LR of groups whose rule says
 * {@code lr: lr_last}), with its type and, per optimizer, its default. A run gives these values
 * once; each parameter group takes the ones its optimizer uses. CLI flags, spec and config keys
 * and their help texts are generated from this list, never written out again.
 */
public final class RunHyperparameters {

    /** The hyperparameter that sets the lr of groups whose rule says {@code lr: lr_last}. */
    public static final Hyperparameter LR_LAST = Hyperparameter.number(GroupRule.LR_LAST,
            "peak LR of the groups whose rule says lr: lr_last (the adaptive part of the hybrids, Muon's AdamW part)",
            GroupRules.DEFAULT_LR_LAST, 0, true, Double.MAX_VALUE, true);

    private static final Map<String, Hyperparameter> ALL = build();

    private RunHyperparameters() {
    }

    private static Map<String, Hyperparameter> build() {
        Map<String, Hyperparameter> all = new LinkedHashMap<>();
        all.put("lr", OptimizerKind.ADAMW.hyperparameters().get("lr"));
        all.put(LR_LAST.name(), LR_LAST);
        Map<String, Hyperparameter> common = new LinkedHashMap<>();
        for (OptimizerKind kind : OptimizerKind.values()) {
            kind.hyperparameters().forEach((name, h) -> {
                if (name.equals("wd") || name.equals("wd_mode")) {
                    common.putIfAbsent(name, h);
                } else {
                    all.putIfAbsent(name, h);
                }
            });
        }
        all.putAll(common);
        return Collections.unmodifiableMap(all);
    }

    /** Every run-level hyperparameter name, lr first. */
    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    public static boolean contains(String name) {
        return ALL.containsKey(name);
    }

    /** The declaration of {@code name} (its type, range and description); the error lists the names. */
    public static Hyperparameter get(String name) {
        Hyperparameter h = ALL.get(name);
        if (h == null) {
            throw new HyperparameterException("'" + name + "' is not a hyperparameter; they are " + names());
        }
        return h;
    }

    /** {@code raw} as {@code name}'s type (Double, Boolean or String), checked at the edge where it enters. */
    public static Object convert(String name, Object raw) {
        return get(name).convert(raw);
    }

    /** The optimizers that take {@code name}, with their defaults, e.g. {@code sgd 0.98, muon 0.95}. */
    public static String defaults(String name) {
        if (name.equals(LR_LAST.name())) {
            return "default " + format(LR_LAST.defaultValue());
        }
        Map<String, String> byKind = new TreeMap<>();
        List<String> kinds = new ArrayList<>();
        for (OptimizerKind kind : OptimizerKind.values()) {
            Hyperparameter h = kind.hyperparameters().get(name);
            if (h != null) {
                kinds.add(kind.cliName());
                byKind.put(kind.cliName(), format(h.defaultValue()));
            }
        }
        if (byKind.values().stream().distinct().count() == 1) {
            return "default " + byKind.values().iterator().next() + (kinds.size() == OptimizerKind.values().length
                    ? "" : "; " + String.join(", ", kinds));
        }
        List<String> parts = new ArrayList<>();
        kinds.forEach(k -> parts.add(k + " " + byKind.get(k)));
        return "default " + String.join(", ", parts);
    }

    /** A default as people write it: 0.9, 3.16e-4, 1e-15, true, full. */
    static String format(Object value) {
        if (!(value instanceof Float f)) {
            return String.valueOf(value);
        }
        String s = Float.toString(f).replace("E", "e");
        return s.replace(".0e", "e").replaceAll("\\.0$", "");
    }

    /** One line for help texts: what it does and its defaults. */
    public static String describe(String name) {
        return get(name).description() + " (" + defaults(name) + ")";
    }
}

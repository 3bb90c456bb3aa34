package org.optbench.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.optbench.optim.hyperparameter.Hyperparameter;
import org.optbench.optim.hyperparameter.HyperparameterException;

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

    /**
     * Every name any optimizer declares, lr first and wd, wd_mode last. Optimizers that declare
     * the same name (SGD's and Muon's momentum) must declare the same setting (type, range): a run
     * gives the value once, and each optimizer checks it against its own declaration and takes its
     * own default. The run-level description joins theirs.
     */
    private static Map<String, Hyperparameter> build() {
        Map<String, List<Hyperparameter>> declared = new LinkedHashMap<>();
        for (OptimizerKind kind : OptimizerKind.values()) {
            kind.hyperparameters().forEach((name, h) -> declared.computeIfAbsent(name, k -> new ArrayList<>()).add(h));
        }
        Map<String, Hyperparameter> all = new LinkedHashMap<>();
        all.put("lr", merged(declared.remove("lr")));
        all.put(LR_LAST.name(), LR_LAST);
        List<Hyperparameter> wd = declared.remove("wd");
        List<Hyperparameter> wdMode = declared.remove("wd_mode");
        declared.forEach((name, list) -> all.put(name, merged(list)));
        all.put("wd", merged(wd));
        all.put("wd_mode", merged(wdMode));
        return Collections.unmodifiableMap(all);
    }

    static Hyperparameter merged(List<Hyperparameter> declarations) {
        Hyperparameter first = declarations.get(0);
        List<String> descriptions = new ArrayList<>();
        for (Hyperparameter h : declarations) {
            if (!h.sameSetting(first)) {
                throw new IllegalStateException("optimizers declare '" + first.name() + "' as different settings: "
                        + first + " and " + h);
            }
            if (!descriptions.contains(h.description())) {
                descriptions.add(h.description());
            }
        }
        return new Hyperparameter(first.name(), String.join("; ", descriptions), first.defaultValue(), first.min(),
                first.minOpen(), first.max(), first.maxOpen(), first.choices(), first.whole(), null);
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

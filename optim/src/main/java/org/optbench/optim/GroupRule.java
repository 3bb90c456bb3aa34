package org.optbench.optim;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.optbench.optim.hyperparameter.HyperparameterException;

/**
 * One rule of a parameter-group list: the parameter names it matches (globs, where {@code *}
 * matches any run of characters including dots and {@code ?} one character, or regular
 * expressions written {@code re:...}), or {@code rest} for every parameter no other rule matched;
 * the optimizer of the group; and hyperparameter overrides. An {@code lr} override may be the word
 * {@code lr_last}: the group then takes the run's {@code lr_last} (the adaptive part of a hybrid).
 *
 * @param name      the group's name in reports
 * @param patterns  the name patterns as written
 * @param rest      whether this rule takes every parameter no other rule matched
 * @param kind      the update rule
 * @param overrides hyperparameters of this group, over the run's values
 */
public record GroupRule(String name, List<String> patterns, boolean rest, OptimizerKind kind,
                        Map<String, Object> overrides) {

    public static final String LR_LAST = "lr_last";

    public GroupRule {
        patterns = List.copyOf(patterns);
        overrides = Map.copyOf(overrides);
        if (rest && !patterns.isEmpty()) {
            throw new HyperparameterException("rule '" + name + "' has both 'rest' and 'params': use one");
        }
        if (!rest && patterns.isEmpty()) {
            throw new HyperparameterException("rule '" + name + "' matches nothing: give 'params' or 'rest: true'");
        }
        for (String p : patterns) {
            compile(p);
        }
    }

    public static GroupRule of(String name, OptimizerKind kind, Map<String, Object> overrides, String... patterns) {
        return new GroupRule(name, List.of(patterns), false, kind, overrides);
    }

    public static GroupRule rest(String name, OptimizerKind kind, Map<String, Object> overrides) {
        return new GroupRule(name, List.of(), true, kind, overrides);
    }

    /** Whether this rule's patterns match the parameter name (never true for a rest rule). */
    public boolean matches(String parameter) {
        for (String p : patterns) {
            if (compile(p).matcher(parameter).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the group's lr is the run's lr_last. */
    public boolean usesLrLast() {
        return LR_LAST.equals(overrides.get("lr"));
    }

    private static Pattern compile(String pattern) {
        if (pattern.startsWith("re:")) {
            try {
                return Pattern.compile(pattern.substring(3));
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new HyperparameterException("invalid regular expression '" + pattern + "': " + e.getDescription());
            }
        }
        StringBuilder regex = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            switch (ch) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}

package org.optbench.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.optbench.model.ParameterSpec;
import org.optbench.optim.hyperparameter.HyperparameterException;
import org.optbench.optim.hyperparameter.HyperparameterValues;
import org.optbench.optim.update.Blocks;

/**
 * An ordered list of {@link GroupRule}s (optax {@code partition}, torch param groups), read from
 * YAML or JSON or taken from a named optimizer: every optimizer is a one-rule list, and the
 * hybrids of the study and Muon are the presets below. {@link #resolve} assigns every parameter to
 * exactly one group.
 *
 * <pre>
 * groups:
 *   - name: adaptive
 *     params: [lm_head.weight, "*ln1.weight", "*ln2.weight", "*_norm.weight", ln_f.weight]
 *     optimizer: adalayer
 *     lr: lr_last
 *   - name: rest
 *     rest: true
 *     optimizer: momentum
 * </pre>
 */
public record GroupRules(List<GroupRule> rules) {

    /** Default peak LR of the adaptive groups of the hybrids (the paper's 3.16e-3). */
    public static final float DEFAULT_LR_LAST = 3.16e-3f;
    private static final Set<String> RULE_KEYS = Set.of("name", "params", "rest", "optimizer");
    private static final String[] LAYER_NORMS = {"*.ln1.weight", "*.ln2.weight", "*.attn.q_norm.weight",
        "*.attn.k_norm.weight", "ln_f.weight"};
    private static final String[] HIDDEN_MATRICES = {"blocks.*.attn.qkv.weight", "blocks.*.attn.proj.weight",
        "blocks.*.mlp.fc.weight", "blocks.*.mlp.proj.weight"};
    /** A named hybrid of the study (or Muon's split): what it is, and its rules. */
    private record Hybrid(String description, Supplier<GroupRules> rules) {
    }

    private static final Map<String, Hybrid> HYBRIDS = new LinkedHashMap<>();

    static {
        Map<String, Object> lrLast = Map.of("lr", GroupRule.LR_LAST);
        HYBRIDS.put("adaptive-last-ln", new Hybrid(
                "LM head per-row Adalayer + LayerNorm weights per-tensor Adalayer at lr_last; momentum elsewhere",
                () -> lastLayerAndNorms(OptimizerKind.ADALAYER, OptimizerKind.MOMENTUM, lrLast)));
        HYBRIDS.put("adaptive-last-only", new Hybrid(
                "LM head per-row Adalayer at lr_last; momentum elsewhere, LayerNorm weights included",
                () -> new GroupRules(List.of(GroupRule.of("last", OptimizerKind.ADALAYER, lrLast, "lm_head.weight"),
                        GroupRule.rest("rest", OptimizerKind.MOMENTUM, Map.of())))));
        HYBRIDS.put("adaptive-ln-only", new Hybrid(
                "LayerNorm weights per-tensor Adalayer at lr_last; momentum elsewhere, LM head included",
                () -> new GroupRules(List.of(GroupRule.of("layernorm", OptimizerKind.ADALAYER, lrLast, LAYER_NORMS),
                        GroupRule.rest("rest", OptimizerKind.MOMENTUM, Map.of())))));
        HYBRIDS.put("adafactor-last-ln", new Hybrid("LM head + LayerNorm weights with Adafactor at lr_last; momentum elsewhere",
                () -> lastLayerAndNorms(OptimizerKind.ADAFACTOR, OptimizerKind.MOMENTUM, lrLast)));
        HYBRIDS.put("adam-last-ln-sgd-rest", new Hybrid("LM head + LayerNorm weights with AdamW at lr_last; SGD elsewhere",
                () -> lastLayerAndNorms(OptimizerKind.ADAMW, OptimizerKind.SGD, lrLast)));
        HYBRIDS.put("muon", new Hybrid("Muon on the 2-D hidden matrices; AdamW at lr_last on embeddings, LM head, LayerNorms",
                () -> new GroupRules(List.of(GroupRule.of("matrices", OptimizerKind.MUON, Map.of(), HIDDEN_MATRICES),
                        GroupRule.rest("adamw", OptimizerKind.ADAMW, lrLast)))));
    }

    private static GroupRules lastLayerAndNorms(OptimizerKind adaptive, OptimizerKind rest, Map<String, Object> lrLast) {
        return new GroupRules(List.of(GroupRule.of("last", adaptive, lrLast, "lm_head.weight"),
                GroupRule.of("layernorm", adaptive, lrLast, LAYER_NORMS), GroupRule.rest("rest", rest, Map.of())));
    }

    public GroupRules {
        rules = List.copyOf(rules);
        long restRules = rules.stream().filter(GroupRule::rest).count();
        if (restRules > 1) {
            throw new HyperparameterException("only one rule may be 'rest: true', found " + restRules);
        }
        if (rules.isEmpty()) {
            throw new HyperparameterException("a group rule list needs at least one rule");
        }
    }

    /** Names accepted by {@link #named}: every optimizer and every preset. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(OptimizerKind.names());
        HYBRIDS.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        return names;
    }

    /** Each named hybrid (and Muon's split) with one line on what it is. */
    public static Map<String, String> presetDescriptions() {
        Map<String, String> d = new LinkedHashMap<>();
        HYBRIDS.forEach((name, h) -> d.put(name, h.description()));
        return d;
    }

    /** The rules of an optimizer or named hybrid; the error lists the valid names. */
    public static GroupRules named(String name) {
        Hybrid hybrid = HYBRIDS.get(name);
        if (hybrid != null) {
            return hybrid.rules().get();
        }
        if (!OptimizerKind.names().contains(name)) {
            throw new HyperparameterException("unknown optimizer '" + name + "'; choose one of " + names());
        }
        return new GroupRules(List.of(GroupRule.rest("all", OptimizerKind.of(name), Map.of())));
    }

    /** Rules from YAML or JSON text; errors carry the line and column. */
    public static GroupRules parse(String text, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new HyperparameterException(source + (at != null ? ":" + at.getLineNr() + ":" + at.getColumnNr() : "")
                    + ": " + e.getOriginalMessage());
        }
        return parse(root, source);
    }

    /** Rules from a parsed document: a list of rules, or a mapping with {@code groups:} and the list. */
    public static GroupRules parse(JsonNode root, String source) {
        JsonNode list = root != null && root.isObject() ? root.get("groups") : root;
        if (list == null || !list.isArray()) {
            throw new HyperparameterException(source + ": expected a list of rules, or 'groups:' with a list");
        }
        List<GroupRule> rules = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            rules.add(parseRule(list.get(i), i, source));
        }
        return new GroupRules(rules);
    }

    private static GroupRule parseRule(JsonNode node, int index, String source) {
        String where = source + ": rule " + (index + 1);
        if (!node.isObject()) {
            throw new HyperparameterException(where + " must be a mapping with params/rest, optimizer and hyperparameters");
        }
        String name = node.path("name").asText("group" + index);
        if (!node.hasNonNull("optimizer")) {
            throw new HyperparameterException(where + " ('" + name + "') has no 'optimizer'; choose one of "
                    + OptimizerKind.names());
        }
        OptimizerKind kind = OptimizerKind.of(node.get("optimizer").asText());
        List<String> patterns = new ArrayList<>();
        JsonNode params = node.get("params");
        if (params != null) {
            if (params.isArray()) {
                params.forEach(p -> patterns.add(p.asText()));
            } else {
                patterns.add(params.asText());
            }
        }
        boolean rest = node.path("rest").asBoolean(false);
        Map<String, Object> overrides = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (RULE_KEYS.contains(f.getKey())) {
                continue;
            }
            if (!kind.accepts(f.getKey())) {
                throw new HyperparameterException(where + " ('" + name + "'): unknown key '" + f.getKey()
                        + "'; a rule has " + RULE_KEYS + " and the hyperparameters of " + kind + ": "
                        + kind.hyperparameters().keySet());
            }
            JsonNode v = f.getValue();
            overrides.put(f.getKey(), v.isNumber() ? v.numberValue() : v.isBoolean() ? v.booleanValue() : v.asText());
        }
        return new GroupRule(name, patterns, rest, kind, overrides);
    }

    /** The rules as the list {@link #parse} reads (Jackson writes them so, and {@link #fromJson} reads them back). */
    @JsonValue
    public List<Map<String, Object>> toJson() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (GroupRule r : rules) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            if (r.rest()) {
                m.put("rest", true);
            } else {
                m.put("params", r.patterns());
            }
            m.put("optimizer", r.kind().cliName());
            m.putAll(new java.util.TreeMap<>(r.overrides()));
            list.add(m);
        }
        return list;
    }

    @JsonCreator
    static GroupRules fromJson(JsonNode node) {
        return parse(node, "groups");
    }

    /**
     * The authors' frozen Adalayer with an explicit {@code lr_last}: an Adalayer group with
     * {@code t_freeze} whose own rule sets no lr, in a run that gives lr_last, trains the LM head and
     * the LayerNorm gains (the tensors that keep updating v after the freeze) at lr_last in a group
     * of their own, as their code does when lr_last is set; without lr_last they keep the group's lr.
     */
    private static boolean splitsLastLayerAtLrLast(GroupRule rule, HyperparameterValues values, Map<String, Object> run) {
        return rule.kind() == OptimizerKind.ADALAYER && values.number("t_freeze") > 0 && run.containsKey(GroupRule.LR_LAST)
                && !rule.overrides().containsKey("lr");
    }

    /**
     * Assigns every parameter to exactly one group and resolves each group's hyperparameters:
     * optimizer defaults, then the run's values ({@code run}, e.g. CLI flags) where the optimizer
     * has them, then the rule's overrides. A parameter matched by no rule or by two explicit rules
     * is an error naming it; so is a run value that no group uses.
     */
    public List<ParamGroup> resolve(List<ParameterSpec> parameters, Map<String, Object> run) {
        Map<GroupRule, List<ParameterSpec>> assigned = new LinkedHashMap<>();
        rules.forEach(r -> assigned.put(r, new ArrayList<>()));
        GroupRule restRule = rules.stream().filter(GroupRule::rest).findFirst().orElse(null);
        for (ParameterSpec spec : parameters) {
            List<GroupRule> hits = rules.stream().filter(r -> r.matches(spec.name())).toList();
            if (hits.size() > 1) {
                throw new HyperparameterException("parameter '" + spec.name() + "' matches rules '" + hits.get(0).name()
                        + "' and '" + hits.get(1).name() + "': make the patterns exclusive");
            }
            GroupRule rule = hits.isEmpty() ? restRule : hits.get(0);
            if (rule == null) {
                throw new HyperparameterException("parameter '" + spec.name() + "' matches no rule: add a pattern for it "
                        + "or a rule with 'rest: true'");
            }
            assigned.get(rule).add(spec);
        }
        Object lrLast = run.getOrDefault(GroupRule.LR_LAST, DEFAULT_LR_LAST);
        List<ParamGroup> groups = new ArrayList<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Map.Entry<GroupRule, List<ParameterSpec>> e : assigned.entrySet()) {
            GroupRule rule = e.getKey();
            if (e.getValue().isEmpty()) {
                continue;
            }
            Map<String, Object> given = new LinkedHashMap<>();
            run.forEach((k, v) -> {
                if (rule.kind().accepts(k) && !(k.equals("lr") && rule.usesLrLast())) {
                    given.put(k, v);
                    used.add(k);
                }
            });
            rule.overrides().forEach((k, v) -> given.put(k, GroupRule.LR_LAST.equals(v) && k.equals("lr") ? lrLast : v));
            if (rule.usesLrLast()) {
                used.add(GroupRule.LR_LAST);
            }
            HyperparameterValues values = rule.kind().resolve(given);
            if (splitsLastLayerAtLrLast(rule, values, run)) {
                used.add(GroupRule.LR_LAST);
                List<ParameterSpec> last = e.getValue().stream().filter(Blocks::updatesAfterFreeze).toList();
                List<ParameterSpec> rest = e.getValue().stream().filter(spec -> !Blocks.updatesAfterFreeze(spec)).toList();
                Map<String, Object> atLrLast = new LinkedHashMap<>(given);
                atLrLast.put("lr", lrLast);
                if (!rest.isEmpty()) {
                    groups.add(new ParamGroup(rule.name(), rule.kind(), values, rest));
                }
                if (!last.isEmpty()) {
                    groups.add(new ParamGroup(rule.name() + "-last-ln", rule.kind(), rule.kind().resolve(atLrLast), last));
                }
                continue;
            }
            groups.add(new ParamGroup(rule.name(), rule.kind(), values, e.getValue()));
        }
        for (String k : run.keySet()) {
            if (!used.contains(k)) {
                StringBuilder kinds = new StringBuilder();
                groups.forEach(g -> kinds.append(kinds.length() == 0 ? "" : ", ").append(g.name()).append(": ")
                        .append(g.kind()));
                throw new HyperparameterException("hyperparameter '" + k + "' is not used by any group (" + kinds
                        + ")" + (k.equals(GroupRule.LR_LAST) ? "; lr_last sets the lr of groups whose rule says lr: lr_last" : ""));
            }
        }
        return groups;
    }
}

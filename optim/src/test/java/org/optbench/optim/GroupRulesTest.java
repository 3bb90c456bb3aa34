package org.optbench.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.optbench.kernels.cpu.CpuBackend;
import org.optbench.model.ModelConfig;
import org.optbench.model.ParameterLayout;
import org.optbench.model.ParameterSpec;
import org.optbench.model.Transformer;
import org.optbench.optim.hyperparameter.HyperparameterException;
import org.optbench.optim.update.Blocks;

class GroupRulesTest {

    private static final ParameterLayout LAYOUT = new ParameterLayout(ModelConfig.of(100, 16, 2, 2, 8));
    private static final CpuBackend BACKEND = new CpuBackend(2);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static Map<String, List<String>> byGroup(List<ParamGroup> groups) {
        return groups.stream().collect(Collectors.toMap(ParamGroup::name,
                g -> g.parameters().stream().map(ParameterSpec::name).toList()));
    }

    @Test
    void hybridAssignsHeadAndEveryLayerNormToAdaptiveGroupsAtLrLast() {
        List<ParamGroup> groups = GroupRules.named("adaptive-last-ln").resolve(LAYOUT.specs(),
                Map.of("lr", "10", "lr_last", "0.002"));
        Map<String, List<String>> g = byGroup(groups);
        assertEquals(List.of("lm_head.weight"), g.get("last"));
        assertEquals(List.of("blocks.0.ln1.weight", "blocks.0.attn.q_norm.weight", "blocks.0.attn.k_norm.weight",
                "blocks.0.ln2.weight", "blocks.1.ln1.weight", "blocks.1.attn.q_norm.weight",
                "blocks.1.attn.k_norm.weight", "blocks.1.ln2.weight", "ln_f.weight"), g.get("layernorm"));
        assertTrue(g.get("rest").containsAll(List.of("wte.weight", "blocks.0.attn.qkv.weight", "blocks.1.mlp.proj.weight")));
        assertEquals(LAYOUT.specs().size(), g.values().stream().mapToInt(List::size).sum());
        for (ParamGroup group : groups) {
            float want = group.name().equals("rest") ? 10f : 0.002f;
            assertEquals(want, group.peakLr(), group.name());
        }
        assertEquals(OptimizerKind.MOMENTUM, groups.get(2).kind());
    }

    @Test
    void theFrozenAdalayerTrainsTheHeadAndLayerNormsAtLrLastWhenItIsGiven() {
        List<ParamGroup> split = GroupRules.named("adalayer").resolve(LAYOUT.specs(),
                Map.of("lr", "0.001", "lr_last", "0.02", "t_freeze", "5"));
        Map<String, List<String>> g = byGroup(split);
        assertEquals(List.of("blocks.0.ln1.weight", "blocks.0.attn.q_norm.weight", "blocks.0.attn.k_norm.weight",
                "blocks.0.ln2.weight", "blocks.1.ln1.weight", "blocks.1.attn.q_norm.weight",
                "blocks.1.attn.k_norm.weight", "blocks.1.ln2.weight", "ln_f.weight", "lm_head.weight"),
                g.get("all-last-ln"));
        assertTrue(g.get("all").containsAll(List.of("wte.weight", "blocks.0.attn.qkv.weight", "blocks.1.mlp.proj.weight")));
        assertEquals(LAYOUT.specs().size(), g.values().stream().mapToInt(List::size).sum());
        for (ParamGroup group : split) {
            assertEquals(group.name().equals("all") ? 0.001f : 0.02f, group.peakLr(), group.name());
            assertEquals(5f, group.hyperparameters().number("t_freeze"), group.name());
        }
        assertEquals(List.of("all"), byGroup(GroupRules.named("adalayer").resolve(LAYOUT.specs(),
                Map.of("t_freeze", "5"))).keySet().stream().toList(), "without lr_last one group at lr");
        HyperparameterException unused = assertThrows(HyperparameterException.class,
                () -> GroupRules.named("adalayer").resolve(LAYOUT.specs(), Map.of("lr_last", "0.02")));
        assertTrue(unused.getMessage().contains("'lr_last' is not used by any group"), unused.getMessage());
    }

    @Test
    void lastOnlyAndLayerNormOnlyPresetsMakeOnePartAdaptive() {
        List<ParamGroup> last = GroupRules.named("adaptive-last-only").resolve(LAYOUT.specs(), Map.of("lr", "10"));
        Map<String, List<String>> g = byGroup(last);
        assertEquals(List.of("lm_head.weight"), g.get("last"));
        assertTrue(g.get("rest").containsAll(List.of("ln_f.weight", "blocks.0.ln1.weight", "wte.weight")));
        assertEquals(OptimizerKind.ADALAYER, last.get(0).kind());
        assertEquals(GroupRules.DEFAULT_LR_LAST, last.get(0).peakLr());
        assertEquals(OptimizerKind.MOMENTUM, last.get(1).kind());
        assertEquals(10f, last.get(1).peakLr());
        List<ParamGroup> norms = GroupRules.named("adaptive-ln-only").resolve(LAYOUT.specs(), Map.of("lr", "10"));
        Map<String, List<String>> n = byGroup(norms);
        assertEquals(9, n.get("layernorm").size());
        assertTrue(n.get("layernorm").contains("ln_f.weight"));
        assertTrue(n.get("rest").contains("lm_head.weight"));
        assertEquals(OptimizerKind.ADALAYER, norms.get(0).kind());
        assertEquals(OptimizerKind.MOMENTUM, norms.get(1).kind());
    }

    @Test
    void everyNamedOptimizerCoversTheModel() {
        for (String name : GroupRules.names()) {
            List<ParamGroup> groups = GroupRules.named(name).resolve(LAYOUT.specs(), Map.of());
            int covered = groups.stream().mapToInt(g -> g.parameters().size()).sum();
            assertEquals(LAYOUT.specs().size(), covered, name);
        }
        Map<String, List<String>> muon = byGroup(GroupRules.named("muon").resolve(LAYOUT.specs(), Map.of()));
        assertEquals(8, muon.get("matrices").size());
        assertTrue(muon.get("adamw").containsAll(List.of("wte.weight", "lm_head.weight", "ln_f.weight")));
    }

    @Test
    void unmatchedAndDoublyMatchedParametersAreNamed() {
        GroupRules noRest = GroupRules.parse("""
                groups:
                  - {params: ["*.weight"], optimizer: adamw}
                  - {name: heads, params: [lm_head.weight], optimizer: sgd}
                """, "rules.yaml");
        HyperparameterException twice = assertThrows(HyperparameterException.class,
                () -> noRest.resolve(LAYOUT.specs(), Map.of()));
        assertTrue(twice.getMessage().contains("'lm_head.weight'") && twice.getMessage().contains("'heads'"),
                twice.getMessage());
        GroupRules partial = GroupRules.parse("- {params: ['blocks.*'], optimizer: adamw}", "rules.yaml");
        HyperparameterException none = assertThrows(HyperparameterException.class,
                () -> partial.resolve(LAYOUT.specs(), Map.of()));
        assertTrue(none.getMessage().contains("'wte.weight' matches no rule"), none.getMessage());
    }

    @Test
    void restHasTheLowestPrecedenceAndRuleOverridesBeatRunValues() {
        GroupRules rules = GroupRules.parse("""
                - name: head
                  params: ["re:lm_head\\\\..*"]
                  optimizer: adamw
                  beta2: 0.99
                - name: rest
                  rest: true
                  optimizer: adamw
                """, "rules.yaml");
        List<ParamGroup> groups = rules.resolve(LAYOUT.specs(), Map.of("beta2", "0.9", "lr", "0.001"));
        assertEquals(List.of("lm_head.weight"), byGroup(groups).get("head"));
        assertEquals(0.99f, groups.get(0).hyperparameters().number("beta2"), "rule beats run");
        assertEquals(0.9f, groups.get(1).hyperparameters().number("beta2"), "run beats default");
        assertEquals(1e-15f, groups.get(1).hyperparameters().number("eps"), "default");
        assertEquals(0.001f, groups.get(0).peakLr());
    }

    @Test
    void hyperparametersAreCheckedWithNameValueAndRange() {
        HyperparameterException unused = assertThrows(HyperparameterException.class,
                () -> GroupRules.named("adamw").resolve(LAYOUT.specs(), Map.of("momentum", "0.9")));
        assertTrue(unused.getMessage().contains("'momentum' is not used by any group"), unused.getMessage());
        HyperparameterException signum = assertThrows(HyperparameterException.class,
                () -> GroupRules.named("signum").resolve(LAYOUT.specs(), Map.of("beta2", "0.9")));
        assertTrue(signum.getMessage().contains("beta2"), signum.getMessage());
        HyperparameterException range = assertThrows(HyperparameterException.class,
                () -> GroupRules.named("adamw").resolve(LAYOUT.specs(), Map.of("beta1", "1.0")));
        assertTrue(range.getMessage().contains("invalid beta1 1") && range.getMessage().contains("[0, 1)"),
                range.getMessage());
        assertThrows(HyperparameterException.class,
                () -> GroupRules.named("adamw").resolve(LAYOUT.specs(), Map.of("lr", "NaN")));
        assertThrows(HyperparameterException.class,
                () -> GroupRules.named("adamw").resolve(LAYOUT.specs(), Map.of("lr", "Infinity")));
        assertThrows(HyperparameterException.class,
                () -> GroupRules.named("adamw").resolve(LAYOUT.specs(), Map.of("lr", "-1")));
        HyperparameterException unknown = assertThrows(HyperparameterException.class, () -> GroupRules.named("adam"));
        assertTrue(unknown.getMessage().contains("adaptive-last-ln"), unknown.getMessage());
        HyperparameterException lrLast = assertThrows(HyperparameterException.class,
                () -> GroupRules.named("adamw").resolve(LAYOUT.specs(), Map.of("lr_last", "0.1")));
        assertTrue(lrLast.getMessage().contains("lr_last"), lrLast.getMessage());
    }

    @Test
    void ruleFilesReportLineAndColumnAndUnknownKeys() {
        HyperparameterException yaml = assertThrows(HyperparameterException.class,
                () -> GroupRules.parse("groups:\n  - {params: [a, optimizer: adamw}\n", "bad.yaml"));
        assertTrue(yaml.getMessage().startsWith("bad.yaml:2:"), yaml.getMessage());
        HyperparameterException key = assertThrows(HyperparameterException.class,
                () -> GroupRules.parse("- {parms: [a], optimizer: adamw}", "typo.yaml"));
        assertTrue(key.getMessage().contains("unknown key 'parms'"), key.getMessage());
        GroupRules json = GroupRules.parse("{\"groups\": [{\"rest\": true, \"optimizer\": \"lion\", \"beta2\": 0.98}]}",
                "rules.json");
        assertEquals(0.98f, json.resolve(LAYOUT.specs(), Map.of()).get(0).hyperparameters().number("beta2"));
    }

    @Test
    void adalayerBlocksOnARealModel() {
        ModelConfig config = ModelConfig.of(100, 16, 2, 2, 8);
        assertEquals(16 * 16, Blocks.adalayerBlockSize(LAYOUT.get("blocks.0.attn.qkv.weight")), "q, k, v thirds");
        assertEquals(16, Blocks.adalayerBlockSize(LAYOUT.get("lm_head.weight")), "one block per vocabulary row");
        assertEquals(100 * 16, Blocks.adalayerBlockSize(LAYOUT.get("wte.weight")));
        assertEquals(16, Blocks.adalayerBlockSize(LAYOUT.get("ln_f.weight")));
        Transformer model = new Transformer(config, 1, BACKEND);
        Optimizer opt = new Optimizer(BACKEND, GroupRules.named("adalayer").resolve(model.layout().specs(), Map.of()),
                model.parameters(), model.gradients(), LrSchedule.constant());
        // State: m per element plus one v per block: 3 per QKV, 100 for the head, 1 for every other tensor.
        long blocks = 2 * 3 + 100 + (model.layout().specs().size() - 2 - 1);
        assertEquals(4 * (model.layout().totalCount() + blocks), opt.stateBytes());
    }
}

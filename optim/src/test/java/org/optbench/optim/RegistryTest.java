package org.optbench.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optbench.model.ModelConfig;
import org.optbench.model.ParameterLayout;
import org.optbench.optim.hyperparameter.Hyperparameter;
import org.optbench.optim.hyperparameter.HyperparameterException;

/**
 * The hyperparameter registry and the optimizer spec built on it: one declaration per name and
 * type, run-level values typed at the edge, and specs and group rules that survive a JSON round trip.
 */
class RegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachOptimizerDeclaresItsOwnHyperparametersAndSharedNamesAreOneSetting() {
        for (String name : RunHyperparameters.names()) {
            Hyperparameter declared = RunHyperparameters.get(name);
            for (OptimizerKind kind : OptimizerKind.values()) {
                Hyperparameter h = kind.hyperparameters().get(name);
                if (h != null) {
                    assertTrue(declared.sameSetting(h), kind + " " + name);
                    assertEquals(declared.valueLabel(), h.valueLabel(), kind + " " + name);
                    assertEquals(declared.range(), h.range(), kind + " " + name);
                    assertTrue(declared.description().contains(h.description()), kind + " " + name);
                }
            }
            assertTrue(RunHyperparameters.describe(name).contains("default"), name);
        }
        assertEquals(List.of("lr", "lr_last", "momentum", "nesterov", "beta1", "beta2", "eps", "tie_betas", "neuron_only",
                "vector_mode", "bias_correction", "t_freeze", "rho", "hessian_interval", "wd", "wd_mode"), RunHyperparameters.names());
        Hyperparameter sgd = OptimizerKind.SGD.hyperparameters().get("momentum");
        Hyperparameter muon = OptimizerKind.MUON.hyperparameters().get("momentum");
        assertEquals(0.98f, sgd.defaultValue());
        assertEquals(0.95f, muon.defaultValue());
        assertEquals("SGD's heavy-ball momentum; Muon's Nesterov momentum (default sgd 0.98, muon 0.95)",
                RunHyperparameters.describe("momentum"));
        assertEquals(0.98f, OptimizerKind.SGD.resolve(Map.of()).number("momentum"));
        assertEquals(0.95f, OptimizerKind.MUON.resolve(Map.of()).number("momentum"));
        IllegalStateException clash = assertThrows(IllegalStateException.class, () -> RunHyperparameters.merged(List.of(sgd,
                Hyperparameter.number("momentum", "another momentum", 0.9, 0, false, 2, false))));
        assertTrue(clash.getMessage().contains("optimizers declare 'momentum' as different settings"), clash.getMessage());
    }

    @Test
    void switchesAndCountsCarryTheirOwnRules() {
        HyperparameterException tied = assertThrows(HyperparameterException.class,
                () -> OptimizerKind.ADAMW.resolve(Map.of("tie_betas", true, "beta2", 0.99)));
        assertEquals("tie_betas sets beta2 itself, so the given beta2 0.99 would be ignored; remove beta2 or tie_betas",
                tied.getMessage());
        assertEquals(0.9f, OptimizerKind.ADAMW.resolve(Map.of("tie_betas", false, "beta2", 0.9)).number("beta2"),
                "beta2 is the optimizer's own while tie_betas is off");
        HyperparameterException half = assertThrows(HyperparameterException.class,
                () -> OptimizerKind.ADALAYER.resolve(Map.of("t_freeze", 2.5)));
        assertEquals("invalid t_freeze 2.5: a step count must be a whole number", half.getMessage());
        assertEquals(4f, OptimizerKind.ADALAYER.resolve(Map.of("t_freeze", "4")).number("t_freeze"));
    }

    @Test
    void valuesAreTypedWhereTheyEnterAndCheckedByEachGroup() {
        OptimizerSpec spec = new OptimizerSpec("adamw", null, Map.of("lr", "1e-2", "beta1", 0.8f, "wd_mode", "paper"), null);
        assertEquals(Map.of("lr", 0.01, "beta1", (double) 0.8f, "wd_mode", "paper"), spec.hyperparameters());
        assertEquals(List.of("lr", "beta1", "wd_mode"), List.copyOf(spec.hyperparameters().keySet()), "registry order");
        assertEquals(LrSchedule.Kind.PAPER, spec.schedule());
        HyperparameterException notNumber = assertThrows(HyperparameterException.class,
                () -> new OptimizerSpec("adamw", null, Map.of("lr", "fast"), null));
        assertTrue(notNumber.getMessage().contains("invalid lr 'fast': not a number"), notNumber.getMessage());
        HyperparameterException unknown = assertThrows(HyperparameterException.class,
                () -> new OptimizerSpec("adamw", null, Map.of("colour", 1), null));
        assertTrue(unknown.getMessage().contains("'colour' is not a hyperparameter"), unknown.getMessage());
        ParameterLayout layout = new ParameterLayout(ModelConfig.of(64, 16, 1, 2, 8));
        HyperparameterException range = assertThrows(HyperparameterException.class,
                () -> new OptimizerSpec("lion", null, Map.of("beta2", 1.0), null).resolve(layout.specs()));
        assertTrue(range.getMessage().contains("invalid beta2 1: must lie in [0, 1)"), range.getMessage());
    }

    @Test
    void specsAndGroupRulesRoundTripThroughJson() throws Exception {
        OptimizerSpec named = new OptimizerSpec("adaptive-last-ln", null, Map.of("lr", 3.0, "lr_last", 0.01),
                LrSchedule.Kind.WSD);
        String text = JSON.writeValueAsString(named);
        assertEquals("{\"name\":\"adaptive-last-ln\",\"hyperparameters\":{\"lr\":3.0,\"lr_last\":0.01},\"schedule\":\"wsd\"}",
                text);
        assertEquals(named, JSON.readValue(text, OptimizerSpec.class));
        GroupRules rules = GroupRules.parse("""
                groups:
                  - name: adaptive
                    params: [lm_head.weight, "*_norm.weight"]
                    optimizer: adalayer
                    lr: lr_last
                    beta2: 0.99
                  - name: rest
                    rest: true
                    optimizer: momentum
                """, "rules.yaml");
        OptimizerSpec custom = new OptimizerSpec("rules.yaml", rules, Map.of("lr", 1.0), null);
        OptimizerSpec back = JSON.readValue(JSON.writeValueAsString(custom), OptimizerSpec.class);
        assertEquals(custom, back);
        ParameterLayout layout = new ParameterLayout(ModelConfig.of(64, 16, 1, 2, 8));
        assertEquals(custom.resolve(layout.specs()).toString(), back.resolve(layout.specs()).toString());
    }
}

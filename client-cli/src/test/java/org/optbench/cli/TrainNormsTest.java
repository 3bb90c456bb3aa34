package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.model.ParameterLayout;
import org.optbench.model.io.SafetensorsFile;
import org.optbench.model.io.TensorEntry;

/**
 * {@code --train-norms=false} (the authors' {@code no_norm_training}), run as a process: every
 * LayerNorm gain is still exactly 1 after training while every other tensor moved, the optimizer
 * keeps no state for them, and the result records the setting.
 */
class TrainNormsTest {

    @TempDir
    Path dir;

    @Test
    void theLayerNormGainsStayAtTheirInitialValues() throws Exception {
        JsonNode held = train("held", "--train-norms=false");
        JsonNode trained = train("trained", "--train-norms=true");
        assertFalse(held.get("config").get("train_norms").asBoolean(true), held.toString());
        assertFalse(trained.get("config").has("train_norms"), "left out when the gains train: " + trained);
        assertTrue(held.get("optimizer_state_bytes").asLong() < trained.get("optimizer_state_bytes").asLong(),
                "no state for the held gains: " + held.get("optimizer_state_bytes") + " vs "
                        + trained.get("optimizer_state_bytes"));

        SafetensorsFile heldWeights = SafetensorsFile.read(dir.resolve("held.safetensors"));
        SafetensorsFile trainedWeights = SafetensorsFile.read(dir.resolve("trained.safetensors"));
        int gains = 0;
        for (Map.Entry<String, TensorEntry> t : heldWeights.tensors().entrySet()) {
            float[] data = t.getValue().data();
            if (ParameterLayout.isLayerNormGain(t.getKey())) {
                for (float x : data) {
                    assertEquals(1f, x, 0f, t.getKey() + " stays at its initial 1");
                }
                float[] moved = trainedWeights.tensors().get(t.getKey()).data();
                boolean changed = false;
                for (float x : moved) {
                    changed |= x != 1f;
                }
                assertTrue(changed, t.getKey() + " trains when train_norms is true");
                gains++;
            }
        }
        assertEquals(2 * 4 + 1, gains, "ln1, ln2, q_norm and k_norm of two blocks, and ln_f");
    }

    private JsonNode train(String name, String flag) throws Exception {
        Path result = dir.resolve(name + ".json");
        CliProcess r = CliProcess.run(dir, Map.of(), 300, "train", "--data", "synthetic", "--preset", "nano", "--d-model", "32",
                "--seq-len", "32", "--batch", "4", "--steps", "4", "--threads", "1", "--eval-tokens", "512", flag,
                "--save-weights", dir.resolve(name + ".safetensors").toString(), "--result-out", result.toString(),
                "--checkpoint-dir", dir.resolve(name + "-checkpoint").toString());
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(Files.readString(result));
    }
}

package org.optbench.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.kernels.cpu.CpuBackend;
import org.optbench.model.io.SafetensorsException;
import org.optbench.model.io.SafetensorsFile;

class StateTest {

    private static final CpuBackend BACKEND = new CpuBackend(2);

    @TempDir
    Path dir;

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static Harness harness(String optimizer) {
        return new Harness(BACKEND, GroupRules.named(optimizer), Map.of(), LrSchedule.paper(2, 10),
                "blocks.0.attn.qkv.weight", new int[] {12, 4}, "blocks.0.ln1.weight", new int[] {4},
                "lm_head.weight", new int[] {5, 4});
    }

    private static void train(Harness h, int from, int to, long seed) {
        for (int t = from; t <= to; t++) {
            for (var spec : h.specs) {
                float[] g = new float[(int) spec.count()];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) (new SplittableRandom(seed * 1000 + t * 31 + i).nextDouble() - 0.5);
                }
                h.grad(spec.name(), g);
            }
            h.step(t, 1f);
        }
    }

    @Test
    void savedStateResumesBitIdenticallyForEveryOptimizer() {
        for (String name : GroupRules.names()) {
            Harness straight = harness(name);
            Harness first = harness(name);
            Harness resumed = harness(name);
            for (Harness h : new Harness[] {straight, first, resumed}) {
                for (var spec : h.specs) {
                    float[] p = new float[(int) spec.count()];
                    for (int i = 0; i < p.length; i++) {
                        p[i] = (float) Math.sin(i + spec.offset());
                    }
                    h.set(spec.name(), p);
                }
            }
            train(straight, 1, 6, 7);
            train(first, 1, 3, 7);
            Path file = dir.resolve(name + ".safetensors");
            first.optimizer.save(file, 3);
            for (var spec : first.specs) {
                resumed.set(spec.name(), first.get(spec.name()));
            }
            assertEquals(3, resumed.optimizer.load(file));
            train(resumed, 4, 6, 7);
            for (var spec : straight.specs) {
                assertArrayEquals(straight.get(spec.name()), resumed.get(spec.name()), 0f, name + " " + spec.name());
            }
        }
    }

    @Test
    void stateNamesDeriveFromParameterNamesAndMismatchesAreExplained() {
        Harness adam = harness("adamw");
        Path file = dir.resolve("adam.safetensors");
        adam.optimizer.save(file, 1);
        SafetensorsFile read = SafetensorsFile.read(file);
        assertTrue(read.tensors().containsKey("lm_head.weight.exp_avg_sq"));
        assertEquals("1", read.metadata().get("step"));
        SafetensorsException other = assertThrows(SafetensorsException.class, () -> harness("lion").optimizer.load(file));
        assertTrue(other.getMessage().contains("same optimizer"), other.getMessage());
        Harness bigger = new Harness(BACKEND, GroupRules.named("adamw"), Map.of(), LrSchedule.constant(),
                "blocks.0.attn.qkv.weight", new int[] {12, 4}, "blocks.0.ln1.weight", new int[] {4},
                "lm_head.weight", new int[] {6, 4});
        SafetensorsException shape = assertThrows(SafetensorsException.class, () -> bigger.optimizer.load(file));
        assertTrue(shape.getMessage().contains("[5, 4]") && shape.getMessage().contains("[6, 4]"), shape.getMessage());
    }
}

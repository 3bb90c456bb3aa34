package org.optbench.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.optbench.kernels.cpu.CpuBackend;

/**
 * A profiled backend computes exactly what the plain one does, counts every timed call under its
 * kind, leaves untimed calls (allocation, synchronisation) out, and passes a kernel's own
 * exception through unchanged.
 */
class OpProfileTest {

    @Test
    void aProfiledBackendComputesTheSameAndCountsEachKind() {
        try (Backend cpu = new CpuBackend(2)) {
            OpProfile profile = new OpProfile();
            Backend profiled = profile.wrap(cpu);
            int n = 33;
            int c = 17;
            int oc = 9;
            float[] x = random(n * c, 1);
            float[] w = random(oc * c, 2);
            float[] plain = matmul(cpu, cpu, x, w, n, c, oc);
            float[] timed = matmul(profiled, cpu, x, w, n, c, oc);
            assertArrayEquals(plain, timed, "the profile changes no result");
            FloatTensor t = profiled.allocate(10);
            profiled.fill(t, 1f, 10);
            profiled.fill(t, 2f, 10);
            profiled.synchronize();
            Map<String, Long> calls = profile.calls();
            assertEquals(1L, calls.get("matmul forward"));
            assertEquals(2L, calls.get("zeroing"));
            assertEquals(2L, calls.get("host transfers"), "the two writes; reads of the plain run are not counted");
            assertTrue(profile.seconds().get("matmul forward") > 0);
            assertTrue(!calls.containsKey("allocate") && !calls.containsKey("synchronize"));
            profile.reset();
            assertTrue(profile.calls().isEmpty());
            assertThrows(KernelException.class, () -> profiled.fill(null, 0f, 1), "a kernel's exception passes through");
        }
    }

    private static float[] matmul(Backend backend, Backend reader, float[] x, float[] w, int n, int c, int oc) {
        FloatTensor in = backend.allocate((long) n * c);
        FloatTensor weight = backend.allocate((long) oc * c);
        FloatTensor out = backend.allocate((long) n * oc);
        backend.write(in, x, 0, x.length);
        backend.write(weight, w, 0, w.length);
        backend.matmulForward(out, in, weight, n, c, oc);
        float[] result = new float[n * oc];
        reader.read(result, 0, out, result.length);
        return result;
    }

    private static float[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextDouble(-1, 1);
        }
        return v;
    }
}

package org.optbench.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.optbench.kernels.cpu.CpuBackend;

/**
 * Once the JIT has compiled the kernels, a training step allocates no buffers: only the small loop
 * closures handed to the worker pool. (Before C2 compiles a kernel, the Vector API boxes its
 * vectors, so early steps allocate; hence the long warm-up.)
 */
class StepAllocationTest {

    @Test
    void forwardAndBackwardAllocateAlmostNothingOnceCompiled() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ModelConfig config = ModelConfig.of(512, 64, 2, 2, 64);
        try (CpuBackend backend = new CpuBackend(2)) {
            Transformer model = new Transformer(config, 4, backend);
            model.initialize(1);
            SplittableRandom rng = new SplittableRandom(2);
            int[] in = new int[model.rows()];
            int[] tg = new int[model.rows()];
            for (int i = 0; i < in.length; i++) {
                in[i] = rng.nextInt(512);
                tg[i] = rng.nextInt(512);
            }
            long id = Thread.currentThread().getId();
            long allocated = Long.MAX_VALUE;
            int steps = 0;
            // The JIT compiles kernels at its own pace: measure after every 100 steps, up to 3000.
            while (allocated >= 64 * 1024 && steps < 3000) {
                for (int warm = 0; warm < 100; warm++, steps++) {
                    model.zeroGradients();
                    model.forward(in, tg);
                    model.backward();
                    model.gradientNorm();
                }
                long before = threads.getThreadAllocatedBytes(id);
                model.zeroGradients();
                model.forward(in, tg);
                model.backward();
                model.gradientNorm();
                allocated = threads.getThreadAllocatedBytes(id) - before;
            }
            long activations = 4L * model.rows() * config.dModel();
            System.out.printf("after %d steps one training step allocated %,d bytes on the calling thread "
                    + "(one activation is %,d)%n", steps, allocated, activations);
            assertTrue(allocated < 64 * 1024, "a step allocated " + allocated + " bytes");
        }
    }
}

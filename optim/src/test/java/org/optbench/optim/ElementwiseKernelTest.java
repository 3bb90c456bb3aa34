package org.optbench.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.optbench.kernels.Backend;
import org.optbench.kernels.ElementwiseKernel;
import org.optbench.kernels.FloatTensor;
import org.optbench.kernels.OpProfile;
import org.optbench.kernels.cpu.CpuBackend;
import org.optbench.kernels.opencl.OpenClBackend;
import org.optbench.kernels.opencl.OpenClTestDevice;
import org.optbench.model.ModelConfig;
import org.optbench.model.ParameterLayout;
import org.optbench.optim.hyperparameter.HyperparameterValues;
import org.optbench.optim.update.CurvatureRule;
import org.optbench.optim.update.ElementwiseRule;

/**
 * Every element-wise entry of the registry has its kernel pair: a CPU body, and an OpenCL twin
 * beside it that defines the kernel the rule names and agrees with the CPU over three steps on
 * awkward sizes. An entry without its pair fails here. A group of an element-wise rule over a whole
 * model is one launch per step.
 */
class ElementwiseKernelTest {

    /** Each element-wise kind with the settings its kernel is compared at. */
    private static List<HyperparameterValues> settings(OptimizerKind kind) {
        List<HyperparameterValues> out = new ArrayList<>();
        out.add(kind.resolve(Map.of()));
        if (kind == OptimizerKind.SGD) {
            out.add(kind.resolve(Map.of("nesterov", true, "momentum", 0.9)));
        }
        if (kind == OptimizerKind.ADAMW) {
            out.add(kind.resolve(Map.of("tie_betas", true, "eps", 1e-8)));
        }
        return out;
    }

    private static List<OptimizerKind> elementwise() {
        List<OptimizerKind> kinds = new ArrayList<>();
        for (OptimizerKind kind : OptimizerKind.values()) {
            if (kind.elementwise()) {
                kinds.add(kind);
            }
        }
        return kinds;
    }

    @Test
    void everyElementwiseEntryHasItsKernelPair() {
        List<OptimizerKind> kinds = elementwise();
        assertTrue(kinds.containsAll(List.of(OptimizerKind.SGD, OptimizerKind.ADAMW, OptimizerKind.LION,
                OptimizerKind.SIGNUM, OptimizerKind.MOMENTUM, OptimizerKind.SOPHIA)), kinds.toString());
        for (OptimizerKind kind : kinds) {
            ElementwiseRule rule = kind.rule(kind.resolve(Map.of()));
            ElementwiseKernel kernel = rule.kernel();
            assertEquals(kernel.stateBuffers(), rule.stateNames().size(), kind.cliName());
            assertEquals(kernel.scalars(), rule.scalars(1, 0.1f, 1f, 1f).length, kind.cliName());
            String source = kernel.openClSource();
            assertTrue(source.contains("__kernel void " + kernel.name() + "("),
                    kind.cliName() + "'s OpenCL twin defines " + kernel.name());
            if (rule instanceof CurvatureRule c) {
                ElementwiseKernel curvature = c.curvatureKernel();
                assertEquals(curvature.stateBuffers(), rule.stateNames().size(), kind.cliName() + "'s curvature kernel");
                assertEquals(curvature.scalars(), c.curvatureScalars(64).length, kind.cliName() + "'s curvature kernel");
                assertTrue(curvature.openClSource().contains("__kernel void " + curvature.name() + "("),
                        kind.cliName() + "'s OpenCL twin defines " + curvature.name());
            }
        }
    }

    @Test
    void theOpenClTwinAgreesWithTheCpuBody() {
        String selector = OpenClTestDevice.selector();
        try (CpuBackend cpu = new CpuBackend(2); OpenClBackend cl = OpenClBackend.open(selector)) {
            for (OptimizerKind kind : elementwise()) {
                for (HyperparameterValues hp : settings(kind)) {
                    ElementwiseRule rule = kind.rule(hp);
                    SplittableRandom rng = new SplittableRandom(7);
                    int n = 1037;
                    float[] p = random(rng, n, 1);
                    float[] g = random(rng, n, 1);
                    List<float[]> state = new ArrayList<>();
                    for (int j = 0; j < rule.stateNames().size(); j++) {
                        state.add(j == 1 ? positive(rng, n) : random(rng, n, 0.1));
                    }
                    Run onCpu = new Run(cpu, p, g, state);
                    Run onCl = new Run(cl, p, g, state);
                    for (int step = 1; step <= 3; step++) {
                        float[] k = rule.scalars(step, 1e-2f, 0.999f, 0.7f);
                        onCpu.step(rule, k);
                        onCl.step(rule, k);
                        if (rule instanceof CurvatureRule c && step == 2) {
                            onCpu.curvature(c, g);
                            onCl.curvature(c, g);
                        }
                        String what = kind.cliName() + " " + hp + " step " + step;
                        assertClose(what + " param", onCpu.read(onCpu.p), onCl.read(onCl.p), 1e-5);
                        for (int j = 0; j < state.size(); j++) {
                            assertClose(what + " " + rule.stateNames().get(j), onCpu.read(onCpu.state.get(j)),
                                    onCl.read(onCl.state.get(j)), 1e-5);
                        }
                    }
                }
            }
        }
    }

    @Test
    void anElementwiseGroupOverAModelIsOneLaunchPerStep() {
        ParameterLayout layout = new ParameterLayout(ModelConfig.of(64, 16, 2, 2, 8));
        try (CpuBackend cpu = new CpuBackend(1)) {
            OpProfile profile = new OpProfile();
            Backend counted = profile.wrap(cpu);
            FloatTensor params = counted.allocate(layout.totalCount());
            FloatTensor grads = counted.allocate(layout.totalCount());
            for (String name : List.of("adamw", "lion", "sgd")) {
                Optimizer opt = OptimizerSpec.named(name).build(counted, layout, params, grads, 1, 10);
                profile.reset();
                opt.step(1, 1f);
                assertEquals(Map.of("optimizer", 1L), profile.calls(), name + ": one launch for " + layout.specs().size()
                        + " tensors");
            }
        }
    }

    /** A rule's tensors on one backend. */
    private static final class Run {
        final Backend backend;
        final FloatTensor p;
        final FloatTensor g;
        final List<FloatTensor> state = new ArrayList<>();
        final int n;

        Run(Backend backend, float[] p, float[] g, List<float[]> state) {
            this.backend = backend;
            this.n = p.length;
            this.p = upload(backend, p);
            this.g = upload(backend, g);
            state.forEach(s -> this.state.add(upload(backend, s)));
        }

        void step(ElementwiseRule rule, float[] k) {
            backend.elementwiseUpdate(rule.kernel(), p, g, state, n, k);
        }

        /** A curvature estimate from {@code estimate} as the gradient, left in the gradient buffer for the next steps. */
        void curvature(CurvatureRule rule, float[] estimate) {
            backend.write(g, estimate, 0, n);
            backend.elementwiseUpdate(rule.curvatureKernel(), p, g, state, n, rule.curvatureScalars(64));
        }

        float[] read(FloatTensor t) {
            float[] out = new float[n];
            backend.read(out, 0, t, n);
            return out;
        }

        private static FloatTensor upload(Backend backend, float[] values) {
            FloatTensor t = backend.allocate(values.length);
            backend.write(t, values, 0, values.length);
            return t;
        }
    }

    private static float[] random(SplittableRandom rng, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    private static float[] positive(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextDouble() * 0.01);
        }
        return v;
    }

    private static void assertClose(String what, float[] want, float[] got, double tolerance) {
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(want[i] - got[i]) / Math.max(1, Math.abs(want[i])));
        }
        assertTrue(worst <= tolerance, what + ": largest difference " + worst + " over " + tolerance);
    }
}

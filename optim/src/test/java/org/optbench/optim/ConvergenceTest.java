package org.optbench.optim;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.optbench.kernels.cpu.CpuBackend;

/**
 * Every optimizer minimises a badly conditioned quadratic and the Rosenbrock function to a stated
 * tolerance, with the paper's cosine schedule (warmup 5%, floor 0.1 * lr). The parameter is a 2-D
 * hidden matrix so that every rule, Muon included, applies to it.
 */
class ConvergenceTest {

    private static final CpuBackend BACKEND = new CpuBackend(2);
    private static final String NAME = "blocks.0.mlp.fc.weight";

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private interface Problem {
        double value(float[] x);

        void gradient(float[] x, float[] g);

        /** The diagonal of the Hessian at x: the curvature Sophia's estimate stands for. */
        void hessianDiagonal(float[] x, float[] h);
    }

    /** f(x) = 0.5 * sum a_i x_i^2 with a_i from 1 to 100, minimum 0 at x = 0. */
    private static final Problem QUADRATIC = new Problem() {
        @Override
        public double value(float[] x) {
            double f = 0;
            for (int i = 0; i < x.length; i++) {
                f += 0.5 * curvature(i, x.length) * x[i] * x[i];
            }
            return f;
        }

        @Override
        public void gradient(float[] x, float[] g) {
            for (int i = 0; i < x.length; i++) {
                g[i] = (float) (curvature(i, x.length) * x[i]);
            }
        }

        @Override
        public void hessianDiagonal(float[] x, float[] h) {
            for (int i = 0; i < x.length; i++) {
                h[i] = (float) curvature(i, x.length);
            }
        }

        private double curvature(int i, int n) {
            return Math.pow(100, (double) i / (n - 1));
        }
    };

    /** f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1). */
    private static final Problem ROSENBROCK = new Problem() {
        @Override
        public double value(float[] p) {
            double x = p[0];
            double y = p[1];
            return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
        }

        @Override
        public void gradient(float[] p, float[] g) {
            double x = p[0];
            double y = p[1];
            g[0] = (float) (-2 * (1 - x) - 400 * x * (y - x * x));
            g[1] = (float) (200 * (y - x * x));
        }

        @Override
        public void hessianDiagonal(float[] p, float[] h) {
            h[0] = (float) (2 - 400 * (p[1] - p[0] * p[0]) + 800 * p[0] * p[0]);
            h[1] = 200;
        }
    };

    /** Hyperparameters and steps of one optimizer on one problem. */
    private record Case(Map<String, Object> hyper, int steps) {
    }

    /** Settings per optimizer of the registry: {quadratic, rosenbrock}. A new optimizer needs its row here. */
    private static final Map<OptimizerKind, Case[]> CASES = new EnumMap<>(Map.of(
            OptimizerKind.SGD, cases(hp("lr", 0.005, "momentum", 0.9), hp("lr", 2e-4, "momentum", 0.9)),
            OptimizerKind.ADAMW, cases(hp("lr", 0.05), hp("lr", 0.02)),
            OptimizerKind.ADAFACTOR, cases(hp("lr", 0.05), hp("lr", 0.02)),
            OptimizerKind.LION, cases(hp("lr", 0.01), hp("lr", 0.01)),
            OptimizerKind.SIGNUM, cases(hp("lr", 0.01), hp("lr", 0.01)),
            OptimizerKind.ADALAYER, cases(hp("lr", 0.05), hp("lr", 0.02)),
            OptimizerKind.MOMENTUM, cases(hp("lr", 0.005, "beta1", 0.9), hp("lr", 2e-3, "beta1", 0.9)),
            OptimizerKind.MUON, cases(hp("lr", 0.05), hp("lr", 0.01)),
            OptimizerKind.SOPHIA, cases(hp("lr", 0.05, "rho", 1.0, "hessian_interval", 1),
                    hp("lr", 0.05, "rho", 0.1, "hessian_interval", 10))));

    private static Case[] cases(Map<String, Object> quadratic, Map<String, Object> rosenbrock) {
        return new Case[] {new Case(quadratic, 2000), new Case(rosenbrock, 6000)};
    }

    private static double run(Problem problem, int[] shape, float[] start, OptimizerKind kind, Case c) {
        Harness h = new Harness(BACKEND, GroupRules.named(kind.cliName()), c.hyper(),
                LrSchedule.paper(c.steps() / 20, c.steps()), NAME, shape);
        float[] x = start.clone();
        float[] g = new float[x.length];
        h.set(NAME, x);
        for (int t = 1; t <= c.steps(); t++) {
            problem.gradient(x, g);
            h.grad(NAME, g);
            h.step(t, 1f);
            x = h.get(NAME);
            if (h.optimizer.curvatureDue(t)) {
                curvatureEstimate(problem, x, g);
                h.grad(NAME, g);
                h.optimizer.updateCurvature(t, 1);
            }
        }
        return problem.value(x);
    }

    /**
     * What Sophia's estimating pass leaves in the gradient buffer, for a batch of one token: g with
     * g^2 the Hessian's diagonal where it is positive (a Gauss-Newton estimate is never negative).
     */
    private static void curvatureEstimate(Problem problem, float[] x, float[] g) {
        problem.hessianDiagonal(x, g);
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) Math.sqrt(Math.max(0, g[i]));
        }
    }

    private static Map<String, Object> hp(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void everyOptimizerOfTheRegistrySolvesBothProblems() {
        float[] qStart = new float[32];
        for (int i = 0; i < qStart.length; i++) {
            qStart[i] = (float) Math.cos(i);
        }
        double q0 = QUADRATIC.value(qStart);
        double r0 = ROSENBROCK.value(new float[] {-1.2f, 1f});
        System.out.printf("%-10s %14s %14s%n", "optimizer", "quadratic", "rosenbrock");
        StringBuilder failures = new StringBuilder();
        for (OptimizerKind kind : OptimizerKind.values()) {
            Case[] c = CASES.get(kind);
            assertNotNull(c, "no convergence case for " + kind + ": add its settings to CASES");
            double q = run(QUADRATIC, new int[] {4, 8}, qStart, kind, c[0]);
            double r = run(ROSENBROCK, new int[] {1, 2}, new float[] {-1.2f, 1f}, kind, c[1]);
            System.out.printf("%-10s %14.3e %14.3e%n", kind, q, r);
            if (!(q < 1e-3 * q0)) {
                failures.append(kind).append(" quadratic ").append(q).append("; ");
            }
            if (!(r < 1e-3 * r0)) {
                failures.append(kind).append(" rosenbrock ").append(r).append("; ");
            }
        }
        assertTrue(failures.length() == 0, failures.toString());
    }
}

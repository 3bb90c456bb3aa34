package org.optbench.sweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.trial.SweptValue;

/**
 * Widths, excess and divergence edges on synthetic curves whose answers are known exactly: a
 * V-shaped loss in log10(lr), on which linear interpolation between grid points is exact, so the
 * width within delta is delta / left slope + delta / right slope, whatever the grid's spacing.
 */
class StabilityTest {

    /**
     * loss = 3 + left * (u0 - u) below u0 and 3 + right * (u - u0) above, u = log10 of each grid
     * value as the spec writes it (rounded to three digits, 0.00316).
     */
    private static List<TrialRecord> vee(double[] us, double u0, double left, double right) {
        List<TrialRecord> t = new ArrayList<>();
        for (double grid : us) {
            String lr = Made.lr(grid);
            double u = Math.log10(Double.parseDouble(lr));
            double loss = 3 + (u < u0 ? left * (u0 - u) : right * (u - u0));
            t.add(Made.trial("adamw", Map.of("lr", lr), 0, loss));
        }
        return t;
    }

    private static OptimizerFindings along(List<TrialRecord> trials, double worst) {
        Axis axis = Axis.of("lr", trials.stream().map(t -> t.point().get("lr")).toList());
        return OptimizerFindings.of(Curves.along("adamw", axis, trials, worst), worst, new Bootstrap(200, 1));
    }

    @Test
    void widthsInterpolateInLogLrBetweenGridPoints() {
        double[] us = {-5, -4.5, -4, -3.5, -3, -2.5, -2, -1.5, -1};
        OptimizerFindings f = along(vee(us, -3, 0.1, 0.2), 10);
        Stability s = f.stability();
        assertEquals("0.001", f.best().value().text());
        assertEquals(Axis.Scale.LOG, f.axis().scale());
        assertEquals(0.02 / 0.1 + 0.02 / 0.2, s.widths().get(Metric.WIDTH_002), 1e-9);
        assertEquals(0.1 / 0.1 + 0.1 / 0.2, s.widths().get(Metric.WIDTH_01), 1e-9);
        assertEquals(0.03 / 0.1 + 0.03 / 0.2, s.widths().get(Metric.WIDTH_1PCT), 1e-9, "1% of 3.0 is 0.03");
        assertEquals(0.15 / 0.1 + 0.15 / 0.2, s.widths().get(Metric.WIDTH_5PCT), 1e-9, "5% of 3.0 is 0.15");
        assertFalse(s.censored().get(Metric.WIDTH_5PCT));
        assertFalse(s.bestOnEdge());
        // within one decade of 1e-3: u = -4 .. -2, losses 3.1, 3.05, 3, 3.1, 3.2 (the rounded grid shifts them by < 1e-3)
        assertEquals((0.1 + 0.05 + 0 + 0.1 + 0.2) / 5, s.excess(), 2e-3);
        assertEquals(s.excess(), s.excessFinite(), 1e-12, "no divergence: both excess figures agree");
    }

    @Test
    void aRegionReachingTheGridsEndIsCensoredAndTheEdgeIsFlagged() {
        double[] us = {-3, -2.5, -2};
        OptimizerFindings f = along(vee(us, -2, 0.01, 1), 10);
        Stability s = f.stability();
        assertTrue(s.bestOnEdge());
        assertTrue(f.edgeWarning(0).contains("the best lr of adamw (0.01) is on the high edge of its grid; extend the grid"),
                f.edgeWarning(0));
        assertTrue(f.edgeWarning(1).endsWith("extend_edges stops after 1 point per edge: raise extend_edges.max_points or "
                + "move the grid"), f.edgeWarning(1));
        assertTrue(f.edgeWarning(-1).endsWith("on the high edge of its grid; a value past it was not tried"),
                "an axis extend_edges does not act along names no fix it cannot make: " + f.edgeWarning(-1));
        assertEquals(1.0, s.widths().get(Metric.WIDTH_002), 1e-2, "the whole grid, a lower bound");
        assertTrue(s.censored().get(Metric.WIDTH_002));
    }

    @Test
    void divergencesCountAsTheWorstCaseForImputedFiguresOnlyAndMarkTheEdges() {
        double[] us = {-4, -3.5, -3, -2.5, -2};
        List<TrialRecord> t = new ArrayList<>();
        double[] losses = {Double.NaN, 3.1, 3.0, 3.2, Double.NaN};
        for (int i = 0; i < us.length; i++) {
            t.add(Made.trial("sgd", Map.of("lr", Made.lr(us[i])), 0, losses[i]));
        }
        t.add(Made.withStatus("sgd", Map.of("lr", Made.lr(-3)), 1, TrialStatus.FAILED));
        double worst = 5.0;
        Axis axis = Axis.of("lr", t.stream().map(x -> x.point().get("lr")).toList());
        Curve curve = Curves.along("sgd", axis, t, worst);
        assertEquals(1, curve.points().get(2).excluded(), "the failed seed is left out, not imputed");
        Stability s = Stability.of(curve, worst);
        // imputed: (2.0 + 0.1 + 0 + 0.2 + 2.0) / 5; finite only: (0.1 + 0 + 0.2) / 3
        assertEquals((2.0 + 0.1 + 0.0 + 0.2 + 2.0) / 5, s.excess(), 1e-9);
        assertEquals((0.1 + 0.0 + 0.2) / 3, s.excessFinite(), 1e-9);
        assertEquals(2, s.excludedPoints());
        assertEquals(1e-4, s.divergeBelow(), 1e-12);
        assertEquals(1e-2, s.divergeAbove(), 1e-12);
        assertEquals(2, s.divergences());
        // width 0.1 nats: left neighbour 3.1 is inside at exactly 3.1; beyond it the diverged point at 5.0:
        // crossing at u = -3.5 - (3.1 - 3.1) / (5 - 3.1) * 0.5 = -3.5; right: 3.2 is outside -> 3.0 + (0.1 / 0.2) * 0.5
        assertEquals(0.5 + 0.25, s.widths().get(Metric.WIDTH_01), 2e-3);
    }

    @Test
    void aLinearAxisMeasuresWidthsInItsOwnUnitsAndACategoryHasNone() {
        List<TrialRecord> t = new ArrayList<>();
        double[] beta1 = {0.0, 0.5, 0.8, 0.9, 0.95};
        double[] loss = {3.6, 3.3, 3.1, 3.0, 3.05};
        for (int i = 0; i < beta1.length; i++) {
            t.add(Made.trial("signum", Map.of("beta1", Double.toString(beta1[i])), 0, loss[i]));
        }
        Axis axis = Axis.of("beta1", t.stream().map(x -> x.point().get("beta1")).toList());
        assertEquals(Axis.Scale.LINEAR, axis.scale());
        OptimizerFindings f = OptimizerFindings.of(Curves.along("signum", axis, t, 9), 9, new Bootstrap(100, 1));
        // within 0.1 of 3.0: left crossing between 0.8 (3.1, exactly at the limit) and 0.5 -> 0.8; right: to 0.95 (censored)
        assertEquals(0.95 - 0.8, f.stability().widths().get(Metric.WIDTH_01), 1e-9);
        assertEquals("beta1 units", axis.widthUnit());
        Axis devices = Axis.of("device", List.of(SweptValue.parse("cpu"), SweptValue.parse("opencl")));
        assertEquals(Axis.Scale.CATEGORY, devices.scale());
        assertTrue(Double.isNaN(Metric.WIDTH_01.of(new double[] {0, 1}, new double[][] {{3}, {3}}, 9, devices.scale())));
    }
}

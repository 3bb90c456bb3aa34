package org.optbench.sweep.analysis;

import java.util.Map;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.trial.Points;

/** Hand-made trials for the analysis tests: a loss of NaN is a divergence. */
final class Made {

    private static int next;

    private Made() {
    }

    static TrialRecord trial(String optimizer, Map<String, String> params, long seed, double loss) {
        int i = next++;
        boolean diverged = Double.isNaN(loss);
        return new TrialRecord("t" + i, "s", i, optimizer + params + seed, optimizer, Points.of(params), seed,
                diverged ? TrialStatus.DIVERGED : TrialStatus.COMPLETED, null, 1, null, null, null, diverged ? null : loss,
                diverged ? 5 : null, 800L, null, null, null);
    }

    static TrialRecord withStatus(String optimizer, Map<String, String> params, long seed, TrialStatus status) {
        int i = next++;
        return new TrialRecord("t" + i, "s", i, optimizer + params + seed, optimizer, Points.of(params), seed,
                status, "x", 1, null, null, null, null, null, null, null, null, null);
    }

    /** {@code lr} as the spec writes it: 10^u with u on half decades, e.g. 0.001 or 0.00316. */
    static String lr(double u) {
        return new java.math.BigDecimal(Math.pow(10, u)).round(new java.math.MathContext(3)).stripTrailingZeros()
                .toPlainString();
    }
}

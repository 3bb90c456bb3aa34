package org.optbench.sweep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.optbench.optim.hyperparameter.HyperparameterException;
import org.optbench.sweep.error.SweepSpecException;
import org.optbench.sweep.trial.Trial;
import org.optbench.train.run.DataCatalog;
import org.optbench.train.run.DataFacts;
import org.optbench.train.run.DataSpec;
import org.optbench.train.run.RunContext;
import org.optbench.train.run.RunSpec;
import org.optbench.train.run.RunSpecException;

/**
 * Checks a whole sweep before any of it is stored: first its trial count, by multiplication,
 * against the most trials a sweep may have; then every point's run, exactly as its worker will
 * receive it, against the heap and data of the machine that runs it. Seeds change no setting, so
 * each point is checked once. The first bad point is reported with its optimizer and values. The
 * expansion it walked is what it returns, so the sweep is stored from the trials it checked.
 */
public final class SweepValidator {

    private SweepValidator() {
    }

    /**
     * Throws a {@link SweepSpecException} naming the problem, or returns the trials, in expansion order.
     *
     * @param spec      the parsed spec
     * @param maxTrials the most trials one sweep may have
     * @param trialRun  the run a trial's worker receives
     * @param context   the heap and data trials run with
     */
    public static List<Trial> validate(SweepSpec spec, long maxTrials, Function<Trial, RunSpec> trialRun,
                                       RunContext context) {
        long trials = spec.trialCount();
        long most = spec.maxTrialCount();
        if (most > maxTrials) {
            String adaptive = most > trials ? String.format(Locale.ROOT, " and up to %,d more from refine and "
                    + "extend_edges", most - trials) : "";
            throw new SweepSpecException(String.format(Locale.ROOT, "sweep '%s' expands to %s trials (each optimizer's "
                    + "points x %d seed(s))%s, more than the %,d a sweep may have (the server's --max-trials): narrow the "
                    + "grids%s or split the sweep", spec.name(), trials == Long.MAX_VALUE ? "more than 9.2e18"
                    : String.format(Locale.ROOT, "%,d", trials), spec.seeds().size(), adaptive, maxTrials,
                    spec.method() == SweepSpec.Method.RANDOM ? ", lower run_cap" : most > trials
                    ? ", lower refine.seeds, refine.around_best or extend_edges.max_points" : ""));
        }
        RunContext memo = new RunContext(context.heapBytes(), context.heapFix(), remembering(context.data()));
        List<Trial> expansion = new ArrayList<>();
        long firstSeed = spec.seeds().get(0);
        for (Trial point : SweepExpander.trials(spec)) {
            expansion.add(point);
            if (point.seed() != firstSeed) {
                continue;
            }
            try {
                RunSpec run = trialRun.apply(point);
                if (spec.earlyStop() != null && run.training().steps() == null) {
                    throw new RunSpecException("early_terminate needs a fixed steps for every trial (its rungs are steps)");
                }
                run.validate(memo);
            } catch (RunSpecException | HyperparameterException e) {
                throw new SweepSpecException("sweep '" + spec.name() + "', trial " + point.describe() + ": "
                        + e.getMessage());
            }
        }
        return expansion;
    }

    /** A catalog that looks each data source up once (a sweep's points share their data). */
    private static DataCatalog remembering(DataCatalog catalog) {
        Map<DataSpec, DataFacts> seen = new HashMap<>();
        return data -> seen.computeIfAbsent(data, catalog::describe);
    }
}

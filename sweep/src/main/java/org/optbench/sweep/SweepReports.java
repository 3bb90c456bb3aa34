package org.optbench.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.optbench.sweep.analysis.AnalysisSpec;
import org.optbench.sweep.analysis.Findings;
import org.optbench.sweep.report.ReportWriter;
import org.optbench.sweep.report.SweepResults;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStore;

/**
 * A sweep's findings and report from its stored spec text: the spec's {@code analysis} and
 * {@code claims} are read here (a spec stored by an older version that no longer parses is analysed
 * with the defaults), and {@link ReportWriter} writes what they find.
 */
public final class SweepReports {

    private SweepReports() {
    }

    /** The analysis settings and claims of a stored spec; the defaults when it no longer parses. */
    public static AnalysisSpec analysisOf(String spec) {
        try {
            return SweepSpecParser.parse(spec, "spec").analysis();
        } catch (RuntimeException e) {
            return AnalysisSpec.defaults();   // a spec stored by an older version: analyse with the defaults
        }
    }

    /** The findings of a sweep given as its spec text and trials. */
    public static Findings findings(String spec, List<TrialRecord> trials) {
        return Findings.of(trials, analysisOf(spec));
    }

    /** Writes the report of a stored sweep into {@code dir}; returns the HTML file. */
    public static Path write(TrialStore store, String sweepId, Path dir) throws IOException {
        String spec = store.sweepSpec(sweepId);
        List<TrialRecord> trials = store.trials(sweepId);
        return ReportWriter.write(sweepId, spec, findings(spec, trials), trials, trial -> store.metrics(trial, "eval"), dir);
    }

    /** Writes the report of results fetched from a server; returns the HTML file. */
    public static Path write(SweepResults results, Path dir) throws IOException {
        return ReportWriter.write(results.sweepId(), results.spec(), findings(results.spec(), results.trials()),
                results.trials(), trial -> results.evals().getOrDefault(trial, List.of()), dir);
    }
}

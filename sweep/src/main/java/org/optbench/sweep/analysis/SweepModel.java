package org.optbench.sweep.analysis;

import java.util.List;
import org.optbench.model.ModelConfig;
import org.optbench.model.ParameterLayout;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.train.RunConfig;
import org.optbench.train.RunFiles;

/** The model a sweep trained, read from its trials' result files (the result file's schema). */
public final class SweepModel {

    private SweepModel() {
    }

    /** The model of the first result that records one, or null. */
    public static RunConfig of(List<TrialRecord> trials) {
        for (TrialRecord t : trials) {
            if (t.result() == null) {
                continue;
            }
            try {
                RunConfig config = RunFiles.parseResult(t.result()).config();
                if (config != null && config.vocab() > 0) {
                    return config;
                }
            } catch (RuntimeException e) {
                // a result that is not a run summary says nothing about the model; try the next one
            }
        }
        return null;
    }

    /** The model's parameters: recorded in the result, or (results written before they were) counted from its shape. */
    public static long parameters(RunConfig m) {
        if (m.parameters() > 0) {
            return m.parameters();
        }
        try {
            return new ParameterLayout(ModelConfig.of(m.vocab(), m.dModel(), m.layers(), m.heads(), m.seqLen())).totalCount();
        } catch (RuntimeException e) {
            return 0;   // a result without a shape: no bytes per parameter
        }
    }
}

package org.optbench.sweep.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.optbench.model.ModelConfig;
import org.optbench.model.ParameterLayout;
import org.optbench.sweep.store.TrialRecord;

/**
 * The vocabulary size and parameter count of the model a sweep trained, read from the first
 * finished trial whose result holds its config (the analysis needs them for the worst-case loss
 * ln V and for state bytes per parameter). Without such a trial: 8192 and 0.
 */
public record ModelFacts(int vocab, long parameters) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ModelFacts of(List<TrialRecord> trials) {
        for (TrialRecord t : trials) {
            if (t.result() == null) {
                continue;
            }
            try {
                JsonNode c = JSON.readTree(t.result()).path("config");
                ModelConfig config = ModelConfig.of(c.path("vocab").asInt(), c.path("d_model").asInt(),
                        c.path("layers").asInt(), c.path("heads").asInt(), c.path("seq_len").asInt());
                return new ModelFacts(config.vocabSize(), new ParameterLayout(config).totalCount());
            } catch (Exception e) {
                // a result without a readable config says nothing about the model; try the next one
            }
        }
        return new ModelFacts(8192, 0);
    }
}

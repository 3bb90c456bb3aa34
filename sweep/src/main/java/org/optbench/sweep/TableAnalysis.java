package org.optbench.sweep;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.optbench.sweep.analysis.AnalysisSpec;
import org.optbench.sweep.error.SweepSpecException;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.SweptValue;

/**
 * The analysis settings and claims of a spec file read against a table of runs rather than a sweep:
 * only the {@code analysis} and {@code claims} keys are read (a full sweep spec works; its other
 * keys are ignored), and a claim naming an optimizer, a setting or a value that no run of the
 * table has is refused, naming it. A one-at-a-time spec is read whole, for the defaults its
 * claims hold the settings they do not name at.
 */
public final class TableAnalysis {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private TableAnalysis() {
    }

    /** The analysis of {@code spec} (YAML text from {@code source}) for {@code runs}. */
    public static AnalysisSpec read(String spec, String source, List<TrialRecord> runs) {
        JsonNode root;
        try {
            root = YAML.readTree(spec);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new SweepSpecException(source + (at != null ? ":" + at.getLineNr() + ":" + at.getColumnNr() : "")
                    + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SweepSpecException(source + ": a spec is a mapping; analyze reads its analysis and claims keys");
        }
        Map<String, Map<String, TreeSet<SweptValue>>> values = new LinkedHashMap<>();
        for (TrialRecord t : runs) {
            Map<String, TreeSet<SweptValue>> settings = values.computeIfAbsent(t.optimizer(), k -> new LinkedHashMap<>());
            t.point().forEach((k, v) -> settings.computeIfAbsent(k, x -> new TreeSet<>()).add(v));
        }
        Map<String, Map<String, List<SweptValue>>> swept = new LinkedHashMap<>();
        values.forEach((opt, settings) -> {
            Map<String, List<SweptValue>> grids = new LinkedHashMap<>();
            settings.forEach((k, set) -> grids.put(k, new ArrayList<>(set)));
            swept.put(opt, grids);
        });
        Map<String, Point> held = root.path("method").asText("").equals("one_at_a_time")
                ? SweepSpecParser.parse(spec, source).analysis().held() : Map.of();
        return AnalysisSpecParser.forTable(source, swept, held).analysis(root);
    }
}

package org.optbench.cli;

import java.util.List;
import java.util.Locale;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.optbench.sweep.SweepSpecParser;
import picocli.CommandLine;

/**
 * The hint appended to a usage error: for an unknown option that is a sweep-spec key
 * ({@code --parallel 2} to {@code study}) or within two edits of one ({@code --paralel 2}), where
 * it belongs instead; for a mistyped command or
 * option, picocli's closest matches ("did you mean ...?"). Empty when there is nothing to add.
 */
final class UsageHints {

    private UsageHints() {
    }

    static String of(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched)) {
            return "";
        }
        for (String arg : unmatched.getUnmatched()) {
            if (arg.startsWith("--")) {
                String key = arg.substring(2).split("=", 2)[0].replace('-', '_').toLowerCase(Locale.ROOT);
                if (SweepSpecParser.isSpecKey(key)) {
                    return "; '" + key + "' is a key of the sweep spec, not an option: write '" + key
                            + ": ...' in the spec file";
                }
                String near = nearestSpecKey(key);
                LevenshteinDistance twoEdits = new LevenshteinDistance(2);
                boolean nearOption = unmatched.getSuggestions().stream()
                        .anyMatch(o -> twoEdits.apply(arg.split("=", 2)[0], o) >= 0);
                if (near != null && !nearOption) {
                    return "; did you mean the sweep spec's key '" + near + "'? It is not an option: write '" + near
                            + ": ...' in the spec file";
                }
            }
        }
        List<String> suggestions = unmatched.getSuggestions();
        if (suggestions.isEmpty()) {
            return "";
        }
        return "; did you mean " + String.join(" or ", suggestions.stream().limit(3).map(s -> "'" + s + "'").toList())
                + "?";
    }

    /** The spec key within two edits of {@code key} (the closest; alphabetically first on a tie), or null for short keys. */
    static String nearestSpecKey(String key) {
        if (key.length() < 4) {
            return null;
        }
        LevenshteinDistance distance = new LevenshteinDistance(2);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : SweepSpecParser.specKeys()) {
            int d = distance.apply(key, candidate);
            if (d >= 0 && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }
}

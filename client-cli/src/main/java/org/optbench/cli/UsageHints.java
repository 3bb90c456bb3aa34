package org.optbench.cli;

import java.util.List;
import java.util.Locale;
import org.optbench.sweep.SweepSpecParser;
import picocli.CommandLine;

/**
 * The hint appended to a usage error: for an unknown option that is a sweep-spec key
 * ({@code --parallel 2} to {@code study}), where it belongs instead; for a mistyped command or
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
            }
        }
        List<String> suggestions = unmatched.getSuggestions();
        if (suggestions.isEmpty()) {
            return "";
        }
        return "; did you mean " + String.join(" or ", suggestions.stream().limit(3).map(s -> "'" + s + "'").toList())
                + "?";
    }
}

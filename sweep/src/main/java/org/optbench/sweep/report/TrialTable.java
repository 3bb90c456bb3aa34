package org.optbench.sweep.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;
import org.optbench.sweep.store.TrialRecord;

/**
 * The report's per-trial table: optimizer, settings, seed, state, final and best validation loss,
 * the step of divergence, tokens/s and device, one row per trial. A click on a column header
 * sorts by that column (numbers as numbers, empty cells last; again to reverse), with a few lines
 * of script in the page and nothing loaded from elsewhere.
 */
final class TrialTable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SORT_SCRIPT = """
            <script>
            document.querySelectorAll('table.trials th').forEach((th, col) => th.addEventListener('click', () => {
              const body = th.closest('table').tBodies[0];
              const up = th.dataset.order !== 'up';
              th.closest('tr').querySelectorAll('th').forEach(h => delete h.dataset.order);
              th.dataset.order = up ? 'up' : 'down';
              const key = td => td.dataset.v !== undefined ? parseFloat(td.dataset.v) : td.textContent;
              const rows = Array.from(body.rows).sort((a, b) => {
                const x = key(a.cells[col]), y = key(b.cells[col]);
                if (typeof x === 'number' && typeof y === 'number' && (isNaN(x) || isNaN(y))) {
                  return isNaN(x) === isNaN(y) ? 0 : isNaN(x) ? 1 : -1;
                }
                const c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
                return up ? c : -c;
              });
              rows.forEach(r => body.appendChild(r));
            }));
            </script>
            """;

    private TrialTable() {
    }

    static String html(List<TrialRecord> trials) {
        StringBuilder t = new StringBuilder("<h2>Trials</h2><p>Click a column to sort.</p><table class=\"trials\"><thead><tr>");
        for (String h : List.of("trial", "optimizer", "settings", "seed", "state", "final loss", "best loss", "diverged at",
                "tokens/s", "device")) {
            t.append("<th>").append(h).append("</th>");
        }
        t.append("</tr></thead><tbody>");
        for (TrialRecord r : trials) {
            JsonNode result = parse(r.result());
            t.append("<tr><td class=\"l\">").append(Html.esc(r.id())).append("</td><td class=\"l\">").append(Html.esc(r.optimizer()))
                    .append("</td><td class=\"l\">").append(Html.esc(r.point().label()))
                    .append("</td>").append(number(r.seed(), "%d"))
                    .append("<td class=\"l ").append(r.status().label()).append("\">").append(r.status().label()).append("</td>")
                    .append(number(r.finalValLoss(), "%.4f"))
                    .append(number(result == null || !result.path("best_val_loss").isNumber() ? null
                            : result.get("best_val_loss").asDouble(), "%.4f"))
                    .append(number(r.divergedAt(), "%d"))
                    .append(number(result == null || !result.path("tokens_per_s").isNumber() ? null
                            : result.get("tokens_per_s").asLong(), "%,d"))
                    .append("<td class=\"l\">").append(Html.esc(result == null ? "" : result.path("device").asText(""))).append("</td></tr>");
        }
        return t.append("</tbody></table>").append(SORT_SCRIPT).toString();
    }

    private static String number(Number v, String format) {
        if (v == null) {
            return "<td data-v=\"NaN\">-</td>";
        }
        return "<td data-v=\"" + v + "\">" + String.format(Locale.ROOT, format, v) + "</td>";
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}

package org.optbench.sweep;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.optbench.sweep.analysis.Findings;
import org.optbench.sweep.store.TrialRecord;

/**
 * A sweep's findings, computed once per version of what they read: the spec text and every
 * trial's state and result. GetResults, the dashboard and the report ask for them on every view;
 * the analysis (bootstraps, claims) runs again only when a trial changed state or a result
 * arrived, not on every call.
 */
final class FindingsCache {

    private record Entry(String version, Findings findings) {
    }

    private final Map<String, Entry> bySweep = new ConcurrentHashMap<>();

    /** The findings of {@code sweepId} from its {@code spec} and {@code trials}: the cached ones while neither changed. */
    Findings get(String sweepId, String spec, List<TrialRecord> trials) {
        String version = version(spec, trials);
        Entry e = bySweep.get(sweepId);
        if (e != null && e.version().equals(version)) {
            return e.findings();
        }
        Findings f = SweepReports.findings(spec, trials);
        bySweep.put(sweepId, new Entry(version, f));
        return f;
    }

    /** Forgets {@code sweepId} (deleted). */
    void forget(String sweepId) {
        bySweep.remove(sweepId);
    }

    /** A digest of everything the analysis reads: the spec and each trial's point, seed, state and result. */
    static String version(String spec, List<TrialRecord> trials) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(spec.getBytes(StandardCharsets.UTF_8));
            for (TrialRecord t : trials) {
                String row = "\n" + t.id() + "|" + t.optimizer() + "|" + t.point().storeText() + "|" + t.seed() + "|"
                        + t.status() + "|" + t.finalValLoss() + "|" + t.divergedAt() + "|" + t.stateBytes() + "|"
                        + t.result();
                d.update(row.getBytes(StandardCharsets.UTF_8));
            }
            return java.util.HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

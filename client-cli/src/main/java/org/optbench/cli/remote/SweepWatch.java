package org.optbench.cli.remote;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.optbench.proto.v1.Sweep;
import org.optbench.proto.v1.SweepEvent;
import org.optbench.proto.v1.Trial;
import org.optbench.proto.v1.TrialState;
import org.optbench.proto.v1.WatchSweepRequest;

/**
 * Follows a sweep's event stream and shows its progress: trials done, running and left, those
 * that diverged, stopped early, failed or were cancelled (when any), each
 * running trial's latest step and training loss, the best final loss so far and an ETA (from the
 * trials' step rates as soon as steps arrive, {@link StepEta}; else from finished trials). On a
 * terminal the line is redrawn in place (at most five times a second), cut to the terminal's
 * width so that it never wraps; otherwise a line is
 * printed whenever a trial changes state. Returns the sweep as its Done event gives it.
 */
public final class SweepWatch {

    /** Finished trials that did not complete, named when there are any. */
    private static final List<Map.Entry<TrialState, String>> ENDED_OTHERWISE = List.of(
            Map.entry(TrialState.TRIAL_STATE_DIVERGED, "diverged"), Map.entry(TrialState.TRIAL_STATE_STOPPED, "stopped early"),
            Map.entry(TrialState.TRIAL_STATE_FAILED, "failed"), Map.entry(TrialState.TRIAL_STATE_CANCELLED, "cancelled"));

    private final PrintWriter out;
    private final boolean terminal;
    private final TerminalWidth width = new TerminalWidth();
    private final Map<String, Trial> trials = new LinkedHashMap<>();
    private final long start = System.nanoTime();
    private final StepEta stepEta = new StepEta();
    private int finishedAtStart = -1;
    private long lastDraw;
    private String lastLine = "";

    public SweepWatch(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    public Sweep follow(Connection connection, String sweepId) {
        Iterator<SweepEvent> events = connection.streams().watchSweep(WatchSweepRequest.newBuilder().setSweepId(sweepId)
                .setSteps(true).build());
        Sweep done = null;
        while (events.hasNext()) {
            SweepEvent e = events.next();
            switch (e.getEventCase()) {
                case RESYNC -> {
                    trials.clear();
                    e.getResync().getTrialsList().forEach(t -> {
                        trials.put(t.getId(), t);
                        stepEta.seen(t.getId(), t.getLastStep());
                    });
                    if (finishedAtStart < 0) {
                        finishedAtStart = finished();
                    }
                    draw(true);
                }
                case TRIAL -> {
                    Trial before = trials.put(e.getTrial().getId(), e.getTrial());
                    stepEta.seen(e.getTrial().getId(), e.getTrial().getLastStep());
                    draw(before == null || before.getState() != e.getTrial().getState());
                }
                case STEPS -> {
                    Trial t = trials.get(e.getSteps().getTrialId());
                    int n = e.getSteps().getMetricsCount();
                    if (t != null && n > 0) {
                        var last = e.getSteps().getMetrics(n - 1);
                        trials.put(t.getId(), t.toBuilder().setLastStep(last.getStep()).setLastTrainLoss(last.getLoss()).build());
                        stepEta.stepped(t.getId(), last.getStep(), e.getSteps().getTotalSteps(), System.nanoTime());
                    }
                    draw(false);
                }
                case EVALS -> draw(false);
                case DONE -> done = e.getDone();
                default -> { }
            }
        }
        if (terminal) {
            out.println();
        }
        out.flush();
        return done;
    }

    private int finished() {
        return (int) trials.values().stream().filter(SweepWatch::isFinished).count();
    }

    static boolean isFinished(Trial t) {
        return t.getState() != TrialState.TRIAL_STATE_PENDING && t.getState() != TrialState.TRIAL_STATE_RUNNING;
    }

    private void draw(boolean changed) {
        long now = System.currentTimeMillis();
        if (terminal ? now - lastDraw < 200 && !changed : !changed) {
            return;
        }
        lastDraw = now;
        String line = line();
        if (terminal) {
            line = TerminalWidth.fit(line, width.columns());
            out.print("\r" + line + " ".repeat(Math.max(0, lastLine.length() - line.length())));
        } else if (!line.equals(lastLine)) {
            out.println(line);
        }
        lastLine = line;
        out.flush();
    }

    private String line() {
        int done = finished();
        Map<TrialState, Long> counts = trials.values().stream().collect(Collectors.groupingBy(Trial::getState,
                Collectors.counting()));
        long running = counts.getOrDefault(TrialState.TRIAL_STATE_RUNNING, 0L);
        int left = trials.size() - done;
        long now = System.nanoTime();
        double seconds = (now - start) / 1e9;
        int doneHere = done - Math.max(0, finishedAtStart);
        double secondsLeft = stepEta.secondsLeft(trials.values().stream().filter(t -> !isFinished(t)).map(Trial::getId)
                .toList(), now);
        if (Double.isNaN(secondsLeft) && doneHere > 0) {
            secondsLeft = seconds / doneHere * left;
        }
        String eta = Double.isNaN(secondsLeft) ? "--:--" : String.format(Locale.ROOT, "%02d:%02d", (long) secondsLeft / 60,
                (long) secondsLeft % 60);
        String live = trials.values().stream().filter(t -> t.getState() == TrialState.TRIAL_STATE_RUNNING && t.getLastStep() > 0)
                .map(t -> String.format(Locale.ROOT, "%s lr=%s @%d %.3f", t.getOptimizer(), t.getParamsOrDefault("lr", "?"),
                        t.getLastStep(), t.getLastTrainLoss()))
                .collect(Collectors.joining(" | "));
        String best = trials.values().stream().filter(t -> t.getState() == TrialState.TRIAL_STATE_COMPLETED && t.hasFinalValLoss())
                .min((a, b) -> Double.compare(a.getFinalValLoss(), b.getFinalValLoss()))
                .map(t -> String.format(Locale.ROOT, "  best %s lr=%s %.4f", t.getOptimizer(), t.getParamsOrDefault("lr", "?"),
                        t.getFinalValLoss())).orElse("");
        List<String> ended = new ArrayList<>();
        for (Map.Entry<TrialState, String> e : ENDED_OTHERWISE) {
            long n = counts.getOrDefault(e.getKey(), 0L);
            if (n > 0) {
                ended.add(n + " " + e.getValue());
            }
        }
        return String.format(Locale.ROOT, "trials %d/%d done, %d running, %d pending  ETA %s%s%s%s", done, trials.size(),
                running, left - running, eta, ended.isEmpty() ? "" : "  (" + String.join(", ", ended) + ")", best,
                live.isEmpty() ? "" : "  [" + live + "]");
    }
}

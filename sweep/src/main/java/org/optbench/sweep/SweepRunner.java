package org.optbench.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.optbench.sweep.exec.Outcome;
import org.optbench.sweep.exec.TrialExecutor;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.store.RunsDirectory;
import org.optbench.sweep.store.SweepStatus;
import org.optbench.sweep.store.TrialOutcome;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.store.TrialStore;
import org.optbench.sweep.trial.Trial;
import org.optbench.train.RunFiles;
import org.optbench.train.RunSummary;
import org.optbench.train.run.RunSpec;

/**
 * Runs a sweep to the end through an executor, keeping the store the source of truth: the sweep
 * and its trials are created (or found, when the same sweep runs again), trials a dead runner
 * left running go back to pending and resume from their checkpoints, failed ones are retried,
 * completed and diverged ones are never run twice. Up to {@code parallel} trials run at once, each
 * in {@code runs/<sweep>/<trial>/} with a quarter-run checkpoint cadence. With a report address,
 * every attempt gets its own worker token and reports its progress to the server there; a trial
 * whose worker reported no result is read back from its files. The spec's early-stopping rule is
 * applied as evaluations arrive; once every trial has finished, the trials {@link AdaptiveTrials}
 * decides on (refine, extend_edges) are added and run, until it adds none.
 */
public final class SweepRunner {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Progress of a running sweep. */
    public interface Listener {
        void update(List<TrialRecord> trials);
    }

    private final TrialStore store;
    private final TrialExecutor executor;
    private final Path runsDir;
    private final TrialPlacement placement;
    private String reportAddress;
    private String reportTrust;
    private WorkerSlots slots;
    private String owner;
    private final Map<String, String> reattached = new LinkedHashMap<>();   // trial id -> executor id
    private final Map<String, Integer> trialSteps = new java.util.HashMap<>();   // trial id -> its run's steps
    private String sweepId;

    public SweepRunner(TrialStore store, TrialExecutor executor, Path runsDir, TrialPlacement placement) {
        this.store = store;
        this.executor = executor;
        this.runsDir = runsDir;
        this.placement = placement;
    }

    /**
     * Workers report to the server at {@code hostPort} with a token minted per attempt, over TLS
     * trusting {@code trustPem} when it is not null.
     */
    public SweepRunner reportingTo(String hostPort, String trustPem) {
        this.reportAddress = hostPort;
        this.reportTrust = trustPem;
        return this;
    }

    /** Trials start only with one of the server's worker slots for {@code owner} (null: as many as parallel allows). */
    public SweepRunner limitedBy(WorkerSlots slots, String owner) {
        this.slots = slots;
        this.owner = owner;
        return this;
    }

    /**
     * Creates or resumes the sweep of {@code spec} for {@code owner} as {@code id} (its internal,
     * unique id, which names its directory) with the trials of its expansion, without running
     * anything. Failed trials are retried; cancelled ones too when {@code retryCancelled} (a user
     * runs the sweep again, rather than a restarted server picking it up).
     */
    public void prepare(String id, SweepSpec spec, List<Trial> expansion, String owner, boolean retryCancelled) {
        this.sweepId = id;
        store.createSweep(id, spec.name(), spec.text(), owner);
        store.ensureTrials(id, expansion);
        for (TrialRecord t : store.trials(id)) {
            if (t.status() != TrialStatus.RUNNING) {
                continue;
            }
            Path dir = trialDir(id, t);
            if (t.executorId() != null && executor.reattach(t.executorId(), dir)) {
                reattached.put(t.id(), t.executorId());
                continue;
            }
            executor.stopOrphan(t.executorId(), dir);
            if (!recoverFromFiles(t, dir)) {
                store.setStatus(t.id(), TrialStatus.PENDING, null);
            }
        }
        store.requeueFailed(id);
        if (retryCancelled) {
            store.requeueCancelled(id);
        }
        store.setSweepStatus(id, SweepStatus.RUNNING);
    }

    /**
     * What a trial's worker wrote while no server listened: every logged step and evaluation goes
     * into the store (rows it has are skipped), and a run that finished is recorded from its result
     * file instead of being run again. Returns true when the trial finished.
     */
    private boolean recoverFromFiles(TrialRecord t, Path dir) {
        try {
            List<MetricRow> rows = metrics(dir.resolve("metrics.jsonl"));
            if (!rows.isEmpty()) {
                store.recordProgress(t.id(), rows);
            }
            Path result = dir.resolve("result.json");
            if (!Files.isRegularFile(result)) {
                return false;
            }
            RunSummary r = RunFiles.readResult(result);
            store.finish(t.id(), new TrialOutcome(r.diverged() ? TrialStatus.DIVERGED : TrialStatus.COMPLETED,
                    r.finalValLoss(), r.divergedAtStep(), r.optimizerStateBytes(), RunFiles.resultJson(r), null, null));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;   // unreadable files: the trial runs again from its checkpoint
        }
    }

    /** The trial's directory, checked to lie under the runs directory. */
    public Path trialDir(String sweepId, TrialRecord t) {
        return new RunsDirectory(runsDir).resolve(sweepId, t.id());
    }

    /**
     * Runs the prepared sweep until no trial is pending or running, or until {@code cancelled}
     * says so: then running trials are stopped and pending ones cancelled. Returns true when the
     * sweep completed.
     */
    public boolean run(SweepSpec spec, Listener listener, BooleanSupplier cancelled) throws InterruptedException {
        Map<String, String> running = new LinkedHashMap<>(reattached);   // trial id -> executor id
        reattached.clear();
        if (slots != null) {
            running.keySet().forEach(t -> slots.hold(owner, placement.heapBytes()));
        }
        try {
            return run(spec, listener, cancelled, running);
        } finally {
            if (slots != null) {
                running.keySet().forEach(t -> slots.release(owner, placement.heapBytes()));
            }
        }
    }

    private boolean run(SweepSpec spec, Listener listener, BooleanSupplier cancelled, Map<String, String> running)
            throws InterruptedException {
        String id = sweepId;
        String waiting = null;
        EarlyStopper early = spec.earlyStop() == null ? null : new EarlyStopper(spec);
        long lastEarlyCheck = 0;
        while (true) {
            if (cancelled.getAsBoolean()) {
                running.forEach((trial, exec) -> {
                    executor.cancel(exec);
                    store.setStatus(trial, TrialStatus.CANCELLED, "cancelled by the sweep's owner");
                });
                store.cancelPending(id);
                store.setSweepStatus(id, SweepStatus.CANCELLED);
                listener.update(store.trials(id));
                return false;
            }
            List<TrialRecord> trials = store.trials(id);
            String refused = null;
            for (TrialRecord t : trials) {
                if (running.size() >= spec.parallel()) {
                    break;
                }
                if (t.status() == TrialStatus.PENDING && !running.containsKey(t.id())) {
                    refused = slots == null ? null : slots.tryAcquire(owner, placement.heapBytes());
                    if (refused != null) {
                        break;
                    }
                    try {
                        running.put(t.id(), start(spec, t));
                    } catch (RuntimeException e) {
                        if (slots != null) {
                            slots.release(owner, placement.heapBytes());
                        }
                        throw e;
                    }
                }
            }
            if (!java.util.Objects.equals(refused, waiting)) {
                store.setSweepReason(id, refused);   // sweep status says why its trials wait, until they start
                waiting = refused;
            }
            boolean ended = false;
            for (var it = running.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                Outcome outcome = executor.poll(e.getValue());
                if (outcome != null) {
                    record(spec, e.getKey(), outcome);
                    it.remove();
                    ended = true;
                    if (slots != null) {
                        slots.release(owner, placement.heapBytes());
                    }
                }
            }
            if (early != null && System.currentTimeMillis() - lastEarlyCheck > 500) {
                lastEarlyCheck = System.currentTimeMillis();
                early.apply(store.trials(id), running);
            }
            List<TrialRecord> now = store.trials(id);
            listener.update(now);
            if (running.isEmpty() && now.stream().noneMatch(t -> t.status() == TrialStatus.PENDING)) {
                List<Trial> more = AdaptiveTrials.next(spec, now);
                if (!more.isEmpty()) {
                    store.ensureTrials(id, more);
                    continue;
                }
                store.setSweepStatus(id, SweepStatus.COMPLETED);
                return true;
            }
            // a trial that ends wakes the loop, which starts the next one at once; one seen ending
            // in this pass has nothing left to wait for
            executor.awaitChange(ended ? 0 : 200);
        }
    }

    private String start(SweepSpec spec, TrialRecord t) {
        Path dir = trialDir(sweepId, t);
        String token = reportAddress == null ? null : HexFormat.of().formatHex(randomBytes());
        store.markRunning(t.id(), null, token);
        writeTrialFile(spec, t, dir, t.attempts() + 1, token);
        String exec = executor.submit(t.id(), dir);
        store.setExecutorId(t.id(), exec);
        return exec;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return b;
    }

    private void writeTrialFile(SweepSpec spec, TrialRecord t, Path dir, int attempt, String token) {
        TrialFile.Report report = token == null ? null : new TrialFile.Report(reportAddress, token, reportTrust);
        RunSpec run = forTrial(spec, spec.run(t.trial()), placement);
        if (run.training().steps() != null) {
            trialSteps.put(t.id(), run.training().steps());
        }
        new TrialFile(t.id(), attempt, report, run, placement.heapBytes(), spec.saveWeights()).write(dir);
    }

    /**
     * The run a trial's worker receives: the point's {@code run} with its data-set name resolved,
     * on the placement's kernel threads, evaluating also at the early-stopping rungs.
     */
    public static RunSpec forTrial(SweepSpec spec, RunSpec run, TrialPlacement placement) {
        RunSpec.Builder b = placement.datasets().resolve(run).toBuilder().threads(placement.threads());
        if (spec.earlyStop() != null && run.training().steps() != null) {
            b.evalSteps(spec.earlyStop().rungs(run.training().steps()));
        }
        return b.build();
    }

    private void record(SweepSpec spec, String trialId, Outcome outcome) {
        TrialRecord t = store.trial(trialId).orElseThrow();
        if (t.status() != TrialStatus.RUNNING) {
            return;   // its worker reported the result, or it was stopped
        }
        Path dir = trialDir(sweepId, t);
        Path result = dir.resolve("result.json");
        if (outcome.kind() == Outcome.Kind.CANCELLED) {
            store.setStatus(trialId, TrialStatus.CANCELLED, outcome.reason());
            return;
        }
        if (outcome.kind() == Outcome.Kind.LOST) {
            if (t.attempts() <= placement.retries()) {
                store.setStatus(trialId, TrialStatus.PENDING, null);   // resumes from its last checkpoint
            } else {
                store.finish(trialId, TrialOutcome.failed(outcome.reason() + "; gave up after " + t.attempts() + " attempts"));
            }
            return;
        }
        int exit = outcome.exitCode();
        if (exit != 0 || !Files.isRegularFile(result)) {
            store.finish(trialId, TrialOutcome.failed("exit code " + exit + (outcome.reason().isEmpty() ? ""
                    : " (" + outcome.reason() + ")") + ": " + logTail(dir.resolve("log.txt"))));
            return;
        }
        try {
            RunSummary r = RunFiles.readResult(result);
            store.finish(trialId, new TrialOutcome(r.diverged() ? TrialStatus.DIVERGED : TrialStatus.COMPLETED,
                    r.finalValLoss(), r.divergedAtStep(), r.optimizerStateBytes(), RunFiles.resultJson(r), null,
                    metrics(dir.resolve("metrics.jsonl"))));
        } catch (IOException | RuntimeException e) {
            store.finish(trialId, TrialOutcome.failed("unreadable result: " + e.getMessage()));
        }
    }

    static List<MetricRow> metrics(Path file) throws IOException {
        RunFiles.Metrics m = RunFiles.readMetrics(file);
        List<MetricRow> rows = new ArrayList<>();
        m.steps().forEach(s -> rows.add(new MetricRow(s.step(), "train", s.tokens(), s.loss(), s.lr(), s.gradNorm())));
        m.evals().forEach(e -> rows.add(new MetricRow(e.step(), "eval", null, e.valLoss(), null, null)));
        return rows;
    }

    private static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Applies the spec's early-stopping rule to running trials as their rung evaluations arrive. */
    private final class EarlyStopper {

        private final SweepSpec spec;
        private final java.util.Set<String> decided = new java.util.HashSet<>();   // "trial@step"

        EarlyStopper(SweepSpec spec) {
            this.spec = spec;
        }

        void apply(List<TrialRecord> trials, Map<String, String> running) {
            EarlyStopRule rule = spec.earlyStop();
            Map<String, Map<Integer, Double>> evals = new LinkedHashMap<>();
            for (TrialRecord t : trials) {
                Map<Integer, Double> byStep = new LinkedHashMap<>();
                store.metrics(t.id(), "eval").forEach(m -> byStep.put(m.step(), m.loss()));
                evals.put(t.id(), byStep);
            }
            for (TrialRecord t : trials) {
                if (!running.containsKey(t.id())) {
                    continue;
                }
                for (int rung : rule.rungs(steps(t))) {
                    Double loss = evals.get(t.id()).get(rung);
                    if (loss == null || !decided.add(t.id() + "@" + rung)) {
                        if (loss == null) {
                            break;
                        }
                        continue;
                    }
                    List<Double> cohort = new ArrayList<>();
                    for (TrialRecord o : trials) {
                        Double at = evals.get(o.id()).get(rung);
                        if (at != null && rule.cohort(o.optimizer()).equals(rule.cohort(t.optimizer()))) {
                            cohort.add(at);
                        }
                    }
                    if (rule.stops(loss, cohort)) {
                        executor.cancel(running.remove(t.id()));
                        store.setStatus(t.id(), TrialStatus.STOPPED, String.format(Locale.ROOT,
                                "early-stopped at step %d: val_loss %.4f is outside the best 1/%s of %d trials at this rung",
                                rung, loss, fmt(rule.eta()), cohort.size()));
                        break;
                    }
                }
            }
        }

        private int steps(TrialRecord t) {
            return trialSteps.computeIfAbsent(t.id(), id -> spec.run(t.trial()).training().steps());
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }
}

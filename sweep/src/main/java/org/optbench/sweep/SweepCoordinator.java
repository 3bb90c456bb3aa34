package org.optbench.sweep;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.optbench.model.ModelConfig;
import org.optbench.sweep.analysis.Findings;
import org.optbench.sweep.exec.ExecutorChoices;
import org.optbench.sweep.exec.ExecutorSpec;
import org.optbench.sweep.exec.TrialExecutor;
import org.optbench.sweep.exec.TrialExecutors;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.store.RunsDirectory;
import org.optbench.sweep.store.StoreException;
import org.optbench.sweep.store.SweepRow;
import org.optbench.sweep.store.SweepStatus;
import org.optbench.sweep.store.TrialOutcome;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.store.TrialStore;
import org.optbench.sweep.trial.Trial;
import org.optbench.train.data.DefaultCorpus;
import org.optbench.train.run.DataSpec;
import org.optbench.train.data.LocalDataCatalog;
import org.optbench.train.run.RunContext;
import org.optbench.train.run.RunSpec;

/**
 * The one coordinator of a server's sweeps, whatever carries the calls (gRPC, the embedded CLI):
 * it validates a submitted spec whole and registers it, drives each active sweep on its own thread
 * through a {@link SweepRunner} whose workers report to the server, holds the sweeps it drives
 * through claims in the store (so no two processes drive one sweep), resumes at start the sweeps a
 * stopped server left running, and cancels and deletes. What happens is told to a
 * {@link Listener} as domain events (a trial changed, a sweep ended); the server turns them into
 * its wire messages.
 */
public final class SweepCoordinator implements AutoCloseable {

    /** What the coordinator tells about the sweeps it drives. */
    public interface Listener {

        /** {@code trial} of sweep {@code sweepId} changed state or attempt, or appeared. */
        void trialChanged(String sweepId, TrialRecord trial);

        /** Sweep {@code sweepId} ended (completed, cancelled or paused by a failure) and is no longer driven here. */
        void ended(String sweepId);
    }

    /**
     * Where a coordinator keeps and runs its sweeps.
     *
     * @param store           the trial store, the source of truth
     * @param executors       opens the executors trials run on
     * @param choices         the executors a spec may choose
     * @param datasets        the data sets and weights runs may name (users' uploads are added under runsDir)
     * @param runsDir         where trial directories go
     * @param threadsPerTrial kernel threads per trial, or null for the executor's choice
     */
    public record Setup(TrialStore store, TrialExecutors executors, ExecutorChoices choices, Datasets datasets,
                        Path runsDir, Integer threadsPerTrial) {
    }

    /** The longest failure message a sweep's stored reason repeats. */
    private static final int MAX_REASON = 2000;

    private final TrialStore store;
    private final TrialExecutors executors;
    private final ExecutorChoices choices;
    private final Datasets datasets;
    private final Path runsDir;
    private final Integer threadsPerTrial;
    private final Listener listener;
    private final long maxTrialsPerSweep;
    private final boolean fetchesData;
    private final WeightsInbox inbox;
    private final RunsDirectory runs;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    /** This server's name as a sweep driver in the store. */
    private final String driver = SweepDrivers.open();
    /** Sweeps left running whose claim another process held when this server started: resumed once it lapses. */
    private final Set<String> awaitingClaim = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "optbench-sweep-claims");
                t.setDaemon(true);
                return t;
            });
    private volatile String reportAddress;
    private volatile String reportTrust;
    private volatile boolean closing;
    private final FindingsCache findingsCache = new FindingsCache();
    private volatile WorkerSlots slots;
    private volatile int userMaxSweeps;
    private volatile long userMaxTrials;
    private volatile long userMaxUploadBytes;
    private volatile java.util.function.Function<String, UserQuota> quotas = u -> UserQuota.NONE;

    private record Active(Thread thread, AtomicBoolean cancel, TrialExecutor executor) {
    }

    /**
     * @param setup             the store, executors, data sets and runs directory
     * @param maxTrialsPerSweep the most trials one sweep may have
     * @param fetchesData       whether the default corpus may be fetched for a sweep that needs it
     * @param listener          told of trial changes and ended sweeps
     */
    public SweepCoordinator(Setup setup, long maxTrialsPerSweep, boolean fetchesData, Listener listener) {
        this.store = setup.store();
        this.executors = setup.executors();
        this.choices = setup.choices();
        this.datasets = setup.datasets().withUploads(setup.runsDir().resolve(Datasets.UPLOADS_DIR));
        this.runsDir = setup.runsDir();
        this.threadsPerTrial = setup.threadsPerTrial();
        this.listener = listener;
        this.maxTrialsPerSweep = maxTrialsPerSweep;
        this.fetchesData = fetchesData;
        this.inbox = new WeightsInbox(datasets);
        inbox.removeStaleParts();
        this.runs = new RunsDirectory(setup.runsDir());
        renewals.scheduleWithFixedDelay(this::renewClaims, SweepDrivers.RENEW_MILLIS, SweepDrivers.RENEW_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** Every sweep in the store. */
    public List<SweepRow> sweeps() {
        return store.sweeps();
    }

    /** The sweep of this id. */
    public Optional<SweepRow> sweep(String id) {
        return store.sweep(id);
    }

    /** {@code owner}'s sweep named {@code name} (names are per user). */
    public Optional<SweepRow> sweepNamed(String owner, String name) {
        return store.sweepNamed(owner, name);
    }

    /** Every user's sweeps named {@code name}. */
    public List<SweepRow> sweepsNamed(String name) {
        return store.sweepsNamed(name);
    }

    /** The sweep's trials in expansion order. */
    public List<TrialRecord> trials(String sweepId) {
        return store.trials(sweepId);
    }

    /** The trial of this id. */
    public Optional<TrialRecord> trial(String trialId) {
        return store.trial(trialId);
    }

    /** A trial's metrics of a kind ({@code train} or {@code eval}), in step order. */
    public List<MetricRow> metrics(String trialId, String kind) {
        return store.metrics(trialId, kind);
    }

    /** Whether {@code token} is the current attempt's token of trial {@code trialId}. */
    public boolean isWorkerToken(String trialId, String token) {
        return store.isWorkerToken(trialId, token);
    }

    /** Stores a worker's progress rows; returns how many were new. */
    public int recordProgress(String trialId, List<MetricRow> rows) {
        return store.recordProgress(trialId, rows);
    }

    /**
     * Quotas per user, checked when a sweep is created: running sweeps and trials stored (0: none).
     *
     * @param maxSweeps sweeps a user may have running (or paused) at once
     * @param maxTrials trials a user's sweeps may hold in all, the new sweep's most included
     */
    public void limitUsers(int maxSweeps, long maxTrials) {
        this.userMaxSweeps = maxSweeps;
        this.userMaxTrials = maxTrials;
    }

    /** Each user's own limits (from the token file), which take the place of the server's defaults. */
    public void quotasFrom(java.util.function.Function<String, UserQuota> perUser) {
        this.quotas = perUser;
    }

    /** The bytes of weights, all versions counted, one user may keep (0: no limit). */
    public void limitUploads(long userMaxBytes) {
        this.userMaxUploadBytes = userMaxBytes;
    }

    /**
     * Caps the workers this server's sweeps run at once: {@code maxWorkers} in all (0: each sweep's
     * parallel only), {@code userMaxWorkers} per user (0: maxWorkers), their heaps {@code maxMemory}
     * bytes in all (0: no cap).
     */
    public void limitWorkers(int maxWorkers, int userMaxWorkers, long maxMemory) {
        WorkerSlots slots = maxWorkers <= 0 ? null : new WorkerSlots(maxWorkers, userMaxWorkers > 0
                ? Math.min(userMaxWorkers, maxWorkers) : maxWorkers, maxMemory > 0 ? maxMemory : Long.MAX_VALUE);
        this.slots = slots;
        if (slots != null) {
            slots.perUser(u -> quotas.apply(u).maxWorkers());   // read at each request: quotasFrom may come later
        }
    }

    /** Stores a worker's final result for its trial. */
    public void finish(String trialId, TrialOutcome outcome) {
        store.finish(trialId, outcome);
    }

    /** The findings of a sweep's trials under its spec's analysis and claims (computed again only when they changed). */
    public Findings findings(String sweepId) {
        return findingsCache.get(sweepId, store.sweepSpec(sweepId), store.trials(sweepId));
    }

    /** Writes a sweep's report into {@code dir}; returns the HTML file. */
    public Path writeReport(String sweepId, Path dir) throws java.io.IOException {
        return SweepReports.write(store, sweepId, dir);
    }

    /** The directory of a trial of a sweep under the runs directory. */
    public Path trialDirectory(String sweepId, String trialId) {
        return runs.resolve(sweepId, trialId);
    }

    /** A new private part file for {@code owner}'s upload of weights named {@code name} (the name checked first). */
    public Path openUpload(String owner, String name) {
        return inbox.open(owner, name);
    }

    /** Checks an upload's part file and keeps it as {@code owner}'s weights {@code name}; returns their model. */
    public ModelConfig acceptUpload(String owner, String name, Path part) {
        long maxUpload = java.util.Optional.ofNullable(quotas.apply(owner).maxUploadBytes()).orElse(userMaxUploadBytes);
        if (maxUpload > 0) {
            long used = datasets.uploadedBytes(owner);
            long size;
            try {
                size = Files.size(part);
            } catch (java.io.IOException e) {
                throw new StoreException("cannot read the upload: " + e.getMessage(), e);
            }
            if (used + size > maxUpload) {
                throw new QuotaExceededException("weights '" + name + "' (" + size + " bytes) would bring your uploads to "
                        + (used + size) + " bytes, past the " + maxUpload + " this server allows you "
                        + "(--user-max-upload-bytes or your max-upload-bytes); versions that no sweep needs can be removed "
                        + "by the operator");
            }
        }
        return inbox.accept(owner, name, part);
    }

    /**
     * Renews this server's claims; a sweep whose claim another process took meanwhile (this one
     * was stalled past the claim's life) stops being driven here, and sweeps awaiting a lapsed
     * claim are resumed.
     */
    private void renewClaims() {
        try {
            List<String> lost = store.renewDriving(List.copyOf(active.keySet()), driver,
                    System.currentTimeMillis() + SweepDrivers.CLAIM_MILLIS);
            for (String id : lost) {
                Active a = active.get(id);
                if (a != null) {
                    System.err.println("optbench server: sweep " + id + " is now driven by another process; this server "
                            + "stops driving it");
                    a.thread().interrupt();
                }
            }
            for (String id : List.copyOf(awaitingClaim)) {
                store.sweep(id).filter(r -> r.status() == SweepStatus.RUNNING && !isDriven(r)).ifPresent(this::resume);
                if (store.sweep(id).map(r -> r.status() != SweepStatus.RUNNING || active.containsKey(id)).orElse(true)) {
                    awaitingClaim.remove(id);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("optbench server: could not renew the claims on its sweeps: " + e.getMessage());
        }
    }

    /**
     * Where workers report: the server's network address, known once it listens, and the PEM
     * certificates they trust when it uses TLS (null for plaintext).
     */
    public void reportTo(String hostPort, String trustPem) {
        this.reportAddress = hostPort;
        this.reportTrust = trustPem;
    }

    /**
     * One user's own limits, from the server's token file ({@code max-workers=2 max-sweeps=5
     * max-trials=20000 max-upload-bytes=8g} on the user's line); a null limit is the server's
     * default for every user.
     *
     * @param maxWorkers     workers at once (capped by the server's --max-workers), or null
     * @param maxSweeps      unfinished sweeps, or null
     * @param maxTrials      trials the user's sweeps may hold, or null
     * @param maxUploadBytes bytes of weights, every version counted, or null
     */
    public record UserQuota(Integer maxWorkers, Integer maxSweeps, Long maxTrials, Long maxUploadBytes) {

        /** No limit of the user's own: the server's defaults hold. */
        public static final UserQuota NONE = new UserQuota(null, null, null, null);

        /** The settings a quota reads: {@code max-workers}, {@code max-sweeps}, {@code max-trials}, {@code max-upload-bytes}. */
        public static final List<String> KEYS = List.of("max-workers", "max-sweeps", "max-trials", "max-upload-bytes");

        /**
         * The quota of {@code settings} (key to its text, keys among {@link #KEYS}); a value that is not
         * a positive whole number (a size such as 8g for max-upload-bytes) is an
         * IllegalArgumentException naming it.
         */
        public static UserQuota of(Map<String, String> settings) {
            Map<String, Long> n = new HashMap<>();
            settings.forEach((key, text) -> {
                long v = key.equals("max-upload-bytes") ? org.optbench.sweep.exec.MemorySize.bytes(text, 1) : whole(text);
                boolean fits = key.equals("max-upload-bytes") || key.equals("max-trials") || v <= Integer.MAX_VALUE;
                if (v < 1 || !fits) {
                    throw new IllegalArgumentException(key + "=" + text + " must be a positive " + (key.equals(
                            "max-upload-bytes") ? "size such as 8g" : "whole number"));
                }
                n.put(key, v);
            });
            return new UserQuota(n.containsKey("max-workers") ? (int) (long) n.get("max-workers") : null,
                    n.containsKey("max-sweeps") ? (int) (long) n.get("max-sweeps") : null, n.get("max-trials"),
                    n.get("max-upload-bytes"));
        }

        private static long whole(String text) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    /**
     * What a server did at start with the sweeps it found unfinished.
     *
     * @param resumed sweeps resumed (or left to the process that drives them until its claim lapses)
     * @param paused  sweeps their users interrupted, left paused
     */
    public record Resumption(List<SweepRow> resumed, List<SweepRow> paused) {
    }

    /**
     * Resumes every sweep a previous server or runner left running; one that another process drives
     * is resumed when that process's claim lapses. A sweep its user interrupted stays paused unless
     * {@code includePaused}: it resumes with {@code sweep resume} or its study run again.
     */
    public Resumption resumeInterrupted(boolean includePaused) {
        List<SweepRow> resumed = new ArrayList<>();
        List<SweepRow> paused = new ArrayList<>();
        for (SweepRow row : store.sweeps()) {
            if (row.status() != SweepStatus.RUNNING) {
                continue;
            }
            if (row.pausedByUser() && !includePaused) {
                paused.add(row);
            } else if (resume(row)) {
                resumed.add(row);
            }
        }
        return new Resumption(resumed, paused);
    }

    /** Resumes {@code row}'s sweep here, or once its driver's claim lapses; false when it cannot be resumed. */
    private synchronized boolean resume(SweepRow row) {
        if (active.containsKey(row.id())) {
            return true;
        }
        try {
            SweepSpec spec = SweepSpecParser.parse(row.spec(), "sweep " + row.id());
            start(row.id(), spec, SweepExpander.expand(spec), row.owner(), false, placement(spec, true, row.owner(),
                    store.pinnedWeights(row.id())));
            awaitingClaim.remove(row.id());
            return true;
        } catch (SweepClaimedException e) {
            if (awaitingClaim.add(row.id())) {
                System.err.println("optbench server: sweep " + row.id() + " is left to its driver until its claim lapses: "
                        + e.getMessage());
            }
            return true;
        } catch (RuntimeException e) {
            System.err.println("optbench server: sweep " + row.id() + " stays paused, it cannot be resumed: "
                    + e.getMessage());
            store.setSweepReason(row.id(), "paused: cannot be resumed: " + reason(e));
            return false;
        }
    }

    /**
     * Creates (or resumes) the sweep of {@code text} for {@code owner} and starts it. The whole
     * spec is checked first, its trial count and every point's run, before anything is stored; a
     * remote user's ({@code trusted} false) may choose only among the server's executors and name
     * only its data sets. The same name with another spec, or another user's name, is refused.
     */
    public SweepRow create(String text, String source, String owner, boolean trusted) {
        SweepSpec spec = SweepSpecParser.parse(text, source);
        Map<String, String> pins = store.sweepNamed(owner, spec.name()).filter(r -> r.spec().equals(spec.text()))
                .map(r -> store.pinnedWeights(r.id())).orElseGet(() -> datasets.pin(owner, weightsNamed(spec)));
        TrialPlacement placement = placement(spec, trusted, owner, pins);
        RunContext context = new RunContext(placement.heapBytes(), "give trials more heap (OPTBENCH_WORKER_HEAP when the "
                + "server starts, or executor.mem for Slurm)", LocalDataCatalog.standard());
        List<Trial> trials = SweepValidator.validate(spec, maxTrialsPerSweep, p -> {
            RunSpec run = spec.run(p);
            if (!trusted) {
                placement.datasets().checkRemote(run);
            }
            return SweepRunner.forTrial(spec, run, placement);
        }, context);
        if (!fetchesData) {
            for (DataSpec.Tokenization t : spec.defaultCorpora()) {
                if (!DefaultCorpus.isPrepared(DefaultCorpus.root(), t)) {
                    throw new SweepStateException("this server has not prepared the default corpus as " + t.label()
                            + " (it fetches nothing for a request); its operator runs 'optbench data fetch"
                            + (t == DataSpec.Tokenization.SOTU_8K ? "" : " --tokenization " + t.label())
                            + "', or name another data set");
                }
            }
        }
        return register(spec, trials, owner, placement, pins);
    }

    /** Refuses a new sweep past the owner's quotas, naming the quota and the way out. */
    private void checkQuotas(String owner, SweepSpec spec) {
        UserQuota own = quotas.apply(owner);
        int userMaxSweeps = own.maxSweeps() != null ? own.maxSweeps() : this.userMaxSweeps;
        long userMaxTrials = own.maxTrials() != null ? own.maxTrials() : this.userMaxTrials;
        if (userMaxSweeps > 0) {
            long running = store.sweeps().stream().filter(r -> r.owner().equals(owner) && r.running()).count();
            if (running >= userMaxSweeps) {
                throw new QuotaExceededException("you have " + running + " unfinished sweeps, the most this server allows "
                        + "you (--user-max-sweeps or your max-sweeps: " + userMaxSweeps + "); wait for one to finish, or "
                        + "cancel or delete one");
            }
        }
        if (userMaxTrials > 0) {
            long stored = store.trialCountOf(owner);
            long most = spec.maxTrialCount();
            if (most > userMaxTrials - stored) {
                throw new QuotaExceededException("sweep '" + spec.name() + "' may run " + most + " trials and your sweeps "
                        + "hold " + stored + ", past the " + userMaxTrials + " this server allows you "
                        + "(--user-max-trials or your max-trials); delete sweeps you no longer need or narrow the spec");
            }
        }
    }

    /** The init_weights a spec names: the fixed one and every swept value. */
    private static Set<Path> weightsNamed(SweepSpec spec) {
        Set<Path> names = new java.util.TreeSet<>();
        if (spec.base().model().initWeights() != null) {
            names.add(spec.base().model().initWeights());
        }
        List<Map<String, SweepParameter>> params = new ArrayList<>(spec.optimizers().values());
        params.add(spec.shared());
        for (Map<String, SweepParameter> own : params) {
            SweepParameter p = own.get("init_weights");
            if (p != null && p.grid() != null) {
                p.grid().forEach(v -> names.add(Path.of(v.text())));
            }
        }
        return names;
    }

    /**
     * Stores and starts a checked spec; the only part of creating a sweep that holds the lock.
     * Names are per user: the owner's sweep of that name is resumed (when its spec is the same),
     * and a new sweep gets a fresh internal id, which names its directory.
     */
    private synchronized SweepRow register(SweepSpec spec, List<Trial> trials, String owner, TrialPlacement placement,
                                           Map<String, String> pins) {
        Optional<SweepRow> existing = store.sweepNamed(owner, spec.name());
        if (existing.isPresent() && !existing.get().spec().equals(spec.text())) {
            throw new SweepConflictException("you already have a sweep '" + spec.name() + "' with a different spec; give "
                    + "the changed spec a new name (or delete the old sweep)");
        }
        if (existing.isEmpty()) {
            checkQuotas(owner, spec);
        }
        String id = existing.map(SweepRow::id).orElseGet(() -> freshId(spec.name()));
        Active ending = active.get(id);
        if (ending != null && ending.cancel().get()) {
            try {
                ending.thread().join(60_000);   // a cancelled runner is stopping its trials; then the sweep resumes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ShuttingDownException();
            }
        }
        store.pinWeights(id, pins);   // a sweep that has pins keeps them
        if (!active.containsKey(id)) {
            start(id, spec, trials, owner, true, placement);
        }
        return store.sweep(id).orElseThrow(() -> new SweepNotFoundException("sweep '" + spec.name()
                + "' was deleted while it was being created; submit it again"));
    }

    /**
     * An internal id for a new sweep called {@code name}: the name itself while no sweep and no
     * directory has it, else the name with a random suffix, so no sweep ever finds another one's
     * files (a deleted sweep's, another user's).
     */
    private String freshId(String name) {
        RunsDirectory runs = new RunsDirectory(runsDir);
        String id = name;
        while (store.sweep(id).isPresent() || Files.exists(runs.resolve(id))) {
            id = name + "-" + HexFormat.of().toHexDigits(RANDOM.nextInt());
        }
        return id;
    }

    /**
     * Where and how the trials of {@code owner}'s {@code spec} run, with what its runs may name
     * (the offered data and weights, and the owner's uploads); a stored spec was checked when it
     * was created.
     */
    private TrialPlacement placement(SweepSpec spec, boolean trusted, String owner, Map<String, String> pins) {
        ExecutorSpec where = choices.resolve(spec.executor(), trusted);
        return new TrialPlacement(where.threadsPerTrial(threadsPerTrial, spec.parallel()), where.retries(),
                executors.workerHeapBytes(where), datasets.forOwner(owner).pinned(owner, pins), where);
    }

    private void start(String id, SweepSpec spec, List<Trial> trials, String owner, boolean retryCancelled,
                       TrialPlacement placement) {
        if (closing) {
            throw new ShuttingDownException();
        }
        boolean stored = store.sweep(id).isPresent();
        if (stored) {
            claim(id);   // before preparing, which touches the trials of a sweep another process may drive
        }
        TrialExecutor executor;
        SweepRunner runner;
        try {
            executor = executors.open(placement.executor());
            runner = new SweepRunner(store, executor, runsDir, placement).reportingTo(reportAddress, reportTrust)
                    .limitedBy(slots, owner);
            runner.prepare(id, spec, trials, owner, retryCancelled);
            if (!stored) {
                claim(id);   // a new sweep, stored by prepare
            }
        } catch (RuntimeException e) {
            if (!(e instanceof SweepClaimedException)) {
                store.releaseDriving(id, driver);
            }
            throw e;
        }
        AtomicBoolean cancel = new AtomicBoolean();
        Thread thread = new Thread(() -> drive(id, spec, runner, cancel, executor), "optbench-sweep-" + id);
        thread.setDaemon(true);
        active.put(id, new Active(thread, cancel, executor));
        thread.start();
    }

    /**
     * Runs the sweep to its end, then leaves the active set and only then publishes Done: a
     * watcher that subscribes while the sweep is still active gets this Done, and one that
     * subscribes after finds it inactive and is sent Done by the service, so none waits forever.
     */
    private void drive(String id, SweepSpec spec, SweepRunner runner, AtomicBoolean cancel, TrialExecutor executor) {
        Map<String, Integer> seen = new HashMap<>();   // trial id -> status ordinal * 1e6 + attempts
        boolean ended = false;
        try {
            if (fetchesData) {
                for (DataSpec.Tokenization t : spec.defaultCorpora()) {
                    DefaultCorpus.ensure(DefaultCorpus.root(), t, new PrintWriter(System.err, true));
                }
            }
            runner.run(spec, trials -> publishChanges(id, trials, seen),
                    () -> cancel.get() || store.sweep(id).map(r -> r.status() == SweepStatus.CANCELLED).orElse(true));
            ended = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closing) {   // a runner stopped by the shutdown keeps the reason it had (its user's pause)
                System.err.println("optbench server: sweep " + id + " is paused, its runner failed: " + e.getMessage());
                store.setSweepReason(id, "paused: " + reason(e));
            }
            ended = true;
        } finally {
            try {
                store.releaseDriving(id, driver);   // before leaving the active set, so a new runner's claim is not undone
            } finally {
                active.remove(id);
                if (closing) {
                    executor.close();
                }
                if (ended) {
                    listener.ended(id);
                }
            }
        }
    }

    /**
     * Claims sweep {@code id} for this server in the store, so no other process drives it at the
     * same time; a claim left by a driver known to have stopped is taken over.
     */
    private void claim(String id) {
        long now = System.currentTimeMillis();
        String holder = store.sweep(id).map(SweepRow::driver).orElse(null);
        String stale = SweepDrivers.stopped(holder) ? holder : null;
        if (!store.claimDriving(id, driver, stale, now, now + SweepDrivers.CLAIM_MILLIS)) {
            throw new SweepClaimedException("sweep '" + id + "' is being run by another optbench "
                    + SweepDrivers.describe(String.valueOf(holder)) + "; wait until it stops (its claim lapses "
                    + SweepDrivers.CLAIM_MILLIS / 1000 + " s after it stops), then run this again");
        }
    }

    /**
     * Whether some process drives the sweep of {@code row} now: this server, or another whose
     * claim in the store holds (a study in another terminal, another server on the same store).
     */
    public boolean isDriven(SweepRow row) {
        return active.containsKey(row.id()) || row.driven(System.currentTimeMillis());
    }

    /**
     * Tells the listener of each trial whose state or attempt changed since the last look, and of
     * each trial that appeared since (refine and extend_edges add trials as results come in). The
     * first look tells of every trial: a watcher's snapshot may predate it (a resumed sweep marks
     * its trials running before the runner first looks), and a change it already knows is harmless.
     */
    private void publishChanges(String id, List<TrialRecord> trials, Map<String, Integer> seen) {
        for (TrialRecord t : trials) {
            int key = t.status().ordinal() * 1_000_000 + t.attempts();
            Integer before = seen.put(t.id(), key);
            if (before == null || before != key) {
                listener.trialChanged(id, t);
            }
        }
    }

    /** Whether this coordinator drives sweep {@code id} now. */
    public boolean isActive(String id) {
        return active.containsKey(id);
    }

    /** A failure's message as a sweep's stored reason repeats it: cut at {@value #MAX_REASON} characters. */
    private static String reason(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        return message.length() <= MAX_REASON ? message : message.substring(0, MAX_REASON) + "... ("
                + (message.length() - MAX_REASON) + " more characters)";
    }

    /** Cancels an active sweep and waits for its runner to stop its trials. */
    public void cancel(String id) throws InterruptedException {
        Active a = active.get(id);
        if (a == null) {
            SweepRow row = store.sweep(id).orElseThrow(() -> new SweepNotFoundException("no sweep '" + id + "'"));
            if (row.status() != SweepStatus.RUNNING) {
                throw new SweepStateException("sweep '" + id + "' is already " + row.status().label());
            }
            store.cancelPending(id);
            store.trials(id).stream().filter(t -> t.status() == TrialStatus.RUNNING)
                    .forEach(t -> store.setStatus(t.id(), TrialStatus.CANCELLED, "cancelled by the sweep's owner"));
            store.setSweepStatus(id, SweepStatus.CANCELLED);
            return;
        }
        a.cancel().set(true);
        a.thread().join(60_000);
    }

    /**
     * Deletes a sweep that is not running, with its directory (trial files, checkpoints, report);
     * under the lock that creating a sweep holds, so the two never interleave.
     */
    public synchronized void delete(String id) {
        if (isActive(id) || store.sweep(id).map(this::isDriven).orElse(false)) {
            throw new SweepStateException("sweep '" + id + "' is running; cancel it first");
        }
        store.deleteSweep(id);
        findingsCache.forget(id);
        Path dir = new RunsDirectory(runsDir).resolve(id);
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (java.io.IOException e) {
                System.err.println("optbench server: sweep " + id + " is deleted but its directory " + dir
                        + " could not be removed (" + e.getMessage() + "); a new sweep will not use it");
            }
        }
    }

    /**
     * Stops driving sweeps: their runner threads end and their local workers are stopped; the
     * trials stay "running" in the store so the next server resumes them.
     */
    @Override
    public void close() {
        closing = true;
        renewals.shutdownNow();
        SweepDrivers.closed(driver);
        for (Active a : active.values()) {
            a.thread().interrupt();
        }
        for (Active a : active.values()) {
            try {
                a.thread().join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            a.executor().close();
        }
    }
}

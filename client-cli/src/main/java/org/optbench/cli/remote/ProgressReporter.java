package org.optbench.cli.remote;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.optbench.proto.v1.Metric;
import org.optbench.proto.v1.ProgressReport;
import org.optbench.proto.v1.ReportAck;
import org.optbench.proto.v1.ResultReport;
import org.optbench.proto.v1.WorkerServiceGrpc;
import org.optbench.server.auth.AuthInterceptor;
import org.optbench.train.EvalRecord;
import org.optbench.train.RunFiles;
import org.optbench.train.RunListener;
import org.optbench.train.RunSummary;
import org.optbench.train.StepRecord;

/**
 * A sweep worker's line to the server (TLS when the server uses it, trusting the certificate the
 * trial file carries): training steps are batched (sent every second or 64 steps) and evaluations
 * are sent at once, both by a sender thread of the reporter's own, so that training never waits
 * for the server (a local study's runner takes about 20 ms to record a report); the result at the
 * end is sent once everything before it has been. Reports are idempotent, so a failed send is
 * retried with backoff; while the server is unreachable the rows stay buffered and go with the
 * next report. When the server says this attempt is no longer current (the trial was cancelled,
 * stopped early or given to another attempt), the run ends with
 * {@link AttemptSupersededException} at its next step.
 */
public final class ProgressReporter implements RunListener, AutoCloseable {

    /** Thrown into the training loop when the server has replaced or stopped this attempt. */
    public static final class AttemptSupersededException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AttemptSupersededException(String message) {
            super(message);
        }
    }

    /** The most rows one report carries (the server takes at most 100,000). */
    static final int ROWS_PER_REPORT = 1000;

    private final ManagedChannel channel;
    private final WorkerServiceGrpc.WorkerServiceBlockingStub stub;
    private final String trialId;
    private final int attempt;
    /** Guards the buffered rows and the time of the last send, shared by training and the sender. */
    private final Object rows = new Object();
    private final List<Metric> steps = new ArrayList<>();
    private final List<Metric> evals = new ArrayList<>();
    private long lastSend = System.currentTimeMillis();
    private volatile int totalSteps;
    /** Runs every report in turn: one send at a time, in the order the rows were logged. */
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "progress-reporter");
        t.setDaemon(true);
        return t;
    });
    /** Whether a send is queued that has not started yet. */
    private final AtomicBoolean waiting = new AtomicBoolean();
    /** Set by the sender when the server has ended this attempt; training throws it. */
    private volatile AttemptSupersededException superseded;

    /** Reports to {@code server}; over TLS trusting {@code trustPem} when it is not null, else in plaintext. */
    public ProgressReporter(String server, String token, String trialId, int attempt, String trustPem) {
        this.channel = channel(server, trustPem);
        Metadata headers = new Metadata();
        headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
        headers.put(AuthInterceptor.TRIAL, trialId);
        this.stub = WorkerServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        this.trialId = trialId;
        this.attempt = attempt;
    }

    private static ManagedChannel channel(String server, String trustPem) {
        NettyChannelBuilder b = NettyChannelBuilder.forTarget(server);
        if (trustPem == null) {
            return b.usePlaintext().build();
        }
        try {
            return b.sslContext(GrpcSslContexts.forClient().trustManager(new java.io.ByteArrayInputStream(
                    trustPem.getBytes(java.nio.charset.StandardCharsets.UTF_8))).build()).useTransportSecurity().build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("the server's certificate in trial.json is not usable: " + e.getMessage(), e);
        }
    }

    @Override
    public void onPlan(int totalSteps) {
        this.totalSteps = totalSteps;
    }

    @Override
    public void onStep(StepRecord r) {
        throwIfSuperseded();
        boolean due;
        synchronized (rows) {
            steps.add(metric(r));
            due = steps.size() >= 64 || System.currentTimeMillis() - lastSend >= 1000;
        }
        if (due) {
            sendLater();
        }
    }

    @Override
    public void onEval(EvalRecord e) {
        throwIfSuperseded();
        synchronized (rows) {
            evals.add(metric(e));
        }
        sendLater();
    }

    private void throwIfSuperseded() {
        AttemptSupersededException e = superseded;
        if (e != null) {
            throw e;
        }
    }

    /** Queues a send of what is buffered, unless a queued send has yet to start (it will carry it). */
    private void sendLater() {
        synchronized (rows) {
            lastSend = System.currentTimeMillis();
        }
        if (waiting.compareAndSet(false, true)) {
            sender.execute(() -> {
                waiting.set(false);
                flushRecording(3);
            });
        }
    }

    /** Sends what is buffered now, on the sender after any queued send, and waits for it. */
    private void sendNow(int tries) {
        try {
            sender.submit(() -> flushRecording(tries)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending the progress", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("the progress sender failed: " + e.getCause(), e.getCause());
        }
        throwIfSuperseded();
    }

    private void flushRecording(int tries) {
        try {
            flush(tries);
        } catch (AttemptSupersededException e) {
            superseded = e;
        }
    }

    /**
     * Queues rows logged before this process started (the metrics file kept up to the checkpoint a
     * resumed run continues from), which the server may have missed while it was down; the server
     * skips the rows it has.
     */
    public void replay(RunFiles.Metrics logged) {
        synchronized (rows) {
            logged.steps().forEach(s -> steps.add(metric(s)));
            logged.evals().forEach(e -> evals.add(metric(e)));
        }
        sendNow(3);
    }

    private static Metric metric(StepRecord r) {
        return Metric.newBuilder().setStep(r.step()).setTokens(r.tokens()).setLoss(r.loss()).setLr(r.lr())
                .setGradNorm(r.gradNorm()).build();
    }

    private static Metric metric(EvalRecord e) {
        return Metric.newBuilder().setStep(e.step()).setTokens(e.tokens()).setLoss(e.valLoss()).build();
    }

    /**
     * Sends what is buffered, in reports of at most {@link #ROWS_PER_REPORT} rows; keeps what the
     * server could not take in {@code tries} tries. Runs on the sender only; rows logged while a
     * report is on its way stay buffered behind the ones it carries.
     */
    private void flush(int tries) {
        while (true) {
            ProgressReport report;
            int nSteps;
            int nEvals;
            synchronized (rows) {
                if (steps.isEmpty() && evals.isEmpty()) {
                    return;
                }
                nEvals = Math.min(evals.size(), ROWS_PER_REPORT);
                nSteps = Math.min(steps.size(), ROWS_PER_REPORT - nEvals);
                report = ProgressReport.newBuilder().setTrialId(trialId).setAttempt(attempt).setTotalSteps(totalSteps)
                        .addAllSteps(steps.subList(0, nSteps)).addAllEvals(evals.subList(0, nEvals)).build();
            }
            if (send(() -> stub.withDeadlineAfter(10, TimeUnit.SECONDS).reportProgress(report), tries) == null) {
                return;
            }
            synchronized (rows) {
                steps.subList(0, nSteps).clear();
                evals.subList(0, nEvals).clear();
            }
        }
    }

    /** Sends the final progress and the run's result, retrying for about a minute. */
    public void result(RunSummary summary) {
        sendNow(8);
        ResultReport.Builder r = ResultReport.newBuilder().setTrialId(trialId).setAttempt(attempt)
                .setDiverged(summary.diverged()).setStateBytes(summary.optimizerStateBytes())
                .setResultJson(RunFiles.resultJson(summary));
        if (summary.finalValLoss() != null) {
            r.setFinalValLoss(summary.finalValLoss());
        }
        if (summary.divergedAtStep() != null) {
            r.setDivergedAtStep(summary.divergedAtStep());
        }
        ResultReport report = r.build();
        send(() -> stub.withDeadlineAfter(10, TimeUnit.SECONDS).reportResult(report), 8);
    }

    private static ReportAck send(Supplier<ReportAck> call, int tries) {
        long backoff = 250;
        for (int i = 0; i < tries; i++) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return null;   // the reporter is closing: the rows are in the metrics file
                }
                Status.Code code = e.getStatus().getCode();
                if (code == Status.Code.FAILED_PRECONDITION || code == Status.Code.UNAUTHENTICATED
                        || code == Status.Code.PERMISSION_DENIED || code == Status.Code.NOT_FOUND) {
                    throw new AttemptSupersededException("the server ended this attempt: " + e.getStatus().getDescription());
                }
                if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED
                        && code != Status.Code.RESOURCE_EXHAUSTED) {
                    System.err.println("worker: report refused (" + code + ": " + e.getStatus().getDescription() + ")");
                    return null;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                backoff = Math.min(8_000, backoff * 2);
            }
        }
        return null;
    }

    /**
     * Stops the sender (a report still on its way is abandoned: its rows are in the trial's metrics
     * file, which a resumed attempt replays) and the channel.
     */
    @Override
    public void close() {
        sender.shutdownNow();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.shutdownNow();
    }
}

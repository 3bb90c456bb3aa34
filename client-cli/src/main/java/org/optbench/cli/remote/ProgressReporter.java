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
import java.util.concurrent.TimeUnit;
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
 * trial file carries): training steps are batched (sent every second or 64
 * steps), evaluations are sent at once, and the result at the end. Reports are idempotent, so a
 * failed send is retried with backoff; while the server is unreachable the rows stay buffered and
 * go with the next report. When the server says this attempt is no longer current (the trial was
 * cancelled, stopped early or given to another attempt), the run ends with
 * {@link AttemptSupersededException}.
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
    private final List<Metric> steps = new ArrayList<>();
    private final List<Metric> evals = new ArrayList<>();
    private long lastSend = System.currentTimeMillis();
    private int totalSteps;

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
        steps.add(metric(r));
        if (steps.size() >= 64 || System.currentTimeMillis() - lastSend >= 1000) {
            flush(3);
        }
    }

    @Override
    public void onEval(EvalRecord e) {
        evals.add(metric(e));
        flush(3);
    }

    /**
     * Queues rows logged before this process started (the metrics file kept up to the checkpoint a
     * resumed run continues from), which the server may have missed while it was down; the server
     * skips the rows it has.
     */
    public void replay(RunFiles.Metrics logged) {
        logged.steps().forEach(s -> steps.add(metric(s)));
        logged.evals().forEach(e -> evals.add(metric(e)));
        flush(3);
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
     * server could not take in {@code tries} tries.
     */
    private void flush(int tries) {
        lastSend = System.currentTimeMillis();
        while (!steps.isEmpty() || !evals.isEmpty()) {
            int nEvals = Math.min(evals.size(), ROWS_PER_REPORT);
            int nSteps = Math.min(steps.size(), ROWS_PER_REPORT - nEvals);
            ProgressReport report = ProgressReport.newBuilder().setTrialId(trialId).setAttempt(attempt)
                    .setTotalSteps(totalSteps).addAllSteps(steps.subList(0, nSteps)).addAllEvals(evals.subList(0, nEvals)).build();
            if (send(() -> stub.withDeadlineAfter(10, TimeUnit.SECONDS).reportProgress(report), tries) == null) {
                return;
            }
            steps.subList(0, nSteps).clear();
            evals.subList(0, nEvals).clear();
        }
    }

    /** Sends the final progress and the run's result, retrying for about a minute. */
    public void result(RunSummary summary) {
        flush(8);
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

    @Override
    public void close() {
        channel.shutdownNow();
    }
}

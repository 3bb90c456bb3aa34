package org.optbench.cli.remote;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
 * A sweep worker's line to the server: training steps are batched (sent every second or 64
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

    private final ManagedChannel channel;
    private final WorkerServiceGrpc.WorkerServiceBlockingStub stub;
    private final String trialId;
    private final int attempt;
    private final List<Metric> steps = new ArrayList<>();
    private final List<Metric> evals = new ArrayList<>();
    private long lastSend = System.currentTimeMillis();

    public ProgressReporter(String server, String token, String trialId, int attempt) {
        this.channel = NettyChannelBuilder.forTarget(server).usePlaintext().build();
        Metadata headers = new Metadata();
        headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
        headers.put(AuthInterceptor.TRIAL, trialId);
        this.stub = WorkerServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        this.trialId = trialId;
        this.attempt = attempt;
    }

    @Override
    public void onStep(StepRecord r) {
        steps.add(Metric.newBuilder().setStep(r.step()).setTokens(r.tokens()).setLoss(r.loss()).setLr(r.lr())
                .setGradNorm(r.gradNorm()).build());
        if (steps.size() >= 64 || System.currentTimeMillis() - lastSend >= 1000) {
            flush(3);
        }
    }

    @Override
    public void onEval(EvalRecord e) {
        evals.add(Metric.newBuilder().setStep(e.step()).setTokens(e.tokens()).setLoss(e.valLoss()).build());
        flush(3);
    }

    /** Sends what is buffered; keeps it when the server cannot be reached in {@code tries} tries. */
    private void flush(int tries) {
        lastSend = System.currentTimeMillis();
        if (steps.isEmpty() && evals.isEmpty()) {
            return;
        }
        ProgressReport report = ProgressReport.newBuilder().setTrialId(trialId).setAttempt(attempt).addAllSteps(steps)
                .addAllEvals(evals).build();
        if (send(() -> stub.withDeadlineAfter(10, TimeUnit.SECONDS).reportProgress(report), tries) != null) {
            steps.clear();
            evals.clear();
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

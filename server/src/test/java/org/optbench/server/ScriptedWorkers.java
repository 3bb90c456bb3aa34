package org.optbench.server;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.optbench.proto.v1.Metric;
import org.optbench.proto.v1.ProgressReport;
import org.optbench.proto.v1.ResultReport;
import org.optbench.proto.v1.WorkerServiceGrpc;
import org.optbench.sweep.TrialFile;
import org.optbench.sweep.exec.TrialExecutor;

/**
 * An executor whose "workers" are threads that report a scripted run over real gRPC with the
 * attempt's token: {@code steps} steps of {@code stepMillis} each, loss 5 + |log10(lr) + 2| + 1/step,
 * an evaluation at every {@code evalEvery} steps and the last, then the result. The server under
 * test cannot tell them from trial processes.
 */
final class ScriptedWorkers implements TrialExecutor {

    private final int steps;
    private final long stepMillis;
    private final int evalEvery;
    private final Map<String, Thread> threads = new ConcurrentHashMap<>();
    private final Map<String, Integer> exits = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    final AtomicInteger started = new AtomicInteger();

    ScriptedWorkers(int steps, long stepMillis, int evalEvery) {
        this.steps = steps;
        this.stepMillis = stepMillis;
        this.evalEvery = evalEvery;
    }

    static double loss(double lr, int step) {
        return 5 + Math.abs(Math.log10(lr) + 2) + 1.0 / step;
    }

    @Override
    public String submit(String trialId, Path trialDir) {
        TrialFile trial;
        try {
            trial = TrialFile.read(trialDir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        double lr = (Double) trial.run().optimizer().hyperparameters().get("lr");
        String id = "scripted-" + counter.incrementAndGet();
        started.incrementAndGet();
        Thread t = new Thread(() -> exits.put(id, run(trial, trialId, lr)), id);
        threads.put(id, t);
        t.start();
        return id;
    }

    private int run(TrialFile trial, String trialId, double lr) {
        ManagedChannel channel = NettyChannelBuilder.forTarget(trial.report().server()).usePlaintext().build();
        try {
            Metadata h = new Metadata();
            h.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + trial.report().token());
            h.put(Metadata.Key.of("x-optbench-trial", Metadata.ASCII_STRING_MARSHALLER), trialId);
            var stub = WorkerServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
            int attempt = trial.attempt();
            for (int s = 1; s <= steps; s++) {
                Thread.sleep(stepMillis);
                ProgressReport.Builder r = ProgressReport.newBuilder().setTrialId(trialId).setAttempt(attempt)
                        .addSteps(Metric.newBuilder().setStep(s).setTokens(s * 100L).setLoss(loss(lr, s)).setLr(lr));
                if (s % evalEvery == 0 || s == steps) {
                    r.addEvals(Metric.newBuilder().setStep(s).setLoss(loss(lr, s)));
                }
                stub.reportProgress(r.build());
            }
            stub.reportResult(ResultReport.newBuilder().setTrialId(trialId).setAttempt(attempt).setFinalValLoss(loss(lr, steps))
                    .setStateBytes(800).setResultJson("{\"status\":\"completed\"}").build());
            return 0;
        } catch (InterruptedException e) {
            return 137;
        } catch (StatusRuntimeException e) {
            return 3;
        } finally {
            channel.shutdownNow();
        }
    }

    @Override
    public org.optbench.sweep.exec.Outcome poll(String executorId) {
        Thread t = threads.get(executorId);
        if (t == null) {
            return org.optbench.sweep.exec.Outcome.lost("unknown");
        }
        return t.isAlive() ? null : org.optbench.sweep.exec.Outcome.exited(exits.getOrDefault(executorId, 1));
    }

    @Override
    public void cancel(String executorId) {
        Thread t = threads.get(executorId);
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public void stopOrphan(String executorId, Path trialDir) {
        // scripted workers die with their server in these tests
    }

    @Override
    public void close() {
        threads.values().forEach(Thread::interrupt);
    }
}

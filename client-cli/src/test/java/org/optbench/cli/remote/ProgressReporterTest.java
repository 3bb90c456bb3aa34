package org.optbench.cli.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.optbench.proto.v1.Metric;
import org.optbench.proto.v1.ProgressReport;
import org.optbench.proto.v1.ReportAck;
import org.optbench.proto.v1.ResultReport;
import org.optbench.proto.v1.WorkerServiceGrpc;
import org.optbench.train.EvalRecord;
import org.optbench.train.RunSummary;
import org.optbench.train.StepRecord;

/**
 * The worker's progress reporter against a real gRPC server on a local port: training does not wait
 * for a server that is slow to answer, every row still arrives once and in order before the result,
 * and a server that has ended the attempt ends the run at a following step.
 */
class ProgressReporterTest {

    private Server server;
    private final List<Metric> steps = new CopyOnWriteArrayList<>();
    private final List<Metric> evals = new CopyOnWriteArrayList<>();
    private final List<ResultReport> results = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }

    /** Starts a server whose progress answer is {@code answer}'s (null: acknowledge); returns its address. */
    private String serve(Function<ProgressReport, Status> answer) throws IOException {
        server = NettyServerBuilder.forPort(0).addService(new WorkerServiceGrpc.WorkerServiceImplBase() {
            @Override
            public void reportProgress(ProgressReport request, StreamObserver<ReportAck> response) {
                Status refusal = answer.apply(request);
                if (refusal != null) {
                    response.onError(refusal.asRuntimeException());
                    return;
                }
                steps.addAll(request.getStepsList());
                evals.addAll(request.getEvalsList());
                response.onNext(ReportAck.getDefaultInstance());
                response.onCompleted();
            }

            @Override
            public void reportResult(ResultReport request, StreamObserver<ReportAck> response) {
                results.add(request);
                response.onNext(ReportAck.getDefaultInstance());
                response.onCompleted();
            }
        }).build().start();
        return "127.0.0.1:" + server.getPort();
    }

    private static StepRecord step(int s) {
        return new StepRecord(s, 1024L * s, 5.0 - s * 1e-3, 1e-3, 1.0, 10.0);
    }

    private static RunSummary summary(int steps) {
        return new RunSummary(RunSummary.COMPLETED, steps, null, 4.8, 4.9, 4.9, null, 1024L * steps, 1000, 0, "cpu", null);
    }

    /**
     * The server holds the first report for longer than the test may run, so a reporter whose
     * steps waited for it would time out here.
     */
    @Test
    @Timeout(60)
    void trainingGoesOnWhileTheServerIsSlowAndEveryRowArrivesOnceInOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstReport = new CountDownLatch(1);
        String address = serve(report -> {
            firstReport.countDown();
            try {
                release.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        try (ProgressReporter reporter = new ProgressReporter(address, "token", "trial-0000", 1, null)) {
            reporter.onPlan(300);
            for (int s = 1; s <= 150; s++) {
                reporter.onStep(step(s));
            }
            assertTrue(firstReport.await(30, TimeUnit.SECONDS), "the 64th step sends a report");
            reporter.onEval(new EvalRecord(150, 4.9, Double.NaN, 150 * 1024L));
            for (int s = 151; s <= 300; s++) {
                reporter.onStep(step(s));
            }
            assertTrue(steps.isEmpty(), "300 steps and an evaluation were logged while the server held the first "
                    + "report");
            release.countDown();
            reporter.result(summary(300));
        }
        assertEquals(300, steps.size());
        for (int i = 0; i < 300; i++) {
            assertEquals(i + 1, steps.get(i).getStep(), "rows arrive once, in order");
        }
        assertEquals(List.of(150), evals.stream().map(Metric::getStep).toList());
        assertEquals(1, results.size());
        assertEquals("trial-0000", results.get(0).getTrialId());
        assertEquals(4.9, results.get(0).getFinalValLoss());
    }

    @Test
    @Timeout(60)
    void anAttemptTheServerHasEndedStopsAtALaterStep() throws Exception {
        String address = serve(report -> Status.FAILED_PRECONDITION.withDescription("trial-0000 was cancelled"));
        try (ProgressReporter reporter = new ProgressReporter(address, "token", "trial-0000", 1, null)) {
            reporter.onPlan(10_000);
            ProgressReporter.AttemptSupersededException ended = assertThrows(ProgressReporter.AttemptSupersededException.class,
                    () -> {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        for (int s = 1; System.nanoTime() < deadline; s++) {
                            reporter.onStep(step(s));
                            Thread.sleep(1);
                        }
                    });
            assertTrue(ended.getMessage().contains("trial-0000 was cancelled"), ended.getMessage());
            assertThrows(ProgressReporter.AttemptSupersededException.class, () -> reporter.result(summary(64)));
            assertTrue(results.isEmpty(), "no result is sent for an attempt the server has ended");
        }
    }
}

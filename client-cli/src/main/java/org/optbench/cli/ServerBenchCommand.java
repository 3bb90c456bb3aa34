package org.optbench.cli;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import org.optbench.cli.remote.ClientOptions;
import org.optbench.proto.v1.GetSweepRequest;
import org.optbench.proto.v1.ListSweepsRequest;
import org.optbench.proto.v1.SweepEvent;
import org.optbench.proto.v1.SweepServiceGrpc;
import org.optbench.proto.v1.WatchSweepRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optbench bench-server}: load on a running server from this process. Holds
 * {@code --watchers} WatchSweep streams on one sweep (with step events) on one connection and,
 * meanwhile, issues GetSweep and ListSweeps alternately on another at a fixed rate, open loop: each latency is measured from
 * the call's scheduled time, so a stalled server cannot hide its stall (no coordinated
 * omission). Prints p50/p99/p99.9/max per call, and the events the watchers received and the
 * events the server reported dropping for them.
 */
@Command(name = "bench-server", mixinStandardHelpOptions = true,
        description = "Latency of GetSweep/ListSweeps at a fixed rate while many watch streams are open (HdrHistogram).")
final class ServerBenchCommand implements Callable<Integer> {

    @Option(names = "--sweep", required = true, description = "the sweep to read and watch (start one that trains for the whole run)")
    String sweep;

    @Option(names = "--rate", defaultValue = "1000", description = "calls per second (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--seconds", defaultValue = "60", description = "how long to measure (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--watchers", defaultValue = "1000", description = "watch streams to hold open (default ${DEFAULT-VALUE})")
    int watchers;

    @Option(names = "--warmup", defaultValue = "20", description = "seconds of load before measuring, so the JIT has compiled the call path (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--shared-connection", description = "send the calls on the watch streams' connection, behind their "
            + "events (default: a connection of their own, as a separate client's calls would be)")
    boolean sharedConnection;

    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (client.server() == null) {
            throw new IllegalArgumentException("bench-server measures a running server: pass --server host:port");
        }
        PrintWriter out = spec.commandLine().getOut();
        ManagedChannel channel = NettyChannelBuilder.forTarget(client.server()).usePlaintext().build();
        ManagedChannel watchChannel = sharedConnection ? channel
                : NettyChannelBuilder.forTarget(client.server()).usePlaintext().build();
        try {
            var creds = new org.optbench.cli.remote.BearerToken(client.token());
            SweepServiceGrpc.SweepServiceStub async = SweepServiceGrpc.newStub(watchChannel).withCallCredentials(creds);
            SweepServiceGrpc.SweepServiceFutureStub future = SweepServiceGrpc.newFutureStub(channel).withCallCredentials(creds);
            AtomicLong events = new AtomicLong();
            AtomicLong dropped = new AtomicLong();
            AtomicLong streamErrors = new AtomicLong();
            CountDownLatch opened = new CountDownLatch(watchers);
            java.util.List<ClientCallStreamObserver<WatchSweepRequest>> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < watchers; i++) {
                async.watchSweep(WatchSweepRequest.newBuilder().setSweepId(sweep).setSteps(true).build(),
                        new ClientResponseObserver<WatchSweepRequest, SweepEvent>() {
                            private boolean first = true;

                            @Override
                            public void beforeStart(ClientCallStreamObserver<WatchSweepRequest> call) {
                                calls.add(call);
                            }

                            @Override
                            public void onNext(SweepEvent e) {
                                events.incrementAndGet();
                                if (e.hasResync()) {
                                    dropped.addAndGet(e.getResync().getDropped());
                                    if (first) {
                                        opened.countDown();
                                    }
                                }
                                first = false;
                            }

                            @Override
                            public void onError(Throwable t) {
                                if (!(t instanceof io.grpc.StatusRuntimeException s && s.getStatus().getCode()
                                        == io.grpc.Status.Code.CANCELLED)) {
                                    streamErrors.incrementAndGet();
                                    opened.countDown();
                                }
                            }

                            @Override
                            public void onCompleted() {
                            }
                        });
            }
            if (!opened.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (watchers - opened.getCount()) + " of " + watchers
                        + " watch streams opened within 60 s");
            }
            out.printf(Locale.ROOT, "%d watch streams open on %s (%d failed to open)%n", watchers, sweep, streamErrors.get());
            Recorder get = new Recorder(3);
            Recorder list = new Recorder(3);
            AtomicLong failures = new AtomicLong();
            long interval = 1_000_000_000L / rate;
            long start = System.nanoTime();
            long measureFrom = start + warmup * 1_000_000_000L;
            long end = measureFrom + seconds * 1_000_000_000L;
            long eventsAtStart = -1;
            long droppedAtStart = 0;
            for (long i = 0; ; i++) {
                long scheduled = start + i * interval;
                if (scheduled >= end) {
                    break;
                }
                long wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (eventsAtStart < 0 && scheduled >= measureFrom) {
                    eventsAtStart = events.get();
                    droppedAtStart = dropped.get();
                }
                boolean measured = scheduled >= measureFrom;
                Recorder r = i % 2 == 0 ? get : list;
                ListenableFuture<?> f = i % 2 == 0
                        ? future.withDeadlineAfter(10, TimeUnit.SECONDS).getSweep(GetSweepRequest.newBuilder().setSweepId(sweep).build())
                        : future.withDeadlineAfter(10, TimeUnit.SECONDS).listSweeps(ListSweepsRequest.newBuilder().setPageSize(50).build());
                Futures.addCallback(f, new FutureCallback<Object>() {
                    @Override
                    public void onSuccess(Object result) {
                        if (measured) {
                            r.recordValue(Math.max(1, (System.nanoTime() - scheduled) / 1000));
                        }
                    }

                    @Override
                    public void onFailure(Throwable t) {
                        failures.incrementAndGet();
                    }
                }, MoreExecutors.directExecutor());
            }
            Thread.sleep(2000);
            long watchedEvents = events.get() - eventsAtStart;
            long droppedEvents = dropped.get() - droppedAtStart;
            calls.forEach(c -> c.cancel("benchmark over", null));
            out.printf(Locale.ROOT, "%d calls/s for %d s (after %d s warm-up), %d watchers; latency from scheduled start, microseconds:%n",
                    rate, seconds, warmup, watchers);
            print(out, "GetSweep", get.getIntervalHistogram());
            print(out, "ListSweeps", list.getIntervalHistogram());
            out.printf(Locale.ROOT, "failed calls %d; watch events received %,d (%,.0f/s over all streams); events dropped "
                    + "for slow watchers %d; stream errors %d%n", failures.get(), watchedEvents, watchedEvents / (double) seconds,
                    droppedEvents, streamErrors.get());
        } finally {
            channel.shutdownNow();
            watchChannel.shutdownNow();
        }
        return 0;
    }

    private static void print(PrintWriter out, String name, Histogram h) {
        out.printf(Locale.ROOT, "  %-10s n=%,d  p50 %,d  p99 %,d  p99.9 %,d  max %,d%n", name, h.getTotalCount(),
                h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue());
    }
}

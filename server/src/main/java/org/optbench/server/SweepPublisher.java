package org.optbench.server;

import io.grpc.Status;
import org.optbench.proto.v1.Resync;
import org.optbench.proto.v1.Sweep;
import org.optbench.proto.v1.SweepEvent;
import org.optbench.server.wire.Protos;
import org.optbench.sweep.SweepCoordinator;
import org.optbench.sweep.store.SweepRow;
import org.optbench.sweep.store.TrialRecord;

/**
 * The coordinator's events as the API's messages: a changed trial or an ended sweep becomes a
 * {@link SweepEvent} on the hub its watchers read, and a sweep's state and a watcher's first
 * snapshot are built here from the coordinator.
 */
final class SweepPublisher implements SweepCoordinator.Listener {

    private final EventHub hub;
    private SweepCoordinator sweeps;

    SweepPublisher(EventHub hub) {
        this.hub = hub;
    }

    /** The coordinator whose events these are (it takes this publisher as its listener, so it comes second). */
    void publishing(SweepCoordinator coordinator) {
        this.sweeps = coordinator;
    }

    @Override
    public void trialChanged(String sweepId, TrialRecord trial) {
        hub.publish(sweepId, SweepEvent.newBuilder().setSweepId(sweepId).setTrial(Protos.trial(trial)).build());
    }

    @Override
    public void ended(String sweepId) {
        hub.publish(sweepId, SweepEvent.newBuilder().setSweepId(sweepId).setDone(sweep(sweepId)).build());
    }

    /** The sweep with its counts, running while some process drives it. */
    Sweep sweep(String id) {
        SweepRow row = sweeps.sweep(id).orElseThrow(() -> Status.NOT_FOUND.withDescription("no sweep '" + id + "'")
                .asRuntimeException());
        return Protos.sweep(row, sweeps.trials(id), sweeps.isDriven(row));
    }

    /** The sweep and every trial, as a watcher's first event. */
    SweepEvent snapshot(String id) {
        Resync.Builder r = Resync.newBuilder().setSweep(sweep(id));
        sweeps.trials(id).forEach(t -> r.addTrials(Protos.trial(t)));
        return SweepEvent.newBuilder().setSweepId(id).setResync(r).build();
    }
}

package org.optbench.server;

import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.optbench.proto.v1.Artifact;
import org.optbench.sweep.SweepCoordinator;
import org.optbench.sweep.error.SweepFailure;
import org.optbench.sweep.store.TrialRecord;

/**
 * The files of a sweep's trials that its owner may download: a fixed list of names under each
 * trial's directory (never a path from the request), found through the coordinator's trial directories, so a
 * download can reach nothing else on the server.
 */
final class Artifacts {

    /** The files a trial may have, by their path under its directory. */
    static final List<String> NAMES = List.of("result.json", "metrics.jsonl", "log.txt", "weights.safetensors",
            "checkpoint/state.json", "checkpoint/weights.safetensors", "checkpoint/optimizer.safetensors");

    private final SweepCoordinator sweeps;

    Artifacts(SweepCoordinator sweeps) {
        this.sweeps = sweeps;
    }

    /** The artifacts {@code trials} of sweep {@code sweepId} have now. */
    List<Artifact> list(String sweepId, List<TrialRecord> trials) {
        List<Artifact> out = new ArrayList<>();
        for (TrialRecord t : trials) {
            for (String name : NAMES) {
                Path f = sweeps.trialDirectory(sweepId, t.id()).resolve(name);
                if (Files.isRegularFile(f)) {
                    try {
                        out.add(Artifact.newBuilder().setTrialId(t.id()).setName(name).setSizeBytes(Files.size(f)).build());
                    } catch (IOException e) {
                        // a file that vanished while listing is not offered
                    }
                }
            }
        }
        return out;
    }

    /** The file {@code name} of {@code trial} of sweep {@code sweepId}; NOT_FOUND unless it is an artifact it has. */
    Path file(String sweepId, TrialRecord trial, String name) {
        if (!NAMES.contains(name) || !trial.sweepId().equals(sweepId)) {
            throw Status.NOT_FOUND.withDescription("no artifact '" + SweepFailure.echo(name) + "' of trial " + trial.id()
                    + "; the artifacts are " + NAMES).asRuntimeException();
        }
        Path f = sweeps.trialDirectory(sweepId, trial.id()).resolve(name);
        if (!Files.isRegularFile(f)) {
            throw Status.NOT_FOUND.withDescription("trial " + trial.id() + " has no " + name + " (yet)").asRuntimeException();
        }
        return f;
    }
}

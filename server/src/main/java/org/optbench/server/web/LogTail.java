package org.optbench.server.web;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.optbench.proto.v1.ArtifactChunk;
import org.optbench.proto.v1.GetArtifactRequest;
import org.optbench.proto.v1.SweepServiceGrpc;

/** The end of a trial's {@code log.txt}, read through the artifact API as the session's user. */
final class LogTail {

    private LogTail() {
    }

    /** The last {@code maxBytes} of the log (from a line start), or a note when the trial has none yet. */
    static String read(SweepServiceGrpc.SweepServiceBlockingStub stub, String sweep, String trial, int maxBytes) {
        byte[] ring = new byte[maxBytes];
        long total = 0;
        try {
            Iterator<ArtifactChunk> chunks = stub.getArtifact(GetArtifactRequest.newBuilder().setSweepId(sweep)
                    .setTrialId(trial).setName("log.txt").build());
            while (chunks.hasNext()) {
                byte[] data = chunks.next().getData().toByteArray();
                for (byte b : data) {
                    ring[(int) (total++ % maxBytes)] = b;
                }
            }
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND && total == 0
                    && e.getStatus().getDescription() != null && e.getStatus().getDescription().contains("has no log.txt")) {
                return "(no log yet)";
            }
            throw e;
        }
        int n = (int) Math.min(total, maxBytes);
        byte[] tail = new byte[n];
        for (int i = 0; i < n; i++) {
            tail[i] = ring[(int) ((total - n + i) % maxBytes)];
        }
        String text = new String(tail, StandardCharsets.UTF_8);
        if (total > maxBytes) {
            int line = text.indexOf('\n');
            text = "[" + (total - n) + " earlier bytes not shown]\n" + (line >= 0 ? text.substring(line + 1) : text);
        }
        return text;
    }
}

package org.optbench.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.optbench.cli.remote.Connection;
import org.optbench.proto.v1.Artifact;
import org.optbench.proto.v1.ArtifactChunk;
import org.optbench.proto.v1.GetArtifactRequest;
import org.optbench.proto.v1.ListArtifactsRequest;
import org.optbench.sweep.store.RunsDirectory;

/**
 * Copies a sweep's artifacts from its server into a local directory, {@code DIR/<trial>/<name>},
 * each file streamed in chunks and written whole or not at all (a partial file is removed). The
 * names come from the server, so each path is checked to stay under DIR.
 */
final class ArtifactDownload {

    private final Connection connection;

    ArtifactDownload(Connection connection) {
        this.connection = connection;
    }

    /** Downloads every artifact of {@code sweepId} into {@code dir}; prints one line of totals. */
    void all(String sweepId, Path dir, PrintWriter out) throws IOException {
        RunsDirectory root = new RunsDirectory(dir);
        long files = 0;
        long bytes = 0;
        for (Artifact a : connection.sweeps().listArtifacts(ListArtifactsRequest.newBuilder().setSweepId(sweepId).build())
                .getArtifactsList()) {
            String[] parts = a.getName().split("/");
            String[] names = new String[parts.length + 1];
            names[0] = a.getTrialId();
            System.arraycopy(parts, 0, names, 1, parts.length);
            Path target = root.resolve(names);
            bytes += one(sweepId, a, target);
            files++;
        }
        out.printf("downloaded %d files (%,d bytes) of sweep %s into %s%n", files, bytes, sweepId, dir);
    }

    private long one(String sweepId, Artifact a, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        long written = 0;
        try (OutputStream file = Files.newOutputStream(partial)) {
            Iterator<ArtifactChunk> chunks = connection.streams().getArtifact(GetArtifactRequest.newBuilder()
                    .setSweepId(sweepId).setTrialId(a.getTrialId()).setName(a.getName()).build());
            while (chunks.hasNext()) {
                ArtifactChunk c = chunks.next();
                if (c.getOffset() != written) {
                    throw new IOException(a.getName() + " of " + a.getTrialId() + " arrived out of order");
                }
                c.getData().writeTo(file);
                written += c.getData().size();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return written;
    }
}

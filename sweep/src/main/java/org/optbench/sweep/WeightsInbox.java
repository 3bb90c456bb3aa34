package org.optbench.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.optbench.model.ModelConfig;
import org.optbench.model.ParameterLayout;
import org.optbench.model.io.ModelWeights;
import org.optbench.model.io.SafetensorsFile;
import org.optbench.model.io.ShapeOverrides;
import org.optbench.sweep.error.SweepSpecException;
import org.optbench.sweep.store.Private;
import org.optbench.sweep.store.StoreException;

/**
 * Where users' weights arrive: an upload is written to a private part file in its owner's uploads
 * directory, then checked to be a model's weights written by optbench, kept as a version by its
 * content, and put in place under its name (a link to that version), which a spec may then name;
 * a re-upload under the name makes a new version and leaves the old one to the sweeps pinned to it. A bad name or bad weights are a {@link SweepSpecException};
 * a file that cannot be written is a {@link StoreException}.
 */
final class WeightsInbox {

    private final Datasets datasets;

    WeightsInbox(Datasets datasets) {
        this.datasets = datasets;
    }

    /** Part files untouched this long belong to no upload in progress (uploads stream without pauses). */
    static final java.time.Duration STALE_PART = java.time.Duration.ofMinutes(10);

    /**
     * Removes part files that an upload left behind (a server killed mid-upload), once they are
     * {@link #STALE_PART} old, so that another server on the same runs directory keeps its upload
     * in progress; returns how many went.
     */
    int removeStaleParts() {
        if (datasets.uploads() == null || !Files.isDirectory(datasets.uploads())) {
            return 0;
        }
        java.time.Instant cutoff = java.time.Instant.now().minus(STALE_PART);
        int removed = 0;
        try (var walk = Files.walk(datasets.uploads(), 3)) {
            for (Path p : walk.toList()) {
                String file = p.getFileName().toString();
                if ((file.startsWith(".upload-") || file.startsWith(".snapshot-") || file.startsWith(".link-"))
                        && file.endsWith(".part") && Files.isRegularFile(p)
                        && Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        } catch (IOException e) {
            System.err.println("optbench: cannot clear old upload parts under " + datasets.uploads() + ": " + e.getMessage());
        }
        return removed;
    }

    /** A new private part file for {@code owner}'s upload named {@code name}, checked first. */
    Path open(String owner, String name) {
        if (!SweepSpec.NAME.matcher(name).matches()) {
            throw new SweepSpecException("weights name '" + SweepSpecException.shorten(name) + "' must be a letter or digit "
                    + "followed by at most 63 letters, digits, '.', '_' or '-'");
        }
        try {
            Path part = Files.createTempFile(Private.directory(datasets.uploadsOf(owner)), ".upload-", ".part");
            Private.file(part);
            return part;
        } catch (IOException e) {
            throw new StoreException("cannot store the upload: " + e.getMessage(), e);
        }
    }

    /** Checks the part file and moves it into place as {@code owner}'s weights {@code name}; returns their model. */
    ModelConfig accept(String owner, String name, Path part) {
        ModelConfig model;
        try {
            SafetensorsFile file = SafetensorsFile.read(part);
            model = ModelWeights.config(file, ShapeOverrides.none(), 0f);
            ModelWeights.check(file, new ParameterLayout(model));
        } catch (RuntimeException e) {
            throw new SweepSpecException("weights '" + name + "' are not a model's weights written by optbench: "
                    + SweepSpecException.shorten(withoutPath(String.valueOf(e.getMessage()), part)));
        }
        try {
            String sha = datasets.keepVersion(owner, part);
            Path named = datasets.uploadsOf(owner).resolve(name + Datasets.UPLOAD_SUFFIX);
            Path link = named.resolveSibling(".link-" + java.util.UUID.randomUUID() + ".part");
            try {
                Files.createLink(link, datasets.versionOf(owner, sha));
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(datasets.versionOf(owner, sha), link);
            }
            Files.move(link, named, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(part);
        } catch (IOException e) {
            throw new StoreException("cannot store the upload: " + e.getMessage(), e);
        }
        return model;
    }

    /** {@code message} with the part file's path (which names the runs directory and the user's hash) said as "the upload". */
    static String withoutPath(String message, Path part) {
        return message.replace(part.toAbsolutePath().toString(), "the upload").replace(part.toString(), "the upload")
                .replace(part.getFileName().toString(), "the upload");
    }
}

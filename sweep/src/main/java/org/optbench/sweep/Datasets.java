package org.optbench.sweep;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.optbench.train.spec.DataSpec;
import org.optbench.train.spec.RunSpec;

/**
 * The data sets a server offers by name ({@code optbench server --dataset NAME=DIR}, prepared
 * directories), and what a remote user's run may name: the default corpus, synthetic data or one
 * of these names, and no path on the server's machine. The local user of the CLI's embedded
 * server may name paths, since the machine is theirs.
 *
 * @param byName prepared data directories by name
 */
public record Datasets(Map<String, Path> byName) {

    public Datasets {
        byName = Map.copyOf(byName);
    }

    public static Datasets none() {
        return new Datasets(Map.of());
    }

    /** {@code run} with a data-set name in place of its directory (other runs unchanged). */
    public RunSpec resolve(RunSpec run) {
        DataSpec d = run.data();
        Path dir = d.source() == DataSpec.Source.PREPARED ? named(d.path()) : null;
        if (dir == null) {
            return run;
        }
        return run.toBuilder().data(DataSpec.Source.PREPARED, dir).build();
    }

    private Path named(Path path) {
        return path.getNameCount() == 1 ? byName.get(path.toString()) : null;
    }

    /** Refuses a run that names a file or directory of the server's machine. */
    public void checkRemote(RunSpec run) {
        if (run.model().initWeights() != null) {
            throw new SweepSpecException("init_weights names a file on the server: a remote spec may not name paths of the "
                    + "server's machine (initial weights are not offered to remote users)");
        }
        DataSpec d = run.data();
        if (d.source() == DataSpec.Source.TOKEN_FILE || d.source() == DataSpec.Source.PREPARED && named(d.path()) == null) {
            throw new SweepSpecException("data '" + SweepSpecException.shorten(d.path().toString()) + "' is not a data set "
                    + "of this server: a remote spec names data as default, synthetic or one of " + new TreeSet<>(byName
                    .keySet()) + ", never a path of the server's machine");
        }
        if (run.optimizer().groups() != null) {
            throw new SweepSpecException("groups from a file of the server: a remote spec may not name paths of the server's "
                    + "machine");
        }
    }
}

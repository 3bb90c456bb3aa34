package org.optbench.cli;

import java.nio.file.Path;
import org.optbench.cli.remote.Secrets;
import org.optbench.sweep.store.Private;
import org.optbench.sweep.store.StoreException;
import org.optbench.sweep.store.TrialStore;
import picocli.CommandLine.Option;

/**
 * The options that locate runs and the trial store, shared by {@code study}, {@code sweep} and
 * {@code report}: runs under {@code $OPTBENCH_HOME/runs} (or {@code ./runs}), the store in
 * {@code runs/optbench.db} (SQLite) unless {@code --db} gives a JDBC URL (PostgreSQL), and the
 * kernel threads each trial gets when one runs.
 */
final class StudyStore {

    @Option(names = "--runs-dir", description = "where trials and reports go (default: $OPTBENCH_HOME/runs or ./runs)")
    Path runsDir;

    @Option(names = "--db", description = "trial store JDBC URL (default: jdbc:sqlite:<runs-dir>/optbench.db; "
            + "jdbc:postgresql://host/db for PostgreSQL)")
    String db;

    @Option(names = "--db-user", description = "database user (PostgreSQL)")
    String user;

    @Option(names = "--db-password", description = "database password (PostgreSQL; visible in ps: prefer "
            + "--db-password-file or OPTBENCH_DB_PASSWORD)")
    String password;

    @Option(names = "--db-password-file", description = "file whose first line is the database password")
    Path passwordFile;

    @Option(names = "--threads-per-trial", description = "kernel threads of each trial (default: processors / parallel)")
    Integer threadsPerTrial;

    Path runs() {
        if (runsDir != null) {
            return runsDir.toAbsolutePath();
        }
        String home = System.getenv("OPTBENCH_HOME");
        return (home != null && !home.isBlank() ? Path.of(home) : Path.of("")).resolve("runs").toAbsolutePath();
    }

    /** Opens the store; the runs directory is created private (0700). */
    TrialStore open() {
        try {
            Private.directory(runs());
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create the runs directory " + runs() + ": " + e.getMessage(), e);
        }
        String url = db != null ? db : "jdbc:sqlite:" + runs().resolve("optbench.db");
        String secret = password != null ? password : passwordFile != null
                ? Secrets.firstLine(passwordFile, "--db-password-file") : System.getenv("OPTBENCH_DB_PASSWORD");
        return TrialStore.open(url, user, secret);
    }
}

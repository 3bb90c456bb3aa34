package org.optbench.cli;

import java.nio.file.Path;
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

    @Option(names = "--db-password", description = "database password (PostgreSQL); or OPTBENCH_DB_PASSWORD")
    String password;

    @Option(names = "--threads-per-trial", description = "kernel threads of each trial (default: processors / parallel)")
    Integer threadsPerTrial;

    Path runs() {
        if (runsDir != null) {
            return runsDir.toAbsolutePath();
        }
        String home = System.getenv("OPTBENCH_HOME");
        return (home != null && !home.isBlank() ? Path.of(home) : Path.of("")).resolve("runs").toAbsolutePath();
    }

    TrialStore open() {
        String url = db != null ? db : "jdbc:sqlite:" + runs().resolve("optbench.db");
        return TrialStore.open(url, user, password != null ? password : System.getenv("OPTBENCH_DB_PASSWORD"));
    }
}

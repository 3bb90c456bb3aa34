package org.optbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.optbench.model.ModelConfig;
import org.optbench.model.ParameterLayout;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStore;
import picocli.CommandLine.Option;

/**
 * The options that locate runs and the trial store, shared by {@code study}, {@code sweep} and
 * {@code report}: runs under {@code $OPTBENCH_HOME/runs} (or {@code ./runs}), the store in
 * {@code runs/optbench.db} (SQLite) unless {@code --db} gives a JDBC URL (PostgreSQL), and the
 * kernel threads each trial gets when one runs.
 */
final class StudyStore {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** {vocab, parameter count} of the model the trials trained, read from a finished trial's result. */
    static long[] modelFacts(List<TrialRecord> trials) {
        for (TrialRecord t : trials) {
            if (t.result() == null) {
                continue;
            }
            try {
                JsonNode c = JSON.readTree(t.result()).path("config");
                ModelConfig config = ModelConfig.of(c.path("vocab").asInt(), c.path("d_model").asInt(),
                        c.path("layers").asInt(), c.path("heads").asInt(), c.path("seq_len").asInt());
                return new long[] {config.vocabSize(), new ParameterLayout(config).totalCount()};
            } catch (Exception e) {
                // a result without a readable config says nothing about the model; try the next one
            }
        }
        return new long[] {8192, 0};
    }
}

package org.optbench.sweep.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.Trial;

/**
 * Sweeps, trials and their metrics in a SQL database: SQLite by default (a file, WAL journal,
 * synchronous=NORMAL) or PostgreSQL by JDBC URL, the schema kept by Flyway migrations. One
 * connection, every method synchronised, so the sweep runner and the threads that take workers'
 * reports can share it.
 */
public final class TrialStore implements AutoCloseable {


    private final String url;
    private final Connection connection;

    private TrialStore(String url, Connection connection) {
        this.url = url;
        this.connection = connection;
    }

    /** Opens (and migrates) the store at {@code url}: jdbc:sqlite:FILE or jdbc:postgresql://... */
    public static TrialStore open(String url, String user, String password) {
        try {
            Path sqliteFile = null;
            if (url.startsWith("jdbc:sqlite:")) {
                sqliteFile = Path.of(url.substring("jdbc:sqlite:".length()));
                if (sqliteFile.getParent() != null) {
                    Private.directory(sqliteFile.getParent());
                }
                Private.file(sqliteFile);
            } else if (!url.startsWith("jdbc:postgresql:")) {
                throw new StoreException("unsupported store URL '" + url + "': use jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB");
            }
            Flyway flyway = Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").load();
            if (sqliteFile != null) {
                migrateAlone(flyway, sqliteFile);
            } else {
                flyway.migrate();
            }
            Connection c = DriverManager.getConnection(url, user, password);
            if (url.startsWith("jdbc:sqlite:")) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA journal_mode=WAL");
                    s.execute("PRAGMA synchronous=NORMAL");
                    s.execute("PRAGMA busy_timeout=10000");
                }
            }
            return new TrialStore(url, c);
        } catch (SQLException | java.io.IOException | org.flywaydb.core.api.FlywayException e) {
            throw new StoreException("cannot open the trial store " + url + ": " + e.getMessage(), e);
        }
    }

    /** Serialises migrations of one SQLite file within this JVM; the lock file does so across processes. */
    private static final Object MIGRATING = new Object();

    /**
     * Migrates a SQLite store while holding a lock on {@code FILE.lock}: Flyway does not serialise
     * SQLite migrations, so two processes opening a new store at once would both create its tables.
     */
    private static void migrateAlone(Flyway flyway, Path sqliteFile) throws java.io.IOException {
        Path lock = Private.file(sqliteFile.resolveSibling(sqliteFile.getFileName() + ".lock"));
        synchronized (MIGRATING) {
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lock,
                    java.nio.file.StandardOpenOption.WRITE); java.nio.channels.FileLock held = channel.lock()) {
                flyway.migrate();
            }
        }
    }

    public static TrialStore sqlite(Path file) {
        return open("jdbc:sqlite:" + file, null, null);
    }

    public String url() {
        return url;
    }

    /** Creates the sweep (owned by "local") unless it exists; returns true when it was new. */
    public synchronized boolean createSweep(String id, String name, String spec) {
        return createSweep(id, name, spec, "local");
    }

    /** Creates the sweep for {@code owner} unless it exists; returns true when it was new. */
    public synchronized boolean createSweep(String id, String name, String spec, String owner) {
        try (PreparedStatement q = connection.prepareStatement("SELECT spec FROM sweeps WHERE id = ?")) {
            q.setString(1, id);
            try (ResultSet r = q.executeQuery()) {
                if (r.next()) {
                    return false;
                }
            }
            try (PreparedStatement ins = connection.prepareStatement(
                    "INSERT INTO sweeps (id, name, spec, created_at, status, owner) VALUES (?, ?, ?, ?, 'running', ?)")) {
                ins.setString(1, id);
                ins.setString(2, name);
                ins.setString(3, spec);
                ins.setString(4, Instant.now().toString());
                ins.setString(5, owner);
                ins.executeUpdate();
            }
            return true;
        } catch (SQLException e) {
            throw failure("create sweep " + id, e);
        }
    }

    public synchronized String sweepSpec(String id) {
        try (PreparedStatement q = connection.prepareStatement("SELECT spec FROM sweeps WHERE id = ?")) {
            q.setString(1, id);
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    throw new StoreException("no sweep '" + id + "' in " + url + "; known: " + sweepIds());
                }
                return r.getString(1);
            }
        } catch (SQLException e) {
            throw failure("read sweep " + id, e);
        }
    }

    /** The sweep {@code id}, if the store has it. */
    public synchronized Optional<SweepRow> sweep(String id) {
        return sweeps("WHERE id = ?", id).stream().findFirst();
    }

    /** {@code owner}'s sweep called {@code name}, if there is one (names are per user). */
    public synchronized Optional<SweepRow> sweepNamed(String owner, String name) {
        return sweeps("WHERE owner = ? AND name = ?", owner, name).stream().findFirst();
    }

    /** Every sweep called {@code name}, of any owner. */
    public synchronized List<SweepRow> sweepsNamed(String name) {
        return sweeps("WHERE name = ?", name);
    }

    /** Every sweep, newest first. */
    public synchronized List<SweepRow> sweeps() {
        return sweeps("");
    }

    private List<SweepRow> sweeps(String where, Object... args) {
        List<SweepRow> rows = new ArrayList<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT id, name, owner, spec, created_at, status, reason, driver, driven_until "
                + "FROM sweeps "
                + where + " ORDER BY created_at DESC, id")) {
            for (int i = 0; i < args.length; i++) {
                q.setObject(i + 1, args[i]);
            }
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    rows.add(new SweepRow(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                            SweepStatus.of(r.getString(6)), r.getString(7), r.getString(8),
                            r.getObject(9) == null ? null : r.getLong(9)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw failure("list sweeps", e);
        }
    }

    /** Deletes the sweep with its trials and their metrics. */
    public synchronized void deleteSweep(String id) {
        try {
            connection.setAutoCommit(false);
            update("DELETE FROM metrics WHERE trial_id IN (SELECT id FROM trials WHERE sweep_id = ?)", id);
            update("DELETE FROM trials WHERE sweep_id = ?", id);
            update("DELETE FROM pinned_weights WHERE sweep_id = ?", id);
            update("DELETE FROM sweeps WHERE id = ?", id);
            connection.commit();
        } catch (SQLException | StoreException e) {
            rollback();
            throw new StoreException("cannot delete sweep " + id + ": " + e.getMessage(), e);
        } finally {
            autoCommit();
        }
    }

    /**
     * Pins the content of the uploaded weights sweep {@code id} names (name to SHA-256 hex); a name
     * already pinned keeps its first content, so resubmitting or resuming a sweep never moves it.
     */
    public synchronized void pinWeights(String id, Map<String, String> sha256ByName) {
        for (Map.Entry<String, String> e : sha256ByName.entrySet()) {
            update("INSERT INTO pinned_weights (sweep_id, name, sha256) VALUES (?, ?, ?) ON CONFLICT (sweep_id, name) "
                    + "DO NOTHING", id, e.getKey(), e.getValue());
        }
    }

    /** The weights contents sweep {@code id} pinned: name to SHA-256 hex (empty when it names no upload). */
    public synchronized Map<String, String> pinnedWeights(String id) {
        Map<String, String> pins = new java.util.TreeMap<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT name, sha256 FROM pinned_weights WHERE sweep_id = ?")) {
            q.setString(1, id);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    pins.put(r.getString(1), r.getString(2));
                }
            }
            return pins;
        } catch (SQLException e) {
            throw failure("read the pinned weights of " + id, e);
        }
    }

    /** How many trials the sweeps of {@code owner} hold. */
    public synchronized long trialCountOf(String owner) {
        try (PreparedStatement q = connection.prepareStatement("SELECT COUNT(*) FROM trials t JOIN sweeps s ON t.sweep_id = s.id "
                + "WHERE s.owner = ?")) {
            q.setString(1, owner);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw failure("count the trials of a user", e);
        }
    }

    public synchronized List<String> sweepIds() {
        List<String> ids = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT id FROM sweeps ORDER BY created_at")) {
            while (r.next()) {
                ids.add(r.getString(1));
            }
            return ids;
        } catch (SQLException e) {
            throw failure("list sweeps", e);
        }
    }

    /** Sets the sweep's status and clears the reason of an earlier failure. */
    public synchronized void setSweepStatus(String id, SweepStatus status) {
        update("UPDATE sweeps SET status = ?, reason = NULL WHERE id = ?", status.label(), id);
    }

    /** Records why the sweep's runner stopped; it stays running in the store, so a later start tries it again. */
    public synchronized void setSweepReason(String id, String reason) {
        update("UPDATE sweeps SET reason = ? WHERE id = ?", reason, id);
    }

    /**
     * Claims sweep {@code id} for {@code driver} until {@code untilMillis}: granted when no claim
     * holds at {@code nowMillis}, when the claim is the driver's own, or when it is
     * {@code staleDriver}'s (a driver known to have stopped; null for none). Returns whether it
     * was granted; one statement, so two processes never both win.
     */
    public synchronized boolean claimDriving(String id, String driver, String staleDriver, long nowMillis, long untilMillis) {
        return update("UPDATE sweeps SET driver = ?, driven_until = ? WHERE id = ? AND (driver IS NULL OR driven_until IS NULL "
                + "OR driven_until <= ? OR driver = ? OR driver = ?)", driver, untilMillis, id, nowMillis, driver,
                staleDriver == null ? driver : staleDriver) == 1;
    }

    /**
     * Extends {@code driver}'s claims on {@code ids} to {@code untilMillis}; returns the ids whose
     * claim is no longer the driver's (another process took it over after it lapsed).
     */
    public synchronized List<String> renewDriving(List<String> ids, String driver, long untilMillis) {
        List<String> lost = new ArrayList<>();
        for (String id : ids) {
            if (update("UPDATE sweeps SET driven_until = ? WHERE id = ? AND driver = ?", untilMillis, id, driver) == 0
                    && sweep(id).isPresent()) {
                lost.add(id);
            }
        }
        return lost;
    }

    /** Ends {@code driver}'s claim on sweep {@code id}. */
    public synchronized void releaseDriving(String id, String driver) {
        update("UPDATE sweeps SET driver = NULL, driven_until = NULL WHERE id = ? AND driver = ?", id, driver);
    }

    /**
     * Adds the trials of the expansion that the store lacks. A stored trial whose point differs
     * from the expansion's means the spec changed under the same name: an error, nothing is lost.
     */
    public synchronized void ensureTrials(String sweepId, List<Trial> trials) {
        Map<Integer, TrialRecord> existing = new LinkedHashMap<>();
        trials(sweepId).forEach(t -> existing.put(t.index(), t));
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement ins = connection.prepareStatement("INSERT INTO trials (id, sweep_id, idx, trial_key, "
                    + "optimizer, params, seed, status, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0)")) {
                for (Trial t : trials) {
                    TrialRecord have = existing.get(t.index());
                    if (have != null) {
                        if (!have.key().equals(t.key())) {
                            throw new StoreException("sweep " + sweepId + " already holds trial " + t.index() + " as '"
                                    + have.key() + "' but the spec now makes it '" + t.key()
                                    + "': give the changed spec a new name");
                        }
                        continue;
                    }
                    ins.setString(1, trialId(sweepId, t.index()));
                    ins.setString(2, sweepId);
                    ins.setInt(3, t.index());
                    ins.setString(4, t.key());
                    ins.setString(5, t.optimizer());
                    ins.setString(6, t.point().storeText());
                    ins.setLong(7, t.seed());
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            connection.commit();
        } catch (SQLException | IllegalArgumentException e) {
            rollback();
            throw new StoreException("cannot add the trials of " + sweepId + ": " + e.getMessage(), e);
        } finally {
            autoCommit();
        }
    }

    public static String trialId(String sweepId, int index) {
        return sweepId + "-" + String.format("%04d", index);
    }

    public synchronized List<TrialRecord> trials(String sweepId) {
        return trials("sweep_id = ?", sweepId);
    }

    /** The trial {@code trialId}, if the store has it. */
    public synchronized Optional<TrialRecord> trial(String trialId) {
        return trials("id = ?", trialId).stream().findFirst();
    }

    private List<TrialRecord> trials(String where, String key) {
        List<TrialRecord> list = new ArrayList<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT id, sweep_id, idx, trial_key, optimizer, params, "
                + "seed, status, error, attempts, executor_id, started_at, finished_at, final_val_loss, diverged_at, "
                + "state_bytes, result, last_step, last_loss FROM trials WHERE " + where + " ORDER BY idx")) {
            q.setString(1, key);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    list.add(new TrialRecord(r.getString(1), r.getString(2), r.getInt(3), r.getString(4), r.getString(5),
                            Point.parse(r.getString(6)),
                            r.getLong(7), TrialStatus.of(r.getString(8)), r.getString(9), r.getInt(10), r.getString(11),
                            r.getString(12), r.getString(13), (Double) nullable(r.getDouble(14), r),
                            (Integer) nullable(r.getInt(15), r), (Long) nullable(r.getLong(16), r), r.getString(17),
                            (Integer) nullable(r.getInt(18), r), (Double) nullable(r.getDouble(19), r)));
                }
            }
            return list;
        } catch (SQLException | IllegalArgumentException e) {
            throw new StoreException("cannot read trials (" + where.replace("?", key) + "): " + e.getMessage(), e);
        }
    }

    private static Object nullable(Object value, ResultSet r) throws SQLException {
        return r.wasNull() ? null : value;
    }

    public synchronized void markRunning(String trialId, String executorId) {
        markRunning(trialId, executorId, null);
    }

    /**
     * Starts a new attempt of the trial, placed as {@code executorId}, reporting with
     * {@code workerToken}; only the token's SHA-256 is stored.
     */
    public synchronized void markRunning(String trialId, String executorId, String workerToken) {
        update("UPDATE trials SET status = 'running', executor_id = ?, started_at = ?, attempts = attempts + 1, "
                + "error = NULL, worker_token = ? WHERE id = ?", executorId, Instant.now().toString(),
                workerToken == null ? null : TokenHash.of(workerToken), trialId);
    }

    /** The executor id of a running attempt, once the executor has placed it. */
    public synchronized void setExecutorId(String trialId, String executorId) {
        update("UPDATE trials SET executor_id = ? WHERE id = ?", executorId, trialId);
    }

    /** Whether {@code token} is the one the trial's current attempt reports with. */
    public boolean isWorkerToken(String trialId, String token) {
        String stored = workerTokenHash(trialId);
        return stored != null && token != null && TokenHash.matches(stored, token);
    }

    /** The stored SHA-256 of the token the trial's current attempt reports with (null when none). */
    public synchronized String workerTokenHash(String trialId) {
        try (PreparedStatement q = connection.prepareStatement("SELECT worker_token FROM trials WHERE id = ?")) {
            q.setString(1, trialId);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        } catch (SQLException e) {
            throw failure("read the worker token of " + trialId, e);
        }
    }

    /**
     * Records reported metrics, ignoring rows the store already has (a retried report, or steps
     * replayed after a resume), and moves the trial's latest step forward. Returns the rows that
     * were new.
     */
    public synchronized int recordProgress(String trialId, List<MetricRow> rows) {
        try {
            connection.setAutoCommit(false);
            int added = 0;
            try (PreparedStatement ins = connection.prepareStatement("INSERT INTO metrics (trial_id, step, kind, tokens, "
                    + "loss, lr, grad_norm) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (trial_id, step, kind) DO NOTHING")) {
                for (MetricRow m : rows) {
                    bindMetric(ins, trialId, m);
                    added += ins.executeUpdate();
                }
            }
            MetricRow last = null;
            for (MetricRow m : rows) {
                if (m.kind().equals("train") && (last == null || m.step() > last.step())) {
                    last = m;
                }
            }
            if (last != null) {
                try (PreparedStatement up = connection.prepareStatement("UPDATE trials SET last_step = ?, last_loss = ? "
                        + "WHERE id = ? AND (last_step IS NULL OR last_step < ?)")) {
                    up.setInt(1, last.step());
                    setDouble(up, 2, last.loss());
                    up.setString(3, trialId);
                    up.setInt(4, last.step());
                    up.executeUpdate();
                }
            }
            connection.commit();
            return added;
        } catch (SQLException e) {
            rollback();
            throw failure("record progress of " + trialId, e);
        } finally {
            autoCommit();
        }
    }

    /** Sets a trial's status (and error) without touching its result, e.g. when it is cancelled. */
    public synchronized void setStatus(String trialId, TrialStatus status, String error) {
        update("UPDATE trials SET status = ?, error = ?, finished_at = ? WHERE id = ?", status.label(), error,
                status.isFinished() ? Instant.now().toString() : null, trialId);
    }

    /** Cancels the sweep's pending trials; returns how many. */
    public synchronized int cancelPending(String sweepId) {
        return update("UPDATE trials SET status = 'cancelled', finished_at = ? WHERE sweep_id = ? AND status = 'pending'",
                Instant.now().toString(), sweepId);
    }

    /** Cancelled trials run again when their sweep is resumed. */
    public synchronized int requeueCancelled(String sweepId) {
        return update("UPDATE trials SET status = 'pending' WHERE sweep_id = ? AND status = 'cancelled'", sweepId);
    }

    /**
     * Records a finished trial with its result in one transaction. {@code metrics}, when not null,
     * replace the trial's stored metrics (a run read back from its files); null keeps the metrics
     * its worker reported.
     */
    public synchronized void finish(String trialId, TrialOutcome outcome) {
        List<MetricRow> metrics = outcome.metrics();
        try {
            connection.setAutoCommit(false);
            if (metrics != null) {
                try (PreparedStatement del = connection.prepareStatement("DELETE FROM metrics WHERE trial_id = ?")) {
                    del.setString(1, trialId);
                    del.executeUpdate();
                }
                try (PreparedStatement ins = connection.prepareStatement("INSERT INTO metrics (trial_id, step, kind, "
                        + "tokens, loss, lr, grad_norm) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    for (MetricRow m : metrics) {
                        bindMetric(ins, trialId, m);
                        ins.addBatch();
                    }
                    ins.executeBatch();
                }
            }
            try (PreparedStatement up = connection.prepareStatement("UPDATE trials SET status = ?, final_val_loss = ?, "
                    + "diverged_at = ?, state_bytes = ?, result = ?, error = ?, finished_at = ? WHERE id = ?")) {
                up.setString(1, outcome.status().label());
                setDouble(up, 2, outcome.finalValLoss());
                setLong(up, 3, outcome.divergedAt());
                setLong(up, 4, outcome.stateBytes());
                up.setString(5, outcome.result());
                up.setString(6, outcome.error());
                up.setString(7, Instant.now().toString());
                up.setString(8, trialId);
                up.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            rollback();
            throw failure("record trial " + trialId, e);
        } finally {
            autoCommit();
        }
    }

    /** Trials left running by a runner that died go back to pending (they resume from their checkpoints). */
    public synchronized int requeueInterrupted(String sweepId) {
        return update("UPDATE trials SET status = 'pending' WHERE sweep_id = ? AND status = 'running'", sweepId);
    }

    /** Failed trials get another chance when the sweep is run again. */
    public synchronized int requeueFailed(String sweepId) {
        return update("UPDATE trials SET status = 'pending' WHERE sweep_id = ? AND status = 'failed'", sweepId);
    }

    public synchronized List<MetricRow> metrics(String trialId, String kind) {
        List<MetricRow> rows = new ArrayList<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT step, kind, tokens, loss, lr, grad_norm FROM metrics "
                + "WHERE trial_id = ? AND kind = ? ORDER BY step")) {
            q.setString(1, trialId);
            q.setString(2, kind);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    rows.add(new MetricRow(r.getInt(1), r.getString(2), (Long) nullable(r.getLong(3), r),
                            (Double) nullable(r.getDouble(4), r), (Double) nullable(r.getDouble(5), r),
                            (Double) nullable(r.getDouble(6), r)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw failure("read metrics of " + trialId, e);
        }
    }

    private int update(String sql, Object... args) {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    private static void bindMetric(PreparedStatement ins, String trialId, MetricRow m) throws SQLException {
        ins.setString(1, trialId);
        ins.setInt(2, m.step());
        ins.setString(3, m.kind());
        setLong(ins, 4, m.tokens());
        setDouble(ins, 5, m.loss());
        setDouble(ins, 6, m.lr());
        setDouble(ins, 7, m.gradNorm());
    }

    private static void setDouble(PreparedStatement s, int i, Double v) throws SQLException {
        if (v == null || !Double.isFinite(v)) {
            s.setNull(i, Types.DOUBLE);
        } else {
            s.setDouble(i, v);
        }
    }

    private static void setLong(PreparedStatement s, int i, Number v) throws SQLException {
        if (v == null) {
            s.setNull(i, Types.BIGINT);
        } else {
            s.setLong(i, v.longValue());
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the original failure is the one to report
        }
    }

    private void autoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw failure("restore auto-commit", e);
        }
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException("trial store " + url + ": cannot " + what + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }
}

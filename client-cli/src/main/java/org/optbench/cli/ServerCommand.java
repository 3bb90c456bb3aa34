package org.optbench.cli;

import java.io.File;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.optbench.model.ParameterLayout;
import org.optbench.model.io.ModelWeights;
import org.optbench.model.io.SafetensorsFile;
import org.optbench.model.io.ShapeOverrides;
import org.optbench.server.OptbenchServer;
import org.optbench.server.ServerLimits;
import org.optbench.server.auth.TokenFile;
import org.optbench.sweep.Datasets;
import org.optbench.sweep.SweepCoordinator;
import org.optbench.sweep.SweepSpec;
import org.optbench.sweep.exec.ExecutorChoices;
import org.optbench.sweep.exec.ExecutorSpec;
import org.optbench.sweep.exec.TrialExecutors;
import org.optbench.sweep.store.TrialStore;
import org.optbench.train.data.DefaultCorpus;
import org.optbench.train.data.PreparedData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optbench server}: serves the sweep API on a port over the trial store until stopped
 * (SIGINT/SIGTERM shut it down gracefully within {@code --shutdown-grace} seconds). Users
 * authenticate with the tokens of {@code --tokens}; the sweeps a previous server or runner left
 * running are resumed on start, and those their users interrupted (Ctrl-C on a study) only with
 * {@code --resume-paused}; its start-up lines say which.
 */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run the optbench gRPC server.")
final class ServerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "7443", description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--http-port", paramLabel = "PORT", description = "also serve the live web dashboard on this port of "
            + "the same address (0 picks a free one) and print a one-time login URL; users also log in at "
            + "/login?token=THEIR_TOKEN")
    Integer httpPort;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default ${DEFAULT-VALUE}, "
            + "this machine only; 0.0.0.0 for every interface, with TLS)")
    String bind;

    @Option(names = "--no-default-corpus", description = "do not fetch and prepare the default corpus at start-up (specs "
            + "that use it are then refused unless it is already prepared)")
    boolean noDefaultCorpus;

    @Option(names = "--executor", defaultValue = "local", description = "where trials of specs that name no executor run: "
            + "local (child processes) or slurm (sbatch jobs) (default ${DEFAULT-VALUE})")
    String executor;

    @Option(names = "--slurm-profiles", description = "YAML file of named Slurm profiles (name: {partition, account, qos, "
            + "gpus_per_trial, cpus_per_trial, mem, time_limit, extra_args, retries}) that specs may choose with "
            + "executor: {type: slurm, profile: NAME}")
    Path slurmProfiles;

    @Option(names = "--dataset", paramLabel = "NAME=DIR", description = "offer a prepared data directory by name "
            + "(repeatable); remote specs name data as default, synthetic or one of these")
    Map<String, Path> datasets = new java.util.LinkedHashMap<>();

    @Option(names = "--weights", paramLabel = "NAME=FILE", description = "offer initial weights (a safetensors file written "
            + "by optbench) by name (repeatable); remote specs name them as init_weights: NAME")
    Map<String, Path> weights = new java.util.LinkedHashMap<>();

    @Option(names = "--max-upload-bytes", defaultValue = "1073741824", description = "largest weights file a user may "
            + "upload with 'optbench weights upload' (default ${DEFAULT-VALUE})")
    long maxUploadBytes;

    @Option(names = "--advertise", description = "host:port that workers report to (default: this host's name and --port; "
            + "set it when Slurm nodes reach the server by another name)")
    String advertise;

    @Option(names = "--tokens", required = true, description = "token file: one 'user token [role] [expires=INSTANT]' per line "
            + "(role user or admin; # comments); edits apply without a restart")
    Path tokens;

    @Option(names = "--tls-cert", description = "PEM certificate chain (TLS)")
    File tlsCert;

    @Option(names = "--tls-key", description = "PEM private key (TLS)")
    File tlsKey;

    @Option(names = "--max-message-bytes", defaultValue = "4194304", description = "largest request accepted (default ${DEFAULT-VALUE})")
    int maxMessageBytes;

    @Option(names = "--max-trials", defaultValue = "10000", description = "most trials per sweep (default ${DEFAULT-VALUE})")
    int maxTrials;

    @Option(names = "--max-streams-per-user", defaultValue = "2000", description = "watch streams one user may hold (default ${DEFAULT-VALUE})")
    int maxStreams;

    @Option(names = "--max-workers", paramLabel = "N", description = "trials' workers at once on this server, across "
            + "every sweep and user (default: the cores this machine has); trials beyond it wait in their sweep's queue")
    Integer maxWorkers;

    @Option(names = "--user-max-workers", paramLabel = "N", description = "workers at once per user (default: "
            + "--max-workers); free slots go first to the users with fewer running")
    Integer userMaxWorkers;

    @Option(names = "--user-max-sweeps", paramLabel = "N", defaultValue = "20", description = "unfinished sweeps per "
            + "user; a new one beyond it is refused (RESOURCE_EXHAUSTED) until one finishes (default ${DEFAULT-VALUE})")
    int userMaxSweeps;

    @Option(names = "--user-max-trials", paramLabel = "N", defaultValue = "100000", description = "trials a user's "
            + "sweeps may hold in all, a new sweep's most included (default ${DEFAULT-VALUE})")
    long userMaxTrials;

    @Option(names = "--user-max-upload-bytes", paramLabel = "BYTES", defaultValue = "4294967296", description = "bytes of "
            + "weights a user may keep, every version counted (default ${DEFAULT-VALUE}: 4 GiB)")
    long userMaxUploadBytes;

    @Option(names = "--max-worker-memory", paramLabel = "SIZE", description = "heap the running workers may hold in all, "
            + "e.g. 12g (default: three quarters of this machine's memory); each worker's heap counts against it")
    String maxWorkerMemory;

    @Option(names = "--resume-paused", description = "also resume at start the sweeps their users interrupted (Ctrl-C "
            + "on a study); without it they stay paused until 'optbench sweep resume NAME' or their study runs again")
    boolean resumePaused;

    @Option(names = "--shutdown-grace", defaultValue = "10", description = "seconds calls in flight get at shutdown (default ${DEFAULT-VALUE})")
    int grace;

    @Mixin
    StudyStore where;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ExecutorSpec defaultExecutor = ExecutorSpec.parse(Map.of("type", executor), "--executor");
        ExecutorChoices choices = new ExecutorChoices(defaultExecutor, slurmProfiles == null ? Map.of()
                : ExecutorChoices.readProfiles(slurmProfiles));
        datasets.forEach((name, dir) -> {
            if (!SweepSpec.NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("--dataset " + name + ": a data set's name is a plain name such as c4-t5");
            }
            PreparedData.open(dir);
        });
        weights.forEach((name, file) -> {
            if (!SweepSpec.NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("--weights " + name + ": a name is a plain name such as base-nano");
            }
            SafetensorsFile read = SafetensorsFile.read(file);
            ModelWeights.check(read, new ParameterLayout(ModelWeights.config(read, ShapeOverrides.none(), 0f)));
        });
        if (httpPort != null && (httpPort < 0 || httpPort > 65535 || httpPort == port && port != 0)) {
            throw new IllegalArgumentException("--http-port " + httpPort + ": give a free port in [0, 65535] other than "
                    + "--port (0 picks a free one)");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("TLS needs both --tls-cert and --tls-key");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (tlsCert == null && !InetAddress.getByName(bind).isLoopbackAddress()) {
            spec.commandLine().getErr().println("optbench server: warning: listening on " + bind + " without TLS: tokens and "
                    + "results cross the network in clear; give --tls-cert and --tls-key");
        }
        if (!noDefaultCorpus && !DefaultCorpus.isPrepared(DefaultCorpus.root())) {
            try {
                DefaultCorpus.ensure(DefaultCorpus.root(), out);
            } catch (RuntimeException e) {
                spec.commandLine().getErr().println("optbench server: warning: the default corpus is not available ("
                        + e.getMessage() + "); specs that use it are refused until 'optbench data fetch' prepares it");
            }
        }
        int workers = maxWorkers == null ? Runtime.getRuntime().availableProcessors() : maxWorkers;
        if (workers < 1 || userMaxWorkers != null && userMaxWorkers < 1 || userMaxSweeps < 1 || userMaxTrials < 1
                || userMaxUploadBytes < 1) {
            throw new IllegalArgumentException("--max-workers " + workers + ", --user-max-workers " + userMaxWorkers
                    + ", --user-max-sweeps " + userMaxSweeps + " and --user-max-trials " + userMaxTrials
                    + ": each must be at least 1");
        }
        long workerMemory = maxWorkerMemory != null ? org.optbench.sweep.exec.MemorySize.bytes(maxWorkerMemory, 1)
                : physicalMemory() / 4 * 3;
        if (workerMemory <= 0) {
            throw new IllegalArgumentException("--max-worker-memory " + maxWorkerMemory + ": give a size such as 12g or "
                    + "4096m");
        }
        TokenFile users = TokenFile.load(tokens);
        TrialStore store = where.open();
        OptbenchServer server = OptbenchServer.start(new OptbenchServer.Options(bind, port,
                new SweepCoordinator.Setup(store, TrialExecutors.of(WorkerLaunch.program()), choices,
                new Datasets(datasets, weights, null), where.runs(), where.threadsPerTrial), advertise, users, tlsCert,
                tlsKey, false, new ServerLimits(maxMessageBytes, maxTrials, maxStreams, 1024, 100_000, maxUploadBytes,
                workers, userMaxWorkers == null ? workers : userMaxWorkers, userMaxSweeps, userMaxTrials,
                userMaxUploadBytes, workerMemory),
                true, httpPort, resumePaused));
        out.printf("optbench server listening on %s:%d (%s), store %s%n", bind, server.port(),
                tlsCert != null ? "TLS" : "plaintext", store.url());
        out.printf("workers: at most %d at once, %d per user, heaps up to %.1f GiB in all; per user at most %d unfinished "
                + "sweeps and %d trials%n", workers, userMaxWorkers == null ? workers : Math.min(userMaxWorkers, workers),
                workerMemory / 1073741824.0, userMaxSweeps, userMaxTrials);
        SweepCoordinator.Resumption resumed = server.resumption();
        out.println("resumed at start: " + (resumed.resumed().isEmpty() ? "no sweep" : names(resumed.resumed()))
                + " (sweeps left running when a server or study stopped" + (resumePaused ? ", and with --resume-paused "
                + "those their users interrupted" : "") + ")");
        if (!resumed.paused().isEmpty()) {
            out.println("left paused: " + names(resumed.paused()) + " (interrupted by their users; resume one with "
                    + "'optbench sweep resume NAME', or start the server with --resume-paused)");
        }
        if (httpPort != null) {
            out.println("dashboard: " + server.dashboardLoginUrl() + " (the token works once; users log in with "
                    + "/login?token=THEIR_TOKEN)");
        }
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.shutdown(grace * 1000L);
                store.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped.countDown();
            }
        }));
        server.awaitTermination();
        stopped.await();
        return 0;
    }

    /** This machine's memory in bytes (the JVM's view of it). */
    private static long physicalMemory() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
    }

    /** Sweeps as the start-up lines name them: each name with its owner. */
    private static String names(java.util.List<org.optbench.sweep.store.SweepRow> rows) {
        return String.join(", ", rows.stream().map(r -> r.name() + " (" + r.owner() + ")").toList());
    }
}

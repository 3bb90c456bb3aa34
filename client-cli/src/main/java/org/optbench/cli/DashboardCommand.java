package org.optbench.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.optbench.cli.remote.Connection;
import org.optbench.sweep.exec.TrialExecutors;
import org.optbench.sweep.store.TrialStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optbench dashboard [--runs-dir DIR | --db URL] [--http-port P]}: every sweep of a local
 * store in the browser, read-only, for the local user: an in-process server on the store that
 * starts and resumes nothing serves the dashboard on 127.0.0.1, and one printed URL logs a browser
 * in as often as asked (reloads, new tabs, a second browser) until Ctrl-C ends the command.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true, description = "Serve every sweep of a local store read-only "
        + "in the browser on 127.0.0.1 until Ctrl-C; starts and resumes no trial.")
final class DashboardCommand implements Callable<Integer> {

    @Option(names = "--http-port", defaultValue = "0", description = "the dashboard's port on 127.0.0.1 (default: a free one)")
    int httpPort;

    @Mixin
    StudyStore where;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StudyCommand.checkPort(spec, "--http-port", httpPort);
        PrintWriter out = spec.commandLine().getOut();
        TrialStore store = where.open();
        Connection c = Connection.embedded(store, where.runs(), TrialExecutors.of(WorkerLaunch.program()),
                where.threadsPerTrial, 30, httpPort);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped.countDown();
            }
        }, "optbench-dashboard-stop"));
        out.println("dashboard: " + c.dashboardLoginUrl());
        out.println("serving every sweep of " + store.url() + " read-only "
                + "(no trial is started or resumed); the URL works in any browser on this machine until Ctrl-C");
        out.flush();
        stopped.await();
        return 0;
    }
}

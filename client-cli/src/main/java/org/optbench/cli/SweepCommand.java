package org.optbench.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.optbench.cli.remote.ClientOptions;
import org.optbench.cli.remote.Connection;
import org.optbench.cli.remote.SweepWatch;
import org.optbench.proto.v1.CancelSweepRequest;
import org.optbench.proto.v1.CreateSweepRequest;
import org.optbench.proto.v1.DeleteSweepRequest;
import org.optbench.proto.v1.GetSweepRequest;
import org.optbench.proto.v1.ListSweepsRequest;
import org.optbench.proto.v1.ListSweepsResponse;
import org.optbench.proto.v1.Sweep;
import org.optbench.proto.v1.SweepState;
import org.optbench.sweep.SweepSpecParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code optbench sweep}: submit, list, inspect, watch, cancel, delete and resume sweeps, on a
 * server ({@code --server}) or on the local store through an in-process server.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, description = "Submit, list, watch and cancel sweeps.",
        subcommands = {SweepCommand.Submit.class, SweepCommand.List.class, SweepCommand.Status.class, SweepCommand.Watch.class,
            SweepCommand.Cancel.class, SweepCommand.Delete.class, SweepCommand.Resume.class})
final class SweepCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every sweep subcommand takes: where the server or the local store is. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        StudyStore where;

        @Mixin
        ClientOptions client;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        Connection connect() throws java.io.IOException {
            return Clients.connect(client, where);
        }
    }

    /** A subcommand about one sweep, named by its id. */
    abstract static class ById extends Base {
        @Parameters(index = "0", description = "the sweep: its name (yours) or its id")
        String id;
    }

    /** {@code sweep submit FILE [--watch]}. */
    @Command(name = "submit", mixinStandardHelpOptions = true, description = "Submit a sweep spec (the same name and spec "
            + "resumes it). Without --server the sweep runs in this process, so it is always watched.")
    static final class Submit extends Base {
        @Parameters(index = "0", description = "the sweep spec (YAML or JSON)")
        Path file;

        @Option(names = "--watch", description = "follow the sweep's progress until it ends")
        boolean watch;

        @Override
        public Integer call() throws Exception {
            String text = Files.readString(file);
            SweepSpecParser.parse(text, file.toString());
            if (client.server() == null) {
                return StudyCommand.run(SweepSpecParser.parse(text, file.toString()), file.toString(), where, client, null,
                        out(), err(), false, null);
            }
            try (Connection c = connect()) {
                Sweep s = c.sweeps().createSweep(CreateSweepRequest.newBuilder().setYaml(text).build());
                out().printf("submitted %s: %d trials on %s%n", s.getId(), s.getTrialsTotal(), c.target());
                if (watch) {
                    new SweepWatch(out(), System.console() != null).follow(c, s.getId());
                }
            }
            return 0;
        }
    }

    /** {@code sweep list [--state S]}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List your sweeps (all sweeps for an admin).")
    static final class List extends Base {
        @Option(names = "--state", description = "only sweeps in this state: running, completed, cancelled, paused")
        String state;

        @Override
        public Integer call() throws Exception {
            ListSweepsRequest.Builder q = ListSweepsRequest.newBuilder().setPageSize(200);
            if (state != null) {
                try {
                    q.setState(SweepState.valueOf("SWEEP_STATE_" + state.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--state '" + state + "' must be running, completed, cancelled or paused");
                }
            }
            try (Connection c = connect()) {
                String page = "";
                boolean any = false;
                do {
                    ListSweepsResponse r = c.sweeps().listSweeps(q.setPageToken(page).build());
                    for (Sweep s : r.getSweepsList()) {
                        if (!any) {
                            out().println(HEADER);
                            any = true;
                        }
                        out().println(line(s));
                    }
                    page = r.getNextPageToken();
                } while (!page.isEmpty());
                if (!any) {
                    out().println(state == null ? "no sweeps" : "no " + state.toLowerCase(Locale.ROOT) + " sweeps");
                }
            }
            return 0;
        }
    }

    static final String HEADER = String.format(Locale.ROOT, "%-24s %-10s %9s %8s %9s %8s %7s  %s", "sweep", "state",
            "finished", "running", "diverged", "stopped", "failed", "owner");

    static String line(Sweep s) {
        int finished = s.getTrialsTotal() - s.getTrialsPending() - s.getTrialsRunning();
        return String.format(Locale.ROOT, "%-24s %-10s %9s %8d %9d %8d %7d  %s", s.getId(), s.getState().name().substring("SWEEP_STATE_".length()).toLowerCase(Locale.ROOT), finished + "/"
                + s.getTrialsTotal(), s.getTrialsRunning(), s.getTrialsDiverged(), s.getTrialsStopped(), s.getTrialsFailed(),
                s.getOwner()) + (s.getReason().isEmpty() ? "" : "\n  " + s.getReason());
    }

    /** {@code sweep status ID}. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show one sweep's state and trial counts.")
    static final class Status extends ById {
        @Override
        public Integer call() throws Exception {
            try (Connection c = connect()) {
                out().println(HEADER);
                out().println(line(c.sweeps().getSweep(GetSweepRequest.newBuilder().setSweepId(id).build())));
            }
            return 0;
        }
    }

    /** {@code sweep watch ID}. */
    @Command(name = "watch", mixinStandardHelpOptions = true, description = "Follow a sweep's progress until it ends.")
    static final class Watch extends ById {
        @Override
        public Integer call() throws Exception {
            try (Connection c = connect()) {
                Sweep done = new SweepWatch(out(), System.console() != null).follow(c, id);
                if (done != null) {
                    out().println(HEADER);
                    out().println(line(done));
                }
            }
            return 0;
        }
    }

    /** {@code sweep cancel ID}. */
    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Stop a sweep: running trials are stopped, "
            + "pending ones cancelled; finished results stay.")
    static final class Cancel extends ById {
        @Override
        public Integer call() throws Exception {
            try (Connection c = connect()) {
                out().println(HEADER);
                out().println(line(c.sweeps().cancelSweep(CancelSweepRequest.newBuilder().setSweepId(id).build())));
            }
            return 0;
        }
    }

    /** {@code sweep delete ID}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a sweep that is not running, with its "
            + "trials, metrics and directory.")
    static final class Delete extends ById {
        @Override
        public Integer call() throws Exception {
            try (Connection c = connect()) {
                c.sweeps().deleteSweep(DeleteSweepRequest.newBuilder().setSweepId(id).build());
                out().println("deleted " + id);
            }
            return 0;
        }
    }

    /** {@code sweep resume ID}: runs what is left of a sweep from the spec kept with it. */
    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume a sweep from the spec kept with it (completed trials are not run again).")
    static final class Resume extends ById {
        @Override
        public Integer call() throws Exception {
            String text;
            try (Connection c = connect()) {
                text = c.sweeps().getSweep(GetSweepRequest.newBuilder().setSweepId(id).build()).getSpec();
            }
            return StudyCommand.run(SweepSpecParser.parse(text, "sweep " + id), "stored spec", where, client, null, out(), err(),
                    true, null);
        }
    }
}

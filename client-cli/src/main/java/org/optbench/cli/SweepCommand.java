package org.optbench.cli;

import java.util.concurrent.Callable;
import org.optbench.sweep.SweepSpecParser;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.store.TrialStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code optbench sweep}: the sweeps of a trial store: list them, resume one from its stored spec. */
@Command(name = "sweep", mixinStandardHelpOptions = true, description = "List stored sweeps or resume one.",
        subcommands = {SweepCommand.List.class, SweepCommand.Resume.class})
final class SweepCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code optbench sweep list}: every sweep with its trial counts. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the sweeps in the store.")
    static final class List implements Callable<Integer> {

        @Mixin
        StudyStore where;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (TrialStore store = where.open()) {
                for (String id : store.sweepIds()) {
                    java.util.List<TrialRecord> trials = store.trials(id);
                    long done = trials.stream().filter(t -> t.status().isFinished()).count();
                    long diverged = trials.stream().filter(t -> t.status() == TrialStatus.DIVERGED).count();
                    long failed = trials.stream().filter(t -> t.status() == TrialStatus.FAILED).count();
                    spec.commandLine().getOut().printf("%-24s %4d/%-4d finished  %3d diverged  %3d failed%n", id, done,
                            trials.size(), diverged, failed);
                }
            }
            return 0;
        }
    }

    /** {@code optbench sweep resume ID}: runs what is left of a stored sweep, from its stored spec. */
    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume a stored sweep from the spec kept with it (completed trials are not run again).")
    static final class Resume implements Callable<Integer> {

        @Parameters(index = "0", description = "the sweep (its name)")
        String id;

        @Mixin
        StudyStore where;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String text;
            try (TrialStore store = where.open()) {
                text = store.sweepSpec(id);
            }
            return StudyCommand.run(SweepSpecParser.parse(text, "sweep " + id), "stored spec", where,
                    spec.commandLine().getOut());
        }
    }
}

package org.optbench.sweep.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * How this installation starts a worker JVM: the launcher (the java executable, with whatever
 * environment it needs in front), the arguments after the JVM options (modules, class path, main
 * class and {@code worker}), and the heap a local worker gets. {@link #command} puts the heap in
 * between, so a trial's heap is the one validation assumed.
 *
 * @param launcher         e.g. {@code env LD_PRELOAD=... /usr/lib/jvm/.../java}
 * @param arguments        e.g. {@code --add-modules jdk.incubator.vector -cp ... org.optbench.cli.WorkerMain worker}
 * @param localHeapBytes   the maximum heap of a local worker
 */
public record WorkerProgram(List<String> launcher, List<String> arguments, long localHeapBytes) {

    public WorkerProgram {
        launcher = List.copyOf(launcher);
        arguments = List.copyOf(arguments);
    }

    /**
     * The command that runs a worker with {@code heapBytes} of heap (the JVM's own default when 0);
     * the trial directory goes after it.
     */
    public List<String> command(long heapBytes) {
        List<String> cmd = new ArrayList<>(launcher);
        if (heapBytes > 0) {
            cmd.add("-Xmx" + Math.max(1, heapBytes >> 20) + "m");
        }
        cmd.addAll(arguments);
        return cmd;
    }
}

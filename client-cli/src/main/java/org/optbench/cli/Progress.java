package org.optbench.cli;

import java.io.PrintWriter;
import org.optbench.train.EvalRecord;
import org.optbench.train.StepRecord;

/**
 * Training progress for people: on a terminal, one line redrawn in place (steps, a bar, loss,
 * tokens/s, ETA) at most ten times a second; otherwise a plain line every {@code every} steps.
 * Tokens/s and the ETA are measured from the end of the first step, so the JVM's warm-up does
 * not inflate the ETA of the first seconds.
 * Evaluations always get a line of their own.
 */
final class Progress {

    private static final int WIDTH = 24;

    private final PrintWriter out;
    private final int total;
    private final int every;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int firstStep = -1;
    private long firstStepDone;
    private boolean drawn;

    Progress(PrintWriter out, int total, int every, boolean terminal) {
        this.out = out;
        this.total = total;
        this.every = Math.max(1, every);
        this.terminal = terminal;
    }

    void step(StepRecord r) {
        long now = System.nanoTime();
        if (firstStep < 0) {
            firstStep = r.step();
            firstStepDone = now;
        }
        // Rates leave out the first step, which carries the JVM's warm-up (JIT, kernel builds).
        int timed = r.step() - firstStep;
        double seconds = timed > 0 ? Math.max((now - firstStepDone) / 1e9, 1e-9)
                : Math.max((now - start) / 1e9, 1e-9);
        double tps = (double) Math.max(timed, 1) * (r.tokens() / r.step()) / seconds;
        if (terminal) {
            if (now - lastDraw < 100_000_000L && r.step() != total) {
                return;
            }
            lastDraw = now;
            String eta = timed > 0 ? clock(Math.round(seconds / timed * (total - r.step()))) : "--:--";
            int filled = (int) ((long) WIDTH * r.step() / total);
            out.printf("\rstep %d/%d [%s%s] loss %.4f  %,.0f tok/s  ETA %s ", r.step(), total,
                    "=".repeat(filled), " ".repeat(WIDTH - filled), r.loss(), tps, eta);
            out.flush();
            drawn = true;
        } else if (r.step() % every == 0 || r.step() == 1 || r.step() == total) {
            out.printf("step %5d/%d  loss %.4f  lr %.3e  grad_norm %.3f  %.1f ms  %,.0f tok/s%n", r.step(), total,
                    r.loss(), r.lr(), r.gradNorm(), r.millis(), tps);
        }
    }

    private static String clock(long seconds) {
        return seconds >= 3600 ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format("%02d:%02d", seconds / 60, seconds % 60);
    }

    void eval(EvalRecord e) {
        if (drawn) {
            out.println();
            drawn = false;
        }
        out.printf("eval  step %d  val_loss %.4f%s%n", e.step(), e.valLoss(),
                Double.isNaN(e.valBitsPerByte()) ? "" : String.format("  val_bpb %.4f", e.valBitsPerByte()));
    }

    void finish() {
        if (drawn) {
            out.println();
        }
    }
}

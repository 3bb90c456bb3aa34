package org.optbench.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.optbench.optim.hyperparameter.HyperparameterException;

/**
 * The learning rate at each optimizer step (steps counted from 1), as a multiple of a group's
 * peak LR so one schedule serves every group. All shapes share the paper's warmup (linear from
 * 0.1*lr to lr over W steps) and floor (0.1*lr from step N on):
 * <ul>
 *   <li>{@code paper}: cosine from lr at W to 0.1*lr at N (SPEC's formula);</li>
 *   <li>{@code linear}: linear from lr at W to 0.1*lr at N;</li>
 *   <li>{@code wsd}: warmup-stable-decay, lr until the last 20% of the steps, then linear to 0.1*lr;</li>
 *   <li>{@code constant}: lr at every step, no warmup.</li>
 * </ul>
 * {@link #afterFreeze} puts steps at LR 0 in front of any of them (Adalayer's {@code t_freeze}):
 * the shape then runs over the steps after the freeze.
 */
public final class LrSchedule {

    /** Schedule shapes. */
    public enum Kind {
        PAPER, CONSTANT, LINEAR, WSD;

        /** The name in specs and flags: paper, constant, linear, wsd. */
        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Kind of(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new HyperparameterException("unknown schedule '" + name + "'; choose paper, constant, linear or wsd");
            }
        }
    }

    static final double FLOOR = 0.1;
    static final double WSD_DECAY_FRACTION = 0.2;

    private final Kind kind;
    private final int warmup;
    private final int total;
    private final int freeze;

    public LrSchedule(Kind kind, int warmup, int total) {
        this(kind, warmup, total, 0);
    }

    private LrSchedule(Kind kind, int warmup, int total, int freeze) {
        if (total <= 0 || warmup < 0 || warmup > total) {
            throw new HyperparameterException("schedule needs steps > 0 and 0 <= warmup <= steps, got warmup "
                    + warmup + " and steps " + total);
        }
        this.kind = kind;
        this.warmup = warmup;
        this.total = total;
        this.freeze = freeze;
    }

    /** This schedule after {@code steps} steps at LR 0: step {@code steps + s} has this schedule's step s. */
    public LrSchedule afterFreeze(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("a freeze of " + steps + " steps");
        }
        return new LrSchedule(kind, warmup, total, freeze + steps);
    }

    /** Steps at LR 0 before the shape starts. */
    public int freeze() {
        return freeze;
    }

    public static LrSchedule paper(int warmup, int total) {
        return new LrSchedule(Kind.PAPER, warmup, total);
    }

    public static LrSchedule constant() {
        return new LrSchedule(Kind.CONSTANT, 0, 1);
    }

    public Kind kind() {
        return kind;
    }

    /** The learning rate of step {@code step} for a group whose peak LR is {@code peak}. */
    public double lr(double peak, int step) {
        return peak * factor(step);
    }

    /** lr_step / peak. */
    public double factor(int step) {
        if (step <= freeze) {
            return 0.0;
        }
        return shape(step - freeze);
    }

    private double shape(int step) {
        if (kind == Kind.CONSTANT) {
            return 1.0;
        }
        if (step < warmup) {
            return FLOOR + (1 - FLOOR) * step / warmup;
        }
        if (step >= total) {
            return FLOOR;
        }
        double progress = (double) (step - warmup) / (total - warmup);
        return switch (kind) {
            case PAPER -> FLOOR + (1 - FLOOR) * (1 + Math.cos(Math.PI * progress)) / 2;
            case LINEAR -> 1 - (1 - FLOOR) * progress;
            case WSD -> {
                int decayStart = Math.max(warmup, (int) Math.round(total * (1 - WSD_DECAY_FRACTION)));
                yield step < decayStart ? 1.0 : 1 - (1 - FLOOR) * (step - decayStart) / (double) (total - decayStart);
            }
            case CONSTANT -> 1.0;
        };
    }
}

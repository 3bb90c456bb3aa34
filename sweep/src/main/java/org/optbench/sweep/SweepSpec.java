package org.optbench.sweep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.optbench.sweep.analysis.AnalysisSpec;
import org.optbench.sweep.exec.ExecutorRequest;
import org.optbench.sweep.trial.SweptValue;
import org.optbench.sweep.trial.Trial;
import org.optbench.train.run.DataSpec;
import org.optbench.train.run.RunKeys;
import org.optbench.train.run.RunSpec;

/**
 * A parsed sweep: the W&amp;B keys ({@code method}, {@code metric}, {@code parameters},
 * {@code run_cap}) and optbench's own (the fixed run settings, seeds, trials at once, early
 * stopping, executor). {@code optimizers} maps each optimizer to its own swept settings (the
 * paper's "each optimizer over its own LR grid"); {@code shared} are swept for every optimizer.
 * {@link #trialCount} counts its trials by multiplication, and {@link #run} turns one trial into
 * the {@link RunSpec} it trains.
 *
 * @param name       the sweep's name (runs/&lt;name&gt;/)
 * @param text       the spec as written, stored with the sweep
 * @param method     grid, random or one at a time
 * @param metric     the metric minimised (val_loss)
 * @param optimizers optimizer name to its swept settings, in file order
 * @param shared     settings swept for every optimizer
 * @param base       the run settings every trial shares, typed (its optimizer and seed are the trial's)
 * @param seeds      model/data seeds; every point runs once per seed
 * @param parallel   trials at once
 * @param runCap     random search: trials per optimizer
 * @param randomSeed random search: the sampler's seed
 * @param earlyStop  the early-stopping rule, or null to run every trial to the end
 * @param executor   where the spec asks its trials to run, or null for the server's default
 * @param saveWeights whether each trial keeps its final weights in its directory (downloadable)
 * @param analysis   how the results are analysed, with the declared claims
 * @param adaptive   trials added after the grid (refine, extend_edges), or null
 */
public record SweepSpec(String name, String text, Method method, String metric,
                        Map<String, Map<String, SweepParameter>> optimizers, Map<String, SweepParameter> shared,
                        RunSpec base, List<Long> seeds, int parallel, int runCap, long randomSeed,
                        EarlyStopRule earlyStop, ExecutorRequest executor, boolean saveWeights, AnalysisSpec analysis,
                        AdaptiveSpec adaptive) {

    /**
     * Grid search (every combination), random search, or one setting at a time: the point where
     * every setting is at its default, then each other value of each setting with the rest held
     * at their defaults (the paper's one-dimensional sweeps).
     */
    public enum Method { GRID, RANDOM, ONE_AT_A_TIME }

    /** Checkpoints over each trial's run, so a lost trial resumes at most a quarter run back. */
    public static final int CHECKPOINTS_PER_TRIAL = 4;

    /** What a name may be: a sweep's, a data set's, a weights upload's, a claim's id. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public SweepSpec {
        optimizers = Collections.unmodifiableMap(new LinkedHashMap<>(optimizers));
        shared = Collections.unmodifiableMap(new LinkedHashMap<>(shared));
        seeds = List.copyOf(seeds);
    }

    /** The settings {@code optimizer} sweeps: its own, then the shared ones it does not override. */
    public Map<String, SweepParameter> parameters(String optimizer) {
        Map<String, SweepParameter> all = new LinkedHashMap<>(optimizers.get(optimizer));
        shared.forEach(all::putIfAbsent);
        return all;
    }

    /**
     * The points {@code optimizer} runs: {@code run_cap} draws, its grid's size, or one at a time
     * the default point and each setting's other values; saturates at Long.MAX_VALUE.
     */
    public long pointCount(String optimizer) {
        if (method == Method.RANDOM) {
            return runCap;
        }
        if (method == Method.ONE_AT_A_TIME) {
            long points = 1;
            for (SweepParameter p : parameters(optimizer).values()) {
                points = points > Long.MAX_VALUE - p.grid().size() ? Long.MAX_VALUE : points + p.grid().size() - 1;
            }
            return points;
        }
        long points = 1;
        for (SweepParameter p : parameters(optimizer).values()) {
            points = saturatedProduct(points, p.isDistribution() ? 1 : p.grid().size());
        }
        return points;
    }

    /**
     * The arms {@code optimizer} runs along {@code axis}: its grid's points with the axis left out
     * (each combination of its other swept settings, whose curve along the axis is extended and
     * refined on its own); a random search's draws are each an arm, and so are a one-at-a-time
     * sweep's points. Saturates at Long.MAX_VALUE.
     */
    public long armCount(String optimizer, String axis) {
        if (method != Method.GRID) {
            return pointCount(optimizer);
        }
        long arms = 1;
        for (Map.Entry<String, SweepParameter> e : parameters(optimizer).entrySet()) {
            if (!e.getKey().equals(axis)) {
                arms = saturatedProduct(arms, e.getValue().isDistribution() ? 1 : e.getValue().grid().size());
            }
        }
        return arms;
    }

    /** Trials this spec expands to, by multiplication (nothing is expanded); saturates at Long.MAX_VALUE. */
    public long trialCount() {
        long total = 0;
        for (String optimizer : optimizers.keySet()) {
            long trials = saturatedProduct(pointCount(optimizer), seeds.size());
            total = trials > Long.MAX_VALUE - total ? Long.MAX_VALUE : total + trials;
        }
        return total;
    }

    private static long saturatedProduct(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The most trials it may run: the grid and, with refine or extend_edges, the most those can add. */
    public long maxTrialCount() {
        long grid = trialCount();
        long arms = 0;
        if (adaptive != null) {
            for (String optimizer : optimizers.keySet()) {
                long a = armCount(optimizer, adaptive.axis());
                arms = a > Long.MAX_VALUE - arms ? Long.MAX_VALUE : arms + a;
            }
        }
        long extra = adaptive == null ? 0 : adaptive.bound(arms, seeds.size());
        return grid > Long.MAX_VALUE - extra ? Long.MAX_VALUE : grid + extra;
    }

    /**
     * The run of one trial: the shared settings with the trial's optimizer, then its point's
     * values and its seed; trials checkpoint {@value #CHECKPOINTS_PER_TRIAL} times per run.
     */
    public RunSpec run(Trial trial) {
        RunSpec.Builder b = base.toBuilder().optimizer(trial.optimizer());
        RunKeys.applyAll(b, trial.point().settings());
        return b.seed(trial.seed()).checkpointsPerRun(CHECKPOINTS_PER_TRIAL).build();
    }

    /**
     * Whether some trial reads the default corpus (which a server prepares once, before the first
     * trial, so that parallel workers never prepare it at the same time).
     */
    public boolean usesDefaultCorpus() {
        return !defaultCorpora().isEmpty();
    }

    /** The tokenizations of the default corpus that some trial reads ({@code sotu-8k}, {@code sotu-512}). */
    public Set<DataSpec.Tokenization> defaultCorpora() {
        Set<DataSpec.Tokenization> used = EnumSet.noneOf(DataSpec.Tokenization.class);
        if (base.data().source() == DataSpec.Source.DEFAULT) {
            used.add(base.data().corpusTokenization());
        }
        List<SweepParameter> swept = new ArrayList<>();
        optimizers.values().forEach(own -> swept.add(own.get("data")));
        swept.add(shared.get("data"));
        for (SweepParameter p : swept) {
            if (p == null || p.grid() == null) {
                continue;
            }
            if (p.grid().contains(SweptValue.parse("default"))) {
                used.add(DataSpec.Tokenization.SOTU_8K);
            }
            for (DataSpec.Tokenization t : DataSpec.Tokenization.values()) {
                if (p.grid().contains(SweptValue.parse(t.label()))) {
                    used.add(t);
                }
            }
        }
        return used;
    }
}

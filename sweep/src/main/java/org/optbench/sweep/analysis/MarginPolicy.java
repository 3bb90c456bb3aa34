package org.optbench.sweep.analysis;

/**
 * A study's one equivalence margin, from {@code analysis.margin}, applied to every equivalence
 * claim on a loss (best loss, excess) that does not set its own: a fixed number of nats, a fraction
 * of the reference arm's best loss ({@code {relative: R}}, the reference being the claim's
 * {@code b}), or a multiple of the pooled seed standard deviation of the two arms
 * ({@code {seed_sd: K}}), or none.
 *
 * @param kind  how the margin is set
 * @param value the nats, the fraction R or the multiple K; NaN for none
 */
public record MarginPolicy(Kind kind, double value) {

    /** How a margin is set. */
    public enum Kind {
        NONE, NATS, RELATIVE, SEED_SD
    }

    public static final MarginPolicy NONE = new MarginPolicy(Kind.NONE, Double.NaN);

    public static MarginPolicy nats(double nats) {
        return new MarginPolicy(Kind.NATS, nats);
    }

    public boolean isNone() {
        return kind == Kind.NONE;
    }

    /**
     * The margin in nats for a comparison whose reference arm's best loss is {@code referenceLoss}
     * and whose arms' pooled seed SD is {@code seedSd} (NaN when that is not known).
     */
    public double resolve(double referenceLoss, double seedSd) {
        return switch (kind) {
            case NONE -> Double.NaN;
            case NATS -> value;
            case RELATIVE -> value * referenceLoss;
            case SEED_SD -> value * seedSd;
        };
    }

    private static String plain(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** As a spec writes it: {@code 0.05}, {@code {relative: 0.01}}, {@code {seed_sd: 2}}, or {@code none}. */
    public String text() {
        return switch (kind) {
            case NONE -> "none";
            case NATS -> plain(value);
            case RELATIVE -> "{relative: " + plain(value) + "}";
            case SEED_SD -> "{seed_sd: " + plain(value) + "}";
        };
    }
}

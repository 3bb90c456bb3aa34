package org.optbench.sweep.analysis;

/**
 * A claim a spec declares and the report evaluates: {@code a} compared with {@code b} on a
 * metric. {@code equivalent} asserts |a - b| < margin (two one-sided tests); {@code worse} and
 * {@code better} assert a difference in the metric's direction of better (lower losses, excess
 * and divergences; larger widths); {@code wider} and {@code narrower} are for widths.
 *
 * @param id      the claim's name in the report
 * @param type    what is claimed
 * @param a       the first arm
 * @param b       the second arm
 * @param metric  what is compared
 * @param margin  the equivalence margin, in the metric's units ({@code equivalent} only), else NaN
 * @param aText   the first arm as written
 * @param bText   the second arm as written
 */
public record ClaimSpec(String id, Type type, Arm a, Arm b, Metric metric, double margin, String aText, String bText) {

    /** The kinds of claim. */
    public enum Type {
        EQUIVALENT, WORSE, BETTER, WIDER, NARROWER;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The sign of a - b the claim asserts: +1 when a's metric should be the larger, -1 the
     * smaller, 0 for equivalence.
     */
    public int assertedSign() {
        return switch (type) {
            case EQUIVALENT -> 0;
            case WIDER -> 1;
            case NARROWER -> -1;
            case WORSE -> metric.higherIsBetter() ? -1 : 1;
            case BETTER -> metric.higherIsBetter() ? 1 : -1;
        };
    }
}

package org.optbench.sweep.trial;

/**
 * One trial of a sweep as its expansion makes it: its index, the optimizer, its {@link Point} and
 * the seed. {@link #key()} identifies it independently of its index, in the text every version has
 * stored, so a resumed sweep matches trials to what it already ran.
 *
 * @param index     position in the expansion
 * @param optimizer optimizer or hybrid name
 * @param point     the swept settings
 * @param seed      the seed
 */
public record Trial(int index, String optimizer, Point point, long seed) {

    /** {@code adamw {lr=0.01} seed=0}. */
    public String key() {
        return optimizer + " " + point.key() + " seed=" + seed;
    }

    /** {@code adamw lr=0.01 beta1=0.9}. */
    public String describe() {
        String label = point.label();
        return label.isEmpty() ? optimizer : optimizer + " " + label;
    }
}

package org.optbench.sweep;

import java.util.List;
import java.util.Random;
import org.optbench.sweep.error.SweepSpecException;
import org.optbench.sweep.trial.SweptValue;

/**
 * One swept hyperparameter in the Weights &amp; Biases sweep schema: a fixed {@code value}, a list
 * of {@code values} (grid or random choice), or {@code min}/{@code max} with a
 * {@code distribution} (uniform, log_uniform_values, int_uniform, q_uniform,
 * q_log_uniform_values; {@code q} the quantum) for random search. In a one-at-a-time sweep a
 * list of values names its {@code default}, the value it keeps while another setting varies.
 *
 * @param values       the value or values, typed
 * @param distribution null for value/values
 * @param min          lower bound of a distribution
 * @param max          upper bound of a distribution
 * @param q            quantum of a q_ distribution
 * @param center       one_at_a_time: the value held while another setting varies (one of values); else null
 */
public record SweepParameter(List<SweptValue> values, String distribution, double min, double max, double q,
                             SweptValue center) {

    public static final List<String> DISTRIBUTIONS = List.of("uniform", "log_uniform_values", "int_uniform",
            "q_uniform", "q_log_uniform_values");

    public SweepParameter {
        values = values == null ? null : List.copyOf(values);
    }

    public boolean isDistribution() {
        return distribution != null;
    }

    /** The value this setting keeps in a one-at-a-time sweep: its default, or its only value. */
    public SweptValue held() {
        return center != null ? center : values.get(0);
    }

    /** The grid values (value/values only). */
    public List<SweptValue> grid() {
        return values;
    }

    /** One random draw, written as Java writes the drawn double (or long, for int_uniform). */
    public SweptValue sample(Random rng) {
        if (!isDistribution()) {
            return values.get(rng.nextInt(values.size()));
        }
        double u = rng.nextDouble();
        Object drawn = switch (distribution) {
            case "uniform" -> min + u * (max - min);
            case "log_uniform_values" -> Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)));
            case "int_uniform" -> (long) Math.floor(min + u * (max - min + 1));
            case "q_uniform" -> Math.round((min + u * (max - min)) / q) * q;
            case "q_log_uniform_values" -> Math.round(Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) / q) * q;
            default -> throw new SweepSpecException("unknown distribution '" + distribution + "'; use one of " + DISTRIBUTIONS);
        };
        return SweptValue.of(drawn);
    }

    static SweepParameter fixed(SweptValue value) {
        return new SweepParameter(List.of(value), null, 0, 0, 0, null);
    }
}

package org.optbench.train;

/**
 * A validation measurement: the mean cross-entropy (nats per token, z-loss excluded) over the
 * fixed validation tokens after step {@code step}, and the same in bits per UTF-8 byte of text
 * (NaN when the data has no byte counts).
 */
public record EvalRecord(int step, double valLoss, double valBitsPerByte, long tokens) {
}

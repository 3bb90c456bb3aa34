package org.optbench.train.text;

/**
 * Text to token ids with T5 conventions: no BOS, and the caller appends {@link #eosId()} after
 * each document. {@link #fingerprint()} identifies the exact vocabulary so cached token files are
 * reused only with the tokenizer that made them.
 */
public interface Tokenizer extends AutoCloseable {

    int[] encode(String text);

    String decode(int[] ids);

    int vocabSize();

    int eosId();

    /** A short name, e.g. {@code sentencepiece:sotu-8k.model} or {@code gpt2}. */
    String name();

    /** SHA-256 of the tokenizer's definition. */
    String fingerprint();

    @Override
    void close();
}

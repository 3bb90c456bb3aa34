package org.optbench.train.text;

import ai.djl.sentencepiece.SpProcessor;
import ai.djl.sentencepiece.SpTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A SentencePiece {@code .model} file (the T5 {@code spiece.model} format) through DJL's
 * SentencePiece binding, whose native library ships in its jar and loads offline. The EOS id is
 * the model's {@code </s>} piece (1 in T5 models).
 */
public final class SentencePieceTokenizer implements Tokenizer {

    private final SpTokenizer tokenizer;
    private final SpProcessor processor;
    private final int vocabSize;
    private final int eos;
    private final String name;
    private final String fingerprint;

    public SentencePieceTokenizer(Path model) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(model);
        } catch (IOException e) {
            throw new TokenFileException("cannot read the SentencePiece model " + model + ": " + e.getMessage(), e);
        }
        this.tokenizer = new SpTokenizer(bytes);
        this.processor = tokenizer.getProcessor();
        this.vocabSize = countPieces(bytes, model);
        this.eos = processor.getId("</s>");
        this.name = "sentencepiece:" + model.getFileName();
        this.fingerprint = Fingerprint.sha256(bytes);
        if (eos < 0 || !"</s>".equals(processor.getToken(eos))) {
            throw new TokenFileException(model + " has no </s> piece; optbench needs an EOS piece (T5 convention)");
        }
    }

    /**
     * The number of pieces: top-level field 1 ({@code repeated SentencePiece pieces}) of the
     * model's {@code ModelProto}, counted from the protobuf wire format.
     */
    static int countPieces(byte[] proto, Path model) {
        int pos = 0;
        int pieces = 0;
        while (pos < proto.length) {
            long[] tag = varint(proto, pos, model);
            pos = (int) tag[1];
            int field = (int) (tag[0] >>> 3);
            int wire = (int) (tag[0] & 7);
            switch (wire) {
                case 0 -> pos = (int) varint(proto, pos, model)[1];
                case 1 -> pos += 8;
                case 5 -> pos += 4;
                case 2 -> {
                    long[] len = varint(proto, pos, model);
                    pos = (int) (len[1] + len[0]);
                    if (field == 1) {
                        pieces++;
                    }
                }
                default -> throw new TokenFileException(model + " is not a SentencePiece model (wire type " + wire + ")");
            }
        }
        if (pos != proto.length || pieces == 0) {
            throw new TokenFileException(model + " is not a SentencePiece model (no pieces found)");
        }
        return pieces;
    }

    /** {value, next position} of the varint at {@code pos}. */
    private static long[] varint(byte[] b, int pos, Path model) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= b.length) {
                throw new TokenFileException(model + " is truncated or not a SentencePiece model");
            }
            byte x = b[pos++];
            value |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
                return new long[] {value, pos};
            }
        }
        throw new TokenFileException(model + " is not a SentencePiece model (bad varint)");
    }

    @Override
    public int[] encode(String text) {
        return processor.encode(text);
    }

    @Override
    public String decode(int[] ids) {
        return processor.decode(ids);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int eosId() {
        return eos;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}

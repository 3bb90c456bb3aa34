package org.optbench.train.text;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

/** GPT-2's byte-level BPE (the r50k ranks shipped in jtokkit's jar); EOS is {@code <|endoftext|>} (50256). */
public final class Gpt2Tokenizer implements Tokenizer {

    private static final int EOS = 50256;

    private final Encoding encoding = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);

    @Override
    public int[] encode(String text) {
        return encoding.encodeOrdinary(text).toArray();
    }

    @Override
    public String decode(int[] ids) {
        IntArrayList list = new IntArrayList(ids.length);
        for (int id : ids) {
            list.add(id);
        }
        return encoding.decode(list);
    }

    @Override
    public int vocabSize() {
        return EOS + 1;
    }

    @Override
    public int eosId() {
        return EOS;
    }

    @Override
    public String name() {
        return "gpt2";
    }

    @Override
    public String fingerprint() {
        return "gpt2-r50k_base";
    }

    @Override
    public void close() {
        // nothing held
    }
}

package org.optbench.train.data;

import java.util.Arrays;
import org.optbench.train.text.TokenFileException;

/** A growable run of token ids. */
final class TokenCollector {

    private int[] ids = new int[1 << 16];
    private int size;

    void add(int[] more) {
        ensure(size + more.length);
        System.arraycopy(more, 0, ids, size, more.length);
        size += more.length;
    }

    void add(int id) {
        ensure(size + 1);
        ids[size++] = id;
    }

    private void ensure(long capacity) {
        if (capacity > Integer.MAX_VALUE - 16) {
            throw new TokenFileException("a token split over 2^31 tokens does not fit one array: prepare fewer shards per directory");
        }
        if (capacity > ids.length) {
            ids = Arrays.copyOf(ids, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(capacity, 2L * ids.length)));
        }
    }

    int size() {
        return size;
    }

    int[] toArray() {
        return Arrays.copyOf(ids, size);
    }
}

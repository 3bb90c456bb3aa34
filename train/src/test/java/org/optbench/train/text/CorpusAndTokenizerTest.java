package org.optbench.train.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.train.data.DataPreparer;
import org.optbench.train.data.NpyArray;
import org.optbench.train.data.PreparedData;
import org.optbench.train.text.TokenFileException;

class CorpusAndTokenizerTest {

    @TempDir
    Path dir;

    private Path gz(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void c4ReaderTakesTheTextFieldAndCountsBadLines() throws IOException {
        Path shard = gz("c4-train.00000-of-01024.json.gz", """
                {"text": "First document.", "url": "http://a", "timestamp": "2019"}
                not json at all
                {"url": "no text field"}
                {"text": 42}

                {"text": "Second document, with \\"quotes\\"."}
                """);
        Path txt = dir.resolve("notes.txt");
        Files.writeString(txt, "A plain text document.\nTwo lines.");
        List<String> docs = new ArrayList<>();
        CorpusReader.Stats stats = new CorpusReader(List.of(shard, txt)).read(docs::add);
        assertEquals(List.of("First document.", "Second document, with \"quotes\".", "A plain text document.\nTwo lines."),
                docs);
        assertEquals(3, stats.badLines());
        assertEquals(3, stats.documents());
        Path bad = gz("bad.json.gz", "nope\n{\"x\": 1}\n");
        TokenFileException e = assertThrows(TokenFileException.class, () -> new CorpusReader(List.of(bad)).read(d -> { }));
        assertTrue(e.getMessage().contains("all 2 lines"), e.getMessage());
        assertThrows(TokenFileException.class, () -> new CorpusReader(List.of(dir.resolve("missing.json"))));
    }

    @Test
    void shippedSentencePieceModelFollowsT5Conventions() {
        try (Tokenizer sp = Tokenizers.open(Tokenizers.DEFAULT, dir)) {
            assertEquals(8192, sp.vocabSize());
            assertEquals(1, sp.eosId());
            int[] ids = sp.encode("The state of the Union is strong.");
            assertTrue(ids.length > 3 && ids.length < 15, java.util.Arrays.toString(ids));
            for (int id : ids) {
                assertTrue(id > 2, "no pad, eos or unk inside ordinary text: " + id);
            }
            assertEquals("The state of the Union is strong.", sp.decode(ids));
        }
    }

    @Test
    void gpt2EncodesLikeTheReferenceRanks() {
        try (Tokenizer gpt2 = Tokenizers.open("gpt2", dir)) {
            assertArrayEquals(new int[] {15496, 995}, gpt2.encode("Hello world"));
            assertEquals(50257, gpt2.vocabSize());
            assertEquals(50256, gpt2.eosId());
        }
    }

    @Test
    void prepareWritesSplitsWithEosAndReusesItsCache() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            lines.append("{\"text\": \"Document number ").append(i).append(" speaks of the union.\"}\n");
        }
        Path corpus = gz("corpus.json.gz", lines.toString());
        Path out = dir.resolve("prepared");
        try (Tokenizer tok = Tokenizers.open(Tokenizers.DEFAULT, dir)) {
            DataPreparer.Outcome first = DataPreparer.prepare(new CorpusReader(List.of(corpus)), tok, out, 0.1);
            assertFalse(first.reused());
            PreparedData data = first.data();
            assertEquals(4, data.manifest().path("counts").path("val_documents").asInt());
            assertEquals(36, data.manifest().path("counts").path("train_documents").asInt());
            NpyArray train = data.train();
            assertEquals(NpyArray.Dtype.UINT16, train.dtype());
            int[] all = new int[(int) train.count()];
            train.read(0, all, 0, all.length);
            long eos = java.util.Arrays.stream(all).filter(t -> t == 1).count();
            assertEquals(36, eos, "one EOS after each training document");
            assertEquals(1, all[all.length - 1]);
            int[] firstDoc = tok.encode("Document number 0 speaks of the union.");
            assertArrayEquals(firstDoc, java.util.Arrays.copyOf(all, firstDoc.length), "no BOS");
            assertTrue(DataPreparer.prepare(new CorpusReader(List.of(corpus)), tok, out, 0.1).reused());
            assertFalse(DataPreparer.prepare(new CorpusReader(List.of(corpus)), tok, out, 0.2).reused(),
                    "a different split is prepared anew");
        }
    }
}

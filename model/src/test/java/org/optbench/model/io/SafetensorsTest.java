package org.optbench.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.kernels.cpu.CpuBackend;
import org.optbench.model.ModelConfig;
import org.optbench.model.ParameterSpec;
import org.optbench.model.Transformer;

class SafetensorsTest {

    private static final CpuBackend BACKEND = new CpuBackend(2);

    @TempDir
    Path dir;

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    /** A file laid out by hand: 8-byte little-endian header length, JSON header, raw float32 data. */
    private static byte[] handWritten(String header, float... data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        for (float f : data) {
            buf.putFloat(f);
        }
        return buf.array();
    }

    @Test
    void readsAFileWrittenByAnotherTool() throws IOException {
        String header = "{\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[8,20]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]},"
                + "\"__metadata__\":{\"note\":\"hand made\"}}";
        Path file = dir.resolve("other.safetensors");
        Files.write(file, handWritten(header, 1.5f, -2f, 3f, 4f, 5f));
        SafetensorsFile read = SafetensorsFile.read(file);
        assertEquals("hand made", read.metadata().get("note"));
        assertArrayEquals(new int[] {2, 1}, read.tensors().get("a").shape());
        assertArrayEquals(new float[] {1.5f, -2f}, read.tensors().get("a").data());
        assertArrayEquals(new float[] {3f, 4f, 5f}, read.tensors().get("b").data());
    }

    @Test
    void overlappingRangesAreRefusedFromTheHeaderBeforeAnyTensorIsRead() throws IOException {
        int mib16 = 16 << 20;
        StringBuilder header = new StringBuilder("{");
        for (int i = 0; i < 64; i++) {
            header.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[")
                    .append(mib16 / 4).append("],\"data_offsets\":[0,").append(mib16).append("]}");
        }
        header.append("}");
        Path file = dir.resolve("amplified.safetensors");
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        try (var out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            out.write(json);
            out.write(new byte[mib16]);
        }
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.read(file));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().contains("share bytes") && e.getMessage().contains("'t0'"), e.getMessage());
        assertTrue(allocated < 4L << 20, "64 tensors declared over the same 16 MiB (1 GiB in all) are refused after "
                + allocated + " bytes of allocation, not 1 GiB");
        String partly = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        Files.write(file, handWritten(partly, 1f, 2f, 3f));
        assertTrue(assertThrows(SafetensorsException.class, () -> SafetensorsFile.read(file)).getMessage()
                .contains("share bytes [4, 8)"));
    }

    @Test
    void roundTripsAWholeModelByInterchangeName() {
        ModelConfig config = ModelConfig.of(17, 8, 2, 2, 4);
        Transformer model = new Transformer(config, 1, BACKEND);
        model.initialize(11);
        Path file = dir.resolve("model.safetensors");
        ModelWeights.save(file, model);
        SafetensorsFile read = SafetensorsFile.read(file);
        assertEquals("17", read.metadata().get("vocab_size"));
        assertEquals(config, ModelWeights.config(read, ShapeOverrides.none(), config.zLoss()));
        Transformer copy = new Transformer(config, 1, BACKEND);
        ModelWeights.load(read, copy);
        for (ParameterSpec spec : model.layout().specs()) {
            assertArrayEquals(model.readParameter(spec.name()), copy.readParameter(spec.name()), spec.name());
        }
    }

    @Test
    void missingExtraAndMisShapedTensorsAreNamed() {
        ModelConfig config = ModelConfig.of(17, 8, 1, 2, 4);
        Transformer model = new Transformer(config, 1, BACKEND);
        model.initialize(1);
        Path file = dir.resolve("m.safetensors");
        ModelWeights.save(file, model);
        SafetensorsFile full = SafetensorsFile.read(file);

        var missing = new java.util.LinkedHashMap<>(full.tensors());
        missing.remove("ln_f.weight");
        SafetensorsException e1 = assertThrows(SafetensorsException.class,
                () -> ModelWeights.load(new SafetensorsFile(full.metadata(), missing), model));
        assertTrue(e1.getMessage().contains("'ln_f.weight'") && e1.getMessage().contains("[8]"), e1.getMessage());

        var extra = new java.util.LinkedHashMap<>(full.tensors());
        extra.put("pos_emb.weight", new TensorEntry("pos_emb.weight", new int[] {1}, new float[] {0f}));
        SafetensorsException e2 = assertThrows(SafetensorsException.class,
                () -> ModelWeights.load(new SafetensorsFile(full.metadata(), extra), model));
        assertTrue(e2.getMessage().contains("'pos_emb.weight'"), e2.getMessage());

        var wrong = new java.util.LinkedHashMap<>(full.tensors());
        wrong.put("lm_head.weight", new TensorEntry("lm_head.weight", new int[] {8, 17}, new float[136]));
        SafetensorsException e3 = assertThrows(SafetensorsException.class,
                () -> ModelWeights.load(new SafetensorsFile(full.metadata(), wrong), model));
        assertTrue(e3.getMessage().contains("[8, 17]") && e3.getMessage().contains("[17, 8]"), e3.getMessage());
    }

    @Test
    void missingShapeMetadataNamesTheFlagAndOverridesWin() {
        Path file = dir.resolve("nometa.safetensors");
        SafetensorsFile.write(file, Map.of("vocab_size", "10", "d_model", "8", "n_layers", "1", "seq_len", "4"),
                List.of(new TensorEntry("x", new int[] {1}, new float[] {1f})));
        SafetensorsFile read = SafetensorsFile.read(file);
        SafetensorsException e = assertThrows(SafetensorsException.class,
                () -> ModelWeights.config(read, ShapeOverrides.none(), 0f));
        assertTrue(e.getMessage().contains("--n-heads"), e.getMessage());
        ModelConfig config = ModelWeights.config(read, new ShapeOverrides(null, null, null, 2, 16), 0f);
        assertEquals(2, config.nHeads());
        assertEquals(16, config.seqLen());
        assertEquals(10, config.vocabSize());
    }

    @Test
    void truncatedAndCorruptFilesGiveClearErrors() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafetensorsFile.write(good, Map.of(), List.of(new TensorEntry("w", new int[] {4}, new float[] {1, 2, 3, 4})));
        byte[] bytes = Files.readAllBytes(good);

        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 3));
        assertMessage(cut, "outside");

        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertMessage(tiny, "shorter than the 8-byte header");

        Path huge = dir.resolve("huge.safetensors");
        byte[] h = bytes.clone();
        h[7] = 0x7f;
        Files.write(huge, h);
        assertMessage(huge, "header length");

        Path badJson = dir.resolve("json.safetensors");
        Files.write(badJson, handWritten("{\"w\": [oops"));
        assertMessage(badJson, "not valid JSON");

        Path half = dir.resolve("half.safetensors");
        Files.write(half, handWritten("{\"w\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 0f));
        assertMessage(half, "dtype 'BF16'");

        Path sizeMismatch = dir.resolve("size.safetensors");
        Files.write(sizeMismatch, handWritten("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 0f, 1f));
        assertMessage(sizeMismatch, "needs 12 bytes");
    }

    private static void assertMessage(Path file, String fragment) {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.read(file));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
    }
}

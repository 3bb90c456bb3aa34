package org.optbench.model.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format for float32 tensors: an 8-byte little-endian header
 * length, a JSON header mapping each tensor name to its dtype, shape and byte range, an optional
 * {@code __metadata__} object of string values, then the raw little-endian data. Every
 * inconsistency (short file, bad JSON, ranges outside the data, a dtype other than F32) is a
 * {@link SafetensorsException} that names the file and the tensor.
 *
 * @param metadata the {@code __metadata__} strings
 * @param tensors  the tensors in file order
 */
public record SafetensorsFile(Map<String, String> metadata, Map<String, TensorEntry> tensors) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    public SafetensorsFile {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    public static SafetensorsFile read(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new SafetensorsException(path + " is not a safetensors file: " + size
                        + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, path);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER || headerLen > size - 8) {
                throw new SafetensorsException(path + " is not a valid safetensors file: header length "
                        + headerLen + " does not fit a file of " + size + " bytes (truncated or corrupt)");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8, path);
            JsonNode header;
            try {
                header = JSON.readTree(new String(headerBuf.array(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new SafetensorsException(path + " has a header that is not valid JSON: "
                        + e.getOriginalMessage(), e);
            }
            if (header == null || !header.isObject()) {
                throw new SafetensorsException(path + " has a header that is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataSize = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Range> ranges = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().equals("__metadata__")) {
                    readMetadata(field.getValue(), metadata, path);
                } else {
                    ranges.add(range(path, field.getKey(), field.getValue(), dataSize));
                }
            }
            checkApart(ranges, path);
            Map<String, TensorEntry> tensors = new LinkedHashMap<>();
            for (Range r : ranges) {
                tensors.put(r.name(), readTensor(ch, path, r, dataStart));
            }
            return new SafetensorsFile(metadata, tensors);
        } catch (IOException e) {
            throw new SafetensorsException(e instanceof java.nio.file.NoSuchFileException ? "no such file: " + path
                    : "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static void readMetadata(JsonNode node, Map<String, String> out, Path path) {
        if (!node.isObject()) {
            throw new SafetensorsException(path + ": __metadata__ must be an object of strings");
        }
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new SafetensorsException(path + ": __metadata__ value of '" + e.getKey()
                        + "' must be a string, got " + e.getValue());
            }
            out.put(e.getKey(), e.getValue().asText());
        });
    }

    /** A tensor's place in the data: its name, shape and byte range [begin, end). */
    private record Range(String name, int[] shape, long begin, long end) {
    }

    /**
     * Fails unless the tensors' byte ranges are pairwise apart, checked from the header before any
     * tensor is read: ranges that overlap would let a small file declare far more data than it
     * holds (and a reader allocate it).
     */
    private static void checkApart(List<Range> ranges, Path path) {
        List<Range> byBegin = new ArrayList<>(ranges);
        byBegin.sort(Comparator.comparingLong(Range::begin).thenComparingLong(Range::end));
        for (int i = 1; i < byBegin.size(); i++) {
            Range before = byBegin.get(i - 1);
            Range r = byBegin.get(i);
            if (r.begin() < before.end()) {
                throw new SafetensorsException(path + ": tensors '" + before.name() + "' and '" + r.name()
                        + "' share bytes [" + r.begin() + ", " + Math.min(before.end(), r.end())
                        + "): each tensor needs a byte range of its own (corrupt or crafted file)");
            }
        }
    }

    private static Range range(Path path, String name, JsonNode info, long dataSize) {
        String where = path + ": tensor '" + name + "'";
        if (!info.isObject()) {
            throw new SafetensorsException(where + " has no dtype/shape/data_offsets object");
        }
        String dtype = info.path("dtype").asText("");
        if (!dtype.equals("F32")) {
            throw new SafetensorsException(where + " has dtype '" + dtype
                    + "'; optbench reads F32 tensors only: save the weights as float32");
        }
        JsonNode shapeNode = info.path("shape");
        JsonNode offsets = info.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new SafetensorsException(where + " needs a shape array and data_offsets [begin, end]");
        }
        int[] shape = new int[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!shapeNode.get(i).canConvertToInt() || shapeNode.get(i).asInt() < 0) {
                throw new SafetensorsException(where + " has an invalid dimension " + shapeNode.get(i));
            }
            shape[i] = shapeNode.get(i).asInt();
            count *= shape[i];
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataSize) {
            throw new SafetensorsException(where + " has data_offsets [" + begin + ", " + end
                    + "] outside the " + dataSize + " data bytes (truncated or corrupt file)");
        }
        if (end - begin != 4 * count) {
            throw new SafetensorsException(where + " of shape " + java.util.Arrays.toString(shape) + " needs "
                    + 4 * count + " bytes but data_offsets give " + (end - begin));
        }
        if (count > Integer.MAX_VALUE - 16) {
            throw new SafetensorsException(where + " has " + count + " elements, more than one array can hold");
        }
        return new Range(name, shape, begin, end);
    }

    private static TensorEntry readTensor(FileChannel ch, Path path, Range r, long dataStart) throws IOException {
        long begin = r.begin();
        long end = r.end();
        float[] data = new float[(int) ((end - begin) / 4)];
        ByteBuffer buf = ByteBuffer.allocate((int) Math.max(4, Math.min(end - begin, 1 << 24))).order(ByteOrder.LITTLE_ENDIAN);
        long pos = dataStart + begin;
        int filled = 0;
        while (filled < data.length) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), 4L * (data.length - filled)));
            readFully(ch, buf, pos, path);
            pos += buf.limit();
            buf.flip();
            int k = buf.limit() / 4;
            buf.asFloatBuffer().get(data, filled, k);
            filled += k;
        }
        return new TensorEntry(r.name(), r.shape(), data);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path path) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new SafetensorsException(path + " ends early at byte " + pos + " (truncated file)");
            }
            pos += n;
        }
    }

    /** Writes {@code tensors} in order with {@code metadata}; the header is padded to 8 bytes. */
    public static void write(Path path, Map<String, String> metadata, List<TensorEntry> tensors) {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (TensorEntry t : tensors) {
            ObjectNode info = header.putObject(t.name());
            info.put("dtype", "F32");
            var shape = info.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            var offsets = info.putArray("data_offsets");
            offsets.add(offset);
            offset += 4L * t.data().length;
            offsets.add(offset);
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new SafetensorsException("cannot encode the safetensors header: " + e.getMessage(), e);
        }
        int padded = (json.length + 7) / 8 * 8;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(padded).put(json);
            while (head.hasRemaining()) {
                head.put((byte) ' ');
            }
            head.flip();
            writeFully(ch, head);
            ByteBuffer buf = ByteBuffer.allocate(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
            for (TensorEntry t : tensors) {
                float[] data = t.data();
                int done = 0;
                while (done < data.length) {
                    buf.clear();
                    int k = Math.min(buf.capacity() / 4, data.length - done);
                    buf.asFloatBuffer().put(data, done, k);
                    buf.limit(4 * k);
                    writeFully(ch, buf);
                    done += k;
                }
            }
        } catch (IOException e) {
            throw new SafetensorsException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}

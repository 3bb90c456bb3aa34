package org.optbench.train.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The one JSON mapping of run specs and run results: snake_case keys, paths as written (not as
 * file URIs), and keys a newer version added ignored on reading. Trial files, result files and
 * checkpoints all go through it.
 */
public final class RunJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .registerModule(new SimpleModule("paths")
                    .addSerializer(Path.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Path value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                            gen.writeString(value.toString());
                        }
                    })
                    .addDeserializer(Path.class, new JsonDeserializer<>() {
                        @Override
                        public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                            return Path.of(p.getValueAsString());
                        }
                    }));

    private RunJson() {
    }

    /** {@code value} as one line of JSON. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** {@code value} written to {@code file} as indented JSON. */
    public static void writeFile(Path file, Object value) throws IOException {
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), value);
    }

    /** One line of JSON as a tree. */
    public static JsonNode parse(String line) throws IOException {
        return MAPPER.readTree(line);
    }

    /** {@code value} (a record, a map or a list) as a JSON tree. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** A JSON tree as plain Java: Number, Boolean, String, List or Map. */
    public static Object plain(JsonNode node) {
        return MAPPER.convertValue(node, Object.class);
    }

    /** Reads {@code text} as a {@code type}; the error says what was wrong where. */
    public static <T> T read(String text, Class<T> type, String source) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof RuntimeException r ? r : e;
            throw new RunSpecException(source + ": not a valid " + type.getSimpleName() + ": "
                    + (cause == e ? e.getOriginalMessage() : cause.getMessage()), e);
        }
    }
}

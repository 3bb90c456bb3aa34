package org.optbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * A message of the API as JSON that pandas and jq read as they are: every field under its proto
 * name, present even at its default; 64-bit integers as numbers (the proto JSON mapping writes
 * them as strings); enum values in lower case without their type's prefix ({@code completed}, as
 * the CSV has them); a trial's swept settings as numbers or booleans where they are ones; its
 * {@code result_json} as the object it holds (under {@code result}); NaN and unset optional
 * numbers as null.
 */
final class ResultsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ResultsJson() {
    }

    /** {@code message} as indented JSON. */
    static String of(Message message) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(object(message));
        } catch (IOException e) {
            throw new IllegalStateException("results cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    private static ObjectNode object(Message m) {
        ObjectNode o = NODES.objectNode();
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            if (f.isMapField()) {
                ObjectNode map = o.putObject(f.getName());
                for (Object entry : (List<?>) m.getField(f)) {
                    MapEntry<?, ?> e = (MapEntry<?, ?>) entry;
                    map.set(e.getKey().toString(), setting(e.getValue()));
                }
            } else if (f.isRepeated()) {
                ArrayNode array = o.putArray(f.getName());
                for (Object v : (List<?>) m.getField(f)) {
                    array.add(value(f, v));
                }
            } else if (f.getName().equals("result_json")) {
                o.set("result", parsed((String) m.getField(f)));
            } else if (f.hasPresence() && !m.hasField(f)) {
                o.putNull(f.getName());
            } else {
                o.set(f.getName(), value(f, m.getField(f)));
            }
        }
        return o;
    }

    private static JsonNode value(FieldDescriptor f, Object v) {
        return switch (f.getJavaType()) {
            case MESSAGE -> object((Message) v);
            case ENUM -> NODES.textNode(enumName((EnumValueDescriptor) v));
            case INT -> NODES.numberNode((Integer) v);
            case LONG -> NODES.numberNode((Long) v);
            case DOUBLE -> Double.isFinite((Double) v) ? NODES.numberNode((Double) v) : NODES.nullNode();
            case FLOAT -> Float.isFinite((Float) v) ? NODES.numberNode((Float) v) : NODES.nullNode();
            case BOOLEAN -> NODES.booleanNode((Boolean) v);
            default -> NODES.textNode(v.toString());
        };
    }

    /** {@code TRIAL_STATE_COMPLETED} of {@code TrialState} as {@code completed}. */
    static String enumName(EnumValueDescriptor v) {
        String prefix = v.getType().getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT) + "_";
        String name = v.getName().startsWith(prefix) ? v.getName().substring(prefix.length()) : v.getName();
        return name.toLowerCase(Locale.ROOT);
    }

    /** A swept setting as the spec wrote it: a number, a boolean, or else its text. */
    private static JsonNode setting(Object text) {
        String s = text.toString();
        if (s.equals("true") || s.equals("false")) {
            return NODES.booleanNode(Boolean.parseBoolean(s));
        }
        try {
            double d = Double.parseDouble(s);
            if (Double.isFinite(d) && !s.matches("(?i).*[a-df-z].*")) {
                return s.matches("-?\\d{1,18}") ? NODES.numberNode(Long.parseLong(s)) : NODES.numberNode(d);
            }
        } catch (NumberFormatException e) {
            // not a number: kept as text
        }
        return NODES.textNode(s);
    }

    private static JsonNode parsed(String json) {
        if (json.isEmpty()) {
            return NODES.nullNode();
        }
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            return NODES.textNode(json);
        }
    }
}

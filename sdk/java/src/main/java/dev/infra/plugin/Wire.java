package dev.infra.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Property values between the wire's JSON and Java: {@code null}, {@link Boolean}, {@link Long} or {@link Double},
 * {@link String}, {@link List}, {@link Map}, {@link Secret} and {@link Unknown}.
 */
public final class Wire {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Wire() {
    }

    /** Reads a wire value: markers become {@link Secret} and {@link Unknown#VALUE}. */
    public static Object fromWire(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>(node.size());
            node.forEach(item -> items.add(fromWire(item)));
            return items;
        }
        if (node.size() == 1 && node.has("$unknown")) {
            return Unknown.VALUE;
        }
        if (node.size() == 1 && node.has("$secret")) {
            return new Secret(fromWire(node.get("$secret")));
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            map.put(field.getKey(), fromWire(field.getValue()));
        }
        return map;
    }

    /** Writes a value for the wire, markers included. */
    public static JsonNode toWire(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof Unknown) {
            return NODES.objectNode().put("$unknown", true);
        }
        if (value instanceof Secret secret) {
            ObjectNode node = NODES.objectNode();
            node.set("$secret", toWire(secret.reveal()));
            return node;
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Long || value instanceof Integer) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 9.0e15 ? NODES.numberNode((long) d) : NODES.numberNode(d);
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(item -> array.add(toWire(item)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = NODES.objectNode();
            map.forEach((key, item) -> node.set(String.valueOf(key), toWire(item)));
            return node;
        }
        throw new IllegalArgumentException("cannot send a " + value.getClass().getSimpleName() + " over the protocol");
    }

    /** True when no value at any depth is unknown. */
    public static boolean isFullyKnown(Object value) {
        if (value instanceof Unknown) {
            return false;
        }
        if (value instanceof Secret secret) {
            return isFullyKnown(secret.reveal());
        }
        if (value instanceof List<?> list) {
            return list.stream().allMatch(Wire::isFullyKnown);
        }
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().allMatch(Wire::isFullyKnown);
        }
        return true;
    }
}

package dev.infra.plugin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The provider messages of {@code infra-plugin/1} (docs/plugins/protocol.md), mirroring the engine's records.
 * Property bags are {@code Map<String, Object>} of {@link Wire} values.
 */
public final class Messages {
    private Messages() {
    }

    public record ConfigureRequest(String stackName, String projectName, String projectDirectory, Map<String, Object> config, boolean isPreview) {
        static ConfigureRequest from(Map<String, Object> p) {
            return new ConfigureRequest(text(p, "stackName"), text(p, "projectName"), optionalText(p, "projectDirectory"), map(p, "config"), bool(p, "isPreview"));
        }
    }

    public record CheckRequest(String urn, String type, Map<String, Object> oldInputs, Map<String, Object> newInputs) {
        static CheckRequest from(Map<String, Object> p) {
            return new CheckRequest(text(p, "urn"), text(p, "type"), optionalMap(p, "oldInputs"), map(p, "newInputs"));
        }
    }

    public record CheckFailure(String property, String reason) {
        Map<String, Object> toWire() {
            return Map.of("property", property, "reason", reason);
        }
    }

    public record CheckResponse(Map<String, Object> inputs, List<CheckFailure> failures) {
        Map<String, Object> toWire() {
            return Map.of("inputs", inputs, "failures", failures.stream().map(CheckFailure::toWire).toList());
        }
    }

    public record DiffRequest(String urn, String type, String id, Map<String, Object> oldInputs, Map<String, Object> oldOutputs, Map<String, Object> newInputs) {
        static DiffRequest from(Map<String, Object> p) {
            return new DiffRequest(text(p, "urn"), text(p, "type"), text(p, "id"), map(p, "oldInputs"), map(p, "oldOutputs"), map(p, "newInputs"));
        }
    }

    public record DiffResponse(List<String> changed, List<String> replaces, boolean deleteBeforeReplace) {
        /** The common diff: every changed top-level input; those in {@code replaceOnChange} (all when null) force replacement. */
        public static DiffResponse fromInputs(Map<String, Object> oldInputs, Map<String, Object> newInputs, List<String> replaceOnChange) {
            var keys = new java.util.TreeSet<String>(oldInputs.keySet());
            keys.addAll(newInputs.keySet());
            List<String> changed = keys.stream()
                .filter(k -> oldInputs.containsKey(k) != newInputs.containsKey(k) || !java.util.Objects.equals(oldInputs.get(k), newInputs.get(k)))
                .toList();
            return new DiffResponse(changed, changed.stream().filter(k -> replaceOnChange == null || replaceOnChange.contains(k)).toList(), false);
        }

        Map<String, Object> toWire() {
            return Map.of("changed", changed, "replaces", replaces, "deleteBeforeReplace", deleteBeforeReplace);
        }
    }

    public record CreateRequest(String urn, String type, Map<String, Object> inputs, Double timeout, boolean preview) {
        static CreateRequest from(Map<String, Object> p) {
            return new CreateRequest(text(p, "urn"), text(p, "type"), map(p, "inputs"), seconds(p, "timeout"), bool(p, "preview"));
        }
    }

    public record CreateResponse(String id, Map<String, Object> outputs) {
        Map<String, Object> toWire() {
            return Map.of("id", id, "outputs", outputs);
        }
    }

    public record ReadRequest(String urn, String type, String id, Map<String, Object> inputs, Map<String, Object> outputs) {
        static ReadRequest from(Map<String, Object> p) {
            return new ReadRequest(text(p, "urn"), text(p, "type"), optionalText(p, "id"), optionalMap(p, "inputs"), optionalMap(p, "outputs"));
        }
    }

    /** Whether a read found the resource. */
    public enum ReadStatus { FOUND, NOT_FOUND, INDETERMINATE }

    public record ReadResponse(ReadStatus status, String id, Map<String, Object> inputs, Map<String, Object> outputs) {
        public static ReadResponse found(String id, Map<String, Object> inputs, Map<String, Object> outputs) {
            return new ReadResponse(ReadStatus.FOUND, id, inputs, outputs);
        }

        public static ReadResponse notFound() {
            return new ReadResponse(ReadStatus.NOT_FOUND, null, Map.of(), Map.of());
        }

        public static ReadResponse indeterminate() {
            return new ReadResponse(ReadStatus.INDETERMINATE, null, Map.of(), Map.of());
        }

        Map<String, Object> toWire() {
            Map<String, Object> wire = new LinkedHashMap<>();
            wire.put("status", switch (status) {
                case FOUND -> "found";
                case NOT_FOUND -> "notFound";
                case INDETERMINATE -> "indeterminate";
            });
            wire.put("id", id);
            wire.put("inputs", inputs);
            wire.put("outputs", outputs);
            return wire;
        }
    }

    public record UpdateRequest(String urn, String type, String id, Map<String, Object> oldInputs, Map<String, Object> oldOutputs,
                                Map<String, Object> newInputs, Double timeout, boolean preview) {
        static UpdateRequest from(Map<String, Object> p) {
            return new UpdateRequest(text(p, "urn"), text(p, "type"), text(p, "id"), map(p, "oldInputs"), map(p, "oldOutputs"),
                map(p, "newInputs"), seconds(p, "timeout"), bool(p, "preview"));
        }
    }

    public record UpdateResponse(Map<String, Object> outputs) {
        Map<String, Object> toWire() {
            return Map.of("outputs", outputs);
        }
    }

    public record DeleteRequest(String urn, String type, String id, Map<String, Object> inputs, Map<String, Object> outputs, Double timeout) {
        static DeleteRequest from(Map<String, Object> p) {
            return new DeleteRequest(text(p, "urn"), text(p, "type"), text(p, "id"), map(p, "inputs"), map(p, "outputs"), seconds(p, "timeout"));
        }
    }

    static String text(Map<String, Object> params, String field) {
        return params.get(field) instanceof String s ? s : fail(field, "a string");
    }

    static String optionalText(Map<String, Object> params, String field) {
        return params.get(field) == null ? null : text(params, field);
    }

    static boolean bool(Map<String, Object> params, String field) {
        return params.get(field) instanceof Boolean b ? b : params.get(field) == null ? false : fail(field, "a boolean");
    }

    static Double seconds(Map<String, Object> params, String field) {
        return params.get(field) instanceof Number n ? n.doubleValue() : null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> params, String field) {
        return params.get(field) instanceof Map<?, ?> m ? (Map<String, Object>) m : fail(field, "a property bag (an object)");
    }

    static Map<String, Object> optionalMap(Map<String, Object> params, String field) {
        return params.get(field) == null ? null : map(params, field);
    }

    private static <T> T fail(String field, String expected) {
        throw PluginError.invalidParams("params." + field + " must be " + expected, field);
    }
}

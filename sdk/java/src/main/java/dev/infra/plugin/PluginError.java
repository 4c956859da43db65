package dev.infra.plugin;

import java.util.List;
import java.util.Map;

/**
 * An error answer: throw one from a handler to answer with its code and data. Any other exception is answered as
 * {@code internal}. Every error answer means the call did not happen.
 */
public final class PluginError extends RuntimeException {
    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL = -32603;
    public static final int PROTOCOL_MISMATCH = -32010;
    public static final int NOT_CONFIGURED = -32011;
    public static final int CHECK_FAILED = 1000;
    public static final int CONFLICT = 1001;
    public static final int NOT_FOUND = 1002;

    private static final long serialVersionUID = 1L;
    private final int code;
    private final transient Object data;

    public PluginError(int code, String message, Object data) {
        super(message);
        this.code = code;
        this.data = data;
    }

    public int code() {
        return code;
    }

    public Object data() {
        return data;
    }

    public static PluginError invalidParams(String message, String property) {
        return new PluginError(INVALID_PARAMS, message, property == null ? null : Map.of("property", property));
    }

    public static PluginError checkFailed(List<Messages.CheckFailure> failures) {
        return new PluginError(CHECK_FAILED, "the inputs are invalid", Map.of("failures", failures.stream().map(Messages.CheckFailure::toWire).toList()));
    }

    public static PluginError conflict(String message, String id) {
        return new PluginError(CONFLICT, message, id == null ? null : Map.of("id", id));
    }

    public static PluginError notFound(String message, String id) {
        return new PluginError(NOT_FOUND, message, Map.of("id", id));
    }
}

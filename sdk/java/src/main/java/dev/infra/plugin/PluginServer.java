package dev.infra.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The JSON-RPC 2.0 loop of {@code infra-plugin/1}: one message per line on stdin and stdout, stderr for the log.
 * Requests run on a thread pool, so a slow call never holds up the others; {@code $/cancelRequest} interrupts the
 * thread serving the call it names.
 */
public final class PluginServer {
    /** The protocol this SDK speaks. */
    public static final String PROTOCOL = "infra-plugin/1";

    private final String name;
    private final String version;
    private final List<String> capabilities;
    private final Map<String, Function<Map<String, Object>, Object>> methods = new HashMap<>();
    private final Map<Object, Future<?>> inFlight = new ConcurrentHashMap<>();
    // The calls of a batch run here, not on the pool that serves messages: a batch waits for its calls, and calls never
    // wait for anything, so batches in flight cannot starve the calls they wait for.
    private volatile ExecutorService batchCalls;

    public PluginServer(String name, String version, List<String> capabilities) {
        this.name = name;
        this.version = version;
        this.capabilities = List.copyOf(capabilities);
        methods.put("handshake", this::handshake);
    }

    /** Adds a method; its params arrive with markers decoded, its result is encoded on the way out. */
    public PluginServer method(String method, Function<Map<String, Object>, Object> handler) {
        methods.put(method, handler);
        return this;
    }

    /**
     * Adds {@code batch}: several calls of the {@code allowed} methods in one message, run concurrently and answered
     * each on its own ({"result": ...} or {"error": {...}}), in the calls' order. A call that fails fails alone.
     */
    public PluginServer batch(Set<String> allowed) {
        Set<String> permitted = Set.copyOf(allowed);
        methods.put("batch", params -> {
            if (!(params.get("calls") instanceof List<?> calls)) {
                throw PluginError.invalidParams("params lack 'calls'", "calls");
            }
            List<Future<Map<String, Object>>> answers = new ArrayList<>(calls.size());
            for (Object call : calls) {
                answers.add(batchCalls.submit(() -> batchItem(call, permitted)));
            }
            List<Object> results = new ArrayList<>(answers.size());
            try {
                for (Future<Map<String, Object>> answer : answers) {
                    results.add(answer.get());
                }
            } catch (InterruptedException e) {
                answers.forEach(a -> a.cancel(true));
                Thread.currentThread().interrupt();
                throw new PluginError(PluginError.INTERNAL, "cancelled", null);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            return Map.of("results", results);
        });
        return this;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> batchItem(Object call, Set<String> permitted) {
        Map<String, Object> item = new LinkedHashMap<>();
        try {
            if (!(call instanceof Map<?, ?> map) || !(map.get("method") instanceof String method)) {
                throw new PluginError(PluginError.INVALID_REQUEST, "each call of a batch needs a method and params", null);
            }
            Function<Map<String, Object>, Object> handler = permitted.contains(method) ? methods.get(method) : null;
            if (handler == null) {
                throw new PluginError(PluginError.METHOD_NOT_FOUND, "a batch cannot carry '" + method + "'", null);
            }
            Object params = map.get("params") == null ? Map.of() : map.get("params");
            if (!(params instanceof Map)) {
                throw PluginError.invalidParams("params must be an object", null);
            }
            item.put("result", handler.apply((Map<String, Object>) params));
        } catch (RuntimeException e) {
            item.put("error", errorBody(e));
        }
        return item;
    }

    /** Serves {@code provider} as the plugin {@code name}@{@code version} on stdin and stdout until stdin closes. */
    public static void serveProvider(String name, String version, Provider provider) throws IOException, InterruptedException {
        serveProvider(name, version, provider, false);
    }

    /**
     * Serves {@code provider} as {@link #serveProvider(String, String, Provider)} does; see
     * {@link #forProvider(String, String, Provider, boolean)} for {@code preview}.
     */
    public static void serveProvider(String name, String version, Provider provider, boolean preview) throws IOException, InterruptedException {
        forProvider(name, version, provider, preview).serve(System.in, System.out);
    }

    /** A server with {@code provider}'s methods, without the preview capability; resource calls wait for {@code configure}. */
    public static PluginServer forProvider(String name, String version, Provider provider) {
        return forProvider(name, version, provider, false);
    }

    /**
     * A server with {@code provider}'s methods; resource calls wait for {@code configure}. With {@code preview} true it
     * announces "preview": the provider predicts its outputs at preview, so the engine sends it {@code create} and
     * {@code update} with {@code preview: true}. Without it the engine never does: the preview's outputs are the
     * inputs, every other output unknown, as in Pulumi for a provider without {@code supportsPreview}.
     */
    public static PluginServer forProvider(String name, String version, Provider provider, boolean preview) {
        AtomicBoolean configured = new AtomicBoolean();
        Function<Function<Map<String, Object>, Object>, Function<Map<String, Object>, Object>> resource = call -> params -> {
            if (!configured.get()) {
                throw new PluginError(PluginError.NOT_CONFIGURED, "call configure before any resource method", null);
            }
            return call.apply(params);
        };
        // "batch": the engine may send several resource calls in one message (docs/plugins/protocol.md).
        return new PluginServer(name, version, preview ? List.of("provider", "batch", "preview") : List.of("provider", "batch"))
            .method("getSchema", params -> provider.getSchema())
            .method("configure", params -> {
                provider.configure(Messages.ConfigureRequest.from(params));
                configured.set(true);
                return null;
            })
            .method("check", resource.apply(params -> provider.check(Messages.CheckRequest.from(params)).toWire()))
            .method("diff", resource.apply(params -> provider.diff(Messages.DiffRequest.from(params)).toWire()))
            .method("create", resource.apply(params -> provider.create(Messages.CreateRequest.from(params)).toWire()))
            .method("read", resource.apply(params -> provider.read(Messages.ReadRequest.from(params)).toWire()))
            .method("update", resource.apply(params -> provider.update(Messages.UpdateRequest.from(params)).toWire()))
            .method("delete", resource.apply(params -> {
                provider.delete(Messages.DeleteRequest.from(params));
                return null;
            }))
            .batch(Set.of("check", "diff", "create", "read", "update", "delete"));
    }

    /** Serves until {@code input} ends, then waits for calls in flight. */
    public void serve(InputStream input, OutputStream output) throws IOException, InterruptedException {
        PrintStream out = new PrintStream(output, false, StandardCharsets.UTF_8);
        if (output == System.out) {
            // stdout carries the protocol: a stray System.out.println goes to the log instead.
            System.setOut(System.err);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(8, Runtime.getRuntime().availableProcessors() * 4));
        batchCalls = Executors.newFixedThreadPool(Math.max(8, Runtime.getRuntime().availableProcessors() * 4));
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    accept(line, out, pool);
                }
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
            batchCalls.shutdown();
            out.flush();
        }
    }

    private void accept(String line, PrintStream out, ExecutorService pool) {
        JsonNode request;
        try {
            request = Wire.JSON.readTree(line);
        } catch (IOException e) {
            write(out, error(null, PluginError.PARSE_ERROR, "not JSON: " + e.getMessage().lines().findFirst().orElse(""), null));
            return;
        }
        if (request == null || !request.isObject() || !request.path("method").isTextual()) {
            write(out, error(null, PluginError.INVALID_REQUEST, "expected a JSON-RPC 2.0 request", null));
            return;
        }
        String method = request.get("method").textValue();
        JsonNode id = request.get("id");
        if (id == null || id.isNull()) {
            if (method.equals("$/cancelRequest")) {
                Future<?> call = inFlight.get(request.path("params").path("id").asText());
                if (call != null) {
                    call.cancel(true);
                }
            }
            return;
        }
        inFlight.put(id.asText(), pool.submit(() -> {
            try {
                write(out, call(id, method, request.get("params")));
            } finally {
                inFlight.remove(id.asText());
            }
        }));
    }

    @SuppressWarnings("unchecked")
    private ObjectNode call(JsonNode id, String method, JsonNode params) {
        try {
            Function<Map<String, Object>, Object> handler = methods.get(method);
            if (handler == null) {
                throw new PluginError(PluginError.METHOD_NOT_FOUND, "this plugin does not serve '" + method + "'", null);
            }
            Object decoded = params == null ? Map.of() : Wire.fromWire(params);
            if (!(decoded instanceof Map)) {
                throw PluginError.invalidParams("params must be an object", null);
            }
            ObjectNode answer = envelope(id);
            answer.set("result", Wire.toWire(handler.apply((Map<String, Object>) decoded)));
            return answer;
        } catch (RuntimeException e) {
            ObjectNode answer = envelope(id);
            answer.set("error", Wire.toWire(errorBody(e)));
            return answer;
        }
    }

    /** The JSON-RPC error object for what a handler threw: a PluginError keeps its code, anything else is internal. */
    private static Map<String, Object> errorBody(RuntimeException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (e instanceof PluginError error) {
            body.put("code", error.code());
            body.put("message", error.getMessage());
            if (error.data() != null) {
                body.put("data", error.data());
            }
            return body;
        }
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        System.err.print(trace);
        body.put("code", PluginError.INTERNAL);
        body.put("message", e.getClass().getSimpleName() + ": " + e.getMessage());
        body.put("data", Map.of("type", e.getClass().getSimpleName()));
        return body;
    }

    private Object handshake(Map<String, Object> params) {
        if (!PROTOCOL.equals(params.get("protocol"))) {
            throw new PluginError(PluginError.PROTOCOL_MISMATCH, "this plugin speaks " + PROTOCOL + ", not " + params.get("protocol"),
                Map.of("supported", List.of(PROTOCOL)));
        }
        return Map.of("name", name, "version", version, "protocol", PROTOCOL, "capabilities", capabilities);
    }

    private static ObjectNode envelope(JsonNode id) {
        ObjectNode answer = Wire.JSON.createObjectNode();
        answer.put("jsonrpc", "2.0");
        answer.set("id", id);
        return answer;
    }

    private static ObjectNode error(JsonNode id, int code, String message, Object data) {
        ObjectNode answer = envelope(id);
        ObjectNode error = answer.putObject("error");
        error.put("code", code);
        error.put("message", message);
        if (data != null) {
            error.set("data", Wire.toWire(data));
        }
        return answer;
    }

    private static void write(PrintStream out, ObjectNode message) {
        String line;
        try {
            line = Wire.JSON.writeValueAsString(message);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        synchronized (out) {
            out.print(line);
            out.print('\n');
            out.flush();
        }
    }
}

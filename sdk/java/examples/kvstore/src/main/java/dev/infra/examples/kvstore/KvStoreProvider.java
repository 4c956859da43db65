package dev.infra.examples.kvstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.infra.plugin.Messages.CheckFailure;
import dev.infra.plugin.Messages.CheckRequest;
import dev.infra.plugin.Messages.CheckResponse;
import dev.infra.plugin.Messages.ConfigureRequest;
import dev.infra.plugin.Messages.CreateRequest;
import dev.infra.plugin.Messages.CreateResponse;
import dev.infra.plugin.Messages.DeleteRequest;
import dev.infra.plugin.Messages.DiffRequest;
import dev.infra.plugin.Messages.DiffResponse;
import dev.infra.plugin.Messages.ReadRequest;
import dev.infra.plugin.Messages.ReadResponse;
import dev.infra.plugin.Messages.UpdateRequest;
import dev.infra.plugin.Messages.UpdateResponse;
import dev.infra.plugin.PluginError;
import dev.infra.plugin.Provider;
import dev.infra.plugin.Secret;
import dev.infra.plugin.Unknown;
import dev.infra.plugin.Wire;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code kvstore:index:Entry}: one key in a JSON file holding an object of keys to string values. Inputs
 * {@code { key, value }} ({@code value} may be secret); the ID is the key. The file is rewritten whole through a
 * temporary file and an atomic rename, and every change holds a lock, since calls arrive on many threads.
 */
public final class KvStoreProvider implements Provider {
    public static final String ENTRY = "kvstore:index:Entry";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.\\-/]{1,200}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Object lock = new Object();
    private volatile Path file;

    @Override
    public Map<String, Object> getSchema() {
        return Map.of(
            "package", "kvstore",
            "resources", Map.of(ENTRY, Map.of(
                "description", "A key and its string value in a JSON key-value file.",
                "inputs", Map.of("type", "object", "required", List.of("key", "value"), "properties", Map.of(
                    "key", Map.of("type", "string"), "value", Map.of("description", "The value; may be secret."))))),
            "config", Map.of("type", "object", "required", List.of("storeFile"), "properties", Map.of("storeFile", Map.of("type", "string"))));
    }

    @Override
    public void configure(ConfigureRequest request) {
        if (!(Secret.unwrap(request.config().get("storeFile")) instanceof String path) || path.isEmpty()) {
            throw PluginError.invalidParams("config 'kvstore:storeFile' is not set; set it to the store file's path", "config.storeFile");
        }
        file = Path.of(path);
    }

    @Override
    public CheckResponse check(CheckRequest request) {
        requireType(request.type());
        List<CheckFailure> failures = new ArrayList<>();
        Object key = request.newInputs().get("key");
        if (!(key instanceof Unknown) && !(key instanceof String k && KEY.matcher(k).matches())) {
            failures.add(new CheckFailure("key", "must be 1 to 200 letters, digits, '.', '_', '-' or '/'"));
        }
        Object value = Secret.unwrap(request.newInputs().get("value"));
        if (!(value instanceof Unknown) && !(value instanceof String)) {
            failures.add(new CheckFailure("value", "must be a string"));
        }
        for (String name : request.newInputs().keySet()) {
            if (!name.equals("key") && !name.equals("value")) {
                failures.add(new CheckFailure(name, "is not an input of " + ENTRY + " (inputs: key, value)"));
            }
        }
        return new CheckResponse(request.newInputs(), failures);
    }

    @Override
    public DiffResponse diff(DiffRequest request) {
        // Another key is another entry; a new value is written in place.
        return DiffResponse.fromInputs(request.oldInputs(), request.newInputs(), List.of("key"));
    }

    @Override
    public CreateResponse create(CreateRequest request) {
        requireType(request.type());
        if (request.preview()) {
            Object key = request.inputs().get("key");
            return new CreateResponse(key instanceof String k ? k : "", request.inputs());
        }
        String key = (String) request.inputs().get("key");
        String value = (String) Secret.unwrap(request.inputs().get("value"));
        change(entries -> {
            String existing = entries.get(key);
            if (existing != null && !existing.equals(value)) {
                throw PluginError.conflict("the key '" + key + "' holds another value; import it or remove it first", key);
            }
            // Absent: write it. Equal: an earlier create wrote it and crashed before the engine heard back; adopt it.
            entries.put(key, value);
        });
        return new CreateResponse(key, request.inputs());
    }

    @Override
    public ReadResponse read(ReadRequest request) {
        requireType(request.type());
        String key = request.id() != null ? request.id()
            : request.inputs() != null && request.inputs().get("key") instanceof String k ? k : null;
        if (key == null) {
            return ReadResponse.indeterminate();
        }
        String value = load().get(key);
        if (value == null) {
            return ReadResponse.notFound();
        }
        boolean wasSecret = request.inputs() != null && request.inputs().get("value") instanceof Secret
            || request.outputs() != null && request.outputs().get("value") instanceof Secret;
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("key", key);
        inputs.put("value", wasSecret ? new Secret(value) : value);
        return ReadResponse.found(key, inputs, inputs);
    }

    @Override
    public UpdateResponse update(UpdateRequest request) {
        requireType(request.type());
        if (!request.preview()) {
            String value = (String) Secret.unwrap(request.newInputs().get("value"));
            change(entries -> {
                if (!entries.containsKey(request.id())) {
                    throw PluginError.notFound("no key '" + request.id() + "' in the store", request.id());
                }
                entries.put(request.id(), value);
            });
        }
        return new UpdateResponse(request.newInputs());
    }

    @Override
    public void delete(DeleteRequest request) {
        requireType(request.type());
        change(entries -> entries.remove(request.id()));
    }

    private void change(java.util.function.Consumer<Map<String, String>> edit) {
        synchronized (lock) {
            Map<String, String> entries = load();
            Map<String, String> before = new TreeMap<>(entries);
            edit.accept(entries);
            if (!Objects.equals(before, entries)) {
                save(entries);
            }
        }
    }

    private Map<String, String> load() {
        Path path = store();
        try {
            if (!Files.exists(path)) {
                return new TreeMap<>();
            }
            Map<String, String> entries = new TreeMap<>();
            JSON.readTree(path.toFile()).fields().forEachRemaining(f -> entries.put(f.getKey(), f.getValue().asText()));
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the store " + path + ": " + e.getMessage(), e);
        }
    }

    private void save(Map<String, String> entries) {
        Path path = store();
        Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            JSON.writeValue(temporary.toFile(), Wire.toWire(new TreeMap<>(entries)));
            try {
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the store " + path + ": " + e.getMessage(), e);
        }
    }

    private Path store() {
        Path path = file;
        if (path == null) {
            throw new PluginError(PluginError.NOT_CONFIGURED, "call configure before any resource method", null);
        }
        return path;
    }

    private static void requireType(String type) {
        if (!ENTRY.equals(type)) {
            throw PluginError.invalidParams("unknown resource type '" + type + "'; this provider serves " + ENTRY, "type");
        }
    }
}

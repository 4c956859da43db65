package dev.infra.plugin;

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
import java.util.Map;

/**
 * A resource provider: the engine's {@code IResourceProvider} in Java. Calls arrive concurrently on a thread pool,
 * so implementations must be thread-safe. Create must be idempotent after a crash: adopt an object that exists
 * exactly as declared, throw {@link PluginError#conflict} for one that differs. Deleting something already gone
 * succeeds.
 */
public interface Provider {
    /** The package's resource types and config, as the JSON of {@code getSchema}. */
    Map<String, Object> getSchema();

    /** The stack's config, once per process before any resource call. */
    void configure(ConfigureRequest request);

    CheckResponse check(CheckRequest request);

    default DiffResponse diff(DiffRequest request) {
        return DiffResponse.fromInputs(request.oldInputs(), request.newInputs(), null);
    }

    CreateResponse create(CreateRequest request);

    ReadResponse read(ReadRequest request);

    UpdateResponse update(UpdateRequest request);

    void delete(DeleteRequest request);
}

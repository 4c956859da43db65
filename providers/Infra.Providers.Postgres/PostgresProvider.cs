using System.Collections.Immutable;
using Infra.Providers.Postgres.Catalog;
using Infra.Providers.Postgres.Connection;
using Infra.Providers.Postgres.Handlers;
using Npgsql;

namespace Infra.Providers.Postgres;

/// <summary>
/// Manages databases, roles, grants, revokes, schemas, extensions and default privileges on one PostgreSQL server,
/// through the admin connection in <c>postgres:connectionString</c>. One instance serves one operation on one
/// stack: it pools connections per database, batches refresh reads into one catalog query per kind, retries
/// transient connection failures with Polly, and closes its connections when the engine disposes it.
/// </summary>
public sealed class PostgresProvider : IResourceProvider, IDeleteCheck, IAsyncDisposable
{
    /// <summary>The package name.</summary>
    public const string PackageName = "postgres";

    private readonly ImmutableDictionary<string, ObjectHandler> _handlers;
    private readonly PostgresConnector _connector;
    private readonly string _endpoint;

    internal PostgresProvider(PostgresConnector connector, string? adminUser, string host, int port)
    {
        _connector = connector;
        _endpoint = $"{host}:{port}";
        Catalog = new CatalogCache(connector);
        var services = new ProviderServices(connector, Catalog, adminUser, host, port, new OpenDatabases(connector));
        ObjectHandler[] handlers =
        [
            new DatabaseHandler(services),
            new RoleHandler(services),
            new GrantHandler(services, revoke: false),
            new GrantHandler(services, revoke: true),
            new SchemaHandler(services),
            new ExtensionHandler(services),
            new DefaultPrivilegesHandler(services),
            new WalArchiveHandler(services),
        ];
        _handlers = handlers.ToImmutableDictionary(static h => h.Type, StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public string Package => PackageName;

    /// <summary>The catalog snapshots (for tests of the one-query-per-kind guarantee).</summary>
    internal CatalogCache Catalog { get; }

    /// <summary>The connector (for tests of retries).</summary>
    internal PostgresConnector Connector => _connector;

    /// <inheritdoc/>
    public async Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var handler = Handler(request.Urn, request.Type);
        var failures = ImmutableArray.CreateBuilder<CheckFailure>();
        var inputs = handler.Check(request.NewInputs, failures);
        var warnings = failures.Count == 0 ? await handler.WarningsAsync(inputs, cancellationToken).ConfigureAwait(false) : [];
        return new CheckResponse(inputs, failures.ToImmutable()) { Warnings = warnings };
    }

    /// <inheritdoc/>
    public Task<DiffResponse> DiffAsync(DiffRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var handler = Handler(request.Urn, request.Type);
        return Task.FromResult(DiffResponse.FromInputs(request.OldInputs, request.NewInputs, handler.ReplaceOnChange));
    }

    /// <inheritdoc/>
    public async Task<CreateResponse> CreateAsync(CreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var handler = Handler(request.Urn, request.Type);
        if (request.Preview)
        {
            var id = request.Inputs.IsFullyKnown ? handler.IdOf(request.Urn, request.Inputs) : string.Empty;
            return new CreateResponse(id, handler.Outputs(request.Inputs));
        }

        // The ID validates every name before any connection is opened.
        var objectId = handler.IdOf(request.Urn, request.Inputs);
        await GuardAsync(request.Urn, () => handler.CreateAsync(request.Urn, request.Inputs, cancellationToken)).ConfigureAwait(false);
        return new CreateResponse(objectId, handler.Outputs(request.Inputs));
    }

    /// <inheritdoc/>
    public async Task<ReadResponse> ReadAsync(ReadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var handler = Handler(request.Urn, request.Type);
        ReadResponse? response = null;
        await GuardAsync(request.Urn, async () => response = await handler.ReadAsync(request.Urn, request.Id, request.Inputs, cancellationToken).ConfigureAwait(false))
            .ConfigureAwait(false);
        return response!;
    }

    /// <inheritdoc/>
    public async Task<UpdateResponse> UpdateAsync(UpdateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var handler = Handler(request.Urn, request.Type);
        if (!request.Preview)
        {
            handler.IdOf(request.Urn, request.NewInputs);
            await GuardAsync(request.Urn, () => handler.UpdateAsync(request.Urn, request.OldInputs, request.NewInputs, cancellationToken)).ConfigureAwait(false);
        }

        return new UpdateResponse(handler.Outputs(request.NewInputs));
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(DeleteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var handler = Handler(request.Urn, request.Type);
        handler.IdOf(request.Urn, request.Inputs);
        await GuardAsync(request.Urn, () => handler.DeleteAsync(request.Urn, request.Inputs, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A role is blocked by what it owns or holds in a database the destroy neither drops nor deletes anything in (a
    /// copy restored outside state, objects granted to it by another tenant); a database by sessions, prepared
    /// transactions or replication that <c>DROP DATABASE … WITH (FORCE)</c> cannot end.
    /// </remarks>
    public async Task<string?> CheckDeleteAsync(DeleteCheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var handler = Handler(request.Urn, request.Type);
        string? blocker = null;
        await GuardAsync(request.Urn, async () => blocker = await handler.CheckDeleteAsync(request.Urn, request.Id, DeleteScope.Of(request.AlsoDeleted), cancellationToken)
            .ConfigureAwait(false)).ConfigureAwait(false);
        return blocker;
    }

    /// <summary>Closes every pooled connection.</summary>
    public ValueTask DisposeAsync() => _connector.DisposeAsync();

    private ObjectHandler Handler(string urn, string type) =>
        _handlers.TryGetValue(type, out var handler)
            ? handler
            : throw new ResourceException(urn, $"the postgres provider has no type '{type}' (known: {string.Join(", ", _handlers.Keys.Order(StringComparer.Ordinal))}).");

    /// <summary>Turns driver errors into one-line resource errors that name the server and the SQLSTATE.</summary>
    private async Task GuardAsync(string urn, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (PostgresException ex)
        {
            throw new ResourceException(urn, $"postgres at {_endpoint} refused: {ex.MessageText} (SQLSTATE {ex.SqlState}).", ex);
        }
        catch (NpgsqlException ex)
        {
            var attempts = _connector.MaxRetries + 1;
            throw new ResourceException(urn, $"cannot reach postgres at {_endpoint} (gave up after {attempts} attempt(s)): {Reasons(ex)}", ex);
        }
    }

    /// <summary>The message with its causes ("SSL handshake failed: the remote certificate was rejected ..."), on one line.</summary>
    private static string Reasons(Exception exception)
    {
        var messages = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var message = current.Message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
            if (message.Length > 0 && !messages.Contains(message))
            {
                messages.Add(message);
            }
        }

        return string.Join(": ", messages);
    }
}

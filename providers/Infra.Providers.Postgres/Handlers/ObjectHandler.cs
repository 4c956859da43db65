using System.Collections.Immutable;
using Infra.Providers.Postgres.Catalog;
using Infra.Providers.Postgres.Connection;
using Infra.Values;
using Npgsql;

namespace Infra.Providers.Postgres.Handlers;

/// <summary>What every handler shares within one provider instance.</summary>
/// <param name="Connector">Connections with retries.</param>
/// <param name="Catalog">Per-kind catalog snapshots for reads.</param>
/// <param name="AdminUser">The admin login, the default owner of what the provider creates.</param>
/// <param name="Host">The server's host, for outputs.</param>
/// <param name="Port">The server's port, for outputs.</param>
/// <param name="OpenDatabases">Which databases on the server every role may connect to.</param>
internal sealed record ProviderServices(PostgresConnector Connector, CatalogCache Catalog, string? AdminUser, string Host, int Port, OpenDatabases OpenDatabases);

/// <summary>
/// The lifecycle of one kind of postgres object. Create adopts an object that exists exactly as declared and
/// reports a conflict when it exists but differs; Read locates by ID, or by the declared name when a crash left
/// no ID; Delete of something already gone succeeds.
/// </summary>
internal abstract class ObjectHandler(ProviderServices services)
{
    protected ProviderServices Services { get; } = services;

    /// <summary>The type token served.</summary>
    public abstract string Type { get; }

    /// <summary>Inputs that cannot change in place.</summary>
    public abstract IReadOnlySet<string> ReplaceOnChange { get; }

    /// <summary>Validates names and values and fills defaults. Never touches the server.</summary>
    public abstract PropertyMap Check(PropertyMap inputs, ImmutableArray<CheckFailure>.Builder failures);

    /// <summary>
    /// Warnings about valid inputs that the server may not honour as meant; the one place Check looks at the server.
    /// None by default.
    /// </summary>
    public virtual Task<ImmutableArray<string>> WarningsAsync(PropertyMap inputs, CancellationToken cancellationToken) =>
        Task.FromResult(ImmutableArray<string>.Empty);

    /// <summary>The provider ID for checked inputs.</summary>
    public abstract string IdOf(string urn, PropertyMap inputs);

    /// <summary>The outputs of an object with these inputs.</summary>
    public virtual PropertyMap Outputs(PropertyMap inputs) => inputs;

    /// <summary>Creates the object, or adopts it when it exists exactly as declared.</summary>
    /// <exception cref="ResourceException">It exists but differs (a conflict); nothing was changed.</exception>
    public abstract Task CreateAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken);

    /// <summary>Reads the live object by ID, or by <paramref name="inputs"/> when <paramref name="id"/> is null.</summary>
    public abstract Task<ReadResponse> ReadAsync(string urn, string? id, PropertyMap? inputs, CancellationToken cancellationToken);

    /// <summary>Changes the object in place.</summary>
    public abstract Task UpdateAsync(string urn, PropertyMap olds, PropertyMap news, CancellationToken cancellationToken);

    /// <summary>Removes the object; gone already is fine.</summary>
    public abstract Task DeleteAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken);

    /// <summary>
    /// Why deleting the object would fail once everything else in <paramref name="scope"/> is gone, in one line; or
    /// <see langword="null"/> when nothing is known to block it (the default). Reads only.
    /// </summary>
    public virtual Task<string?> CheckDeleteAsync(string urn, string id, DeleteScope scope, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);

    protected PostgresConnector Connector => Services.Connector;

    protected CatalogCache Catalog => Services.Catalog;

    protected string AdminDatabase => Services.Connector.AdminDatabase;

    /// <summary>Checks a required name input, adding a failure when it is missing or invalid.</summary>
    protected static void RequireName(PropertyMap inputs, string key, string what, ImmutableArray<CheckFailure>.Builder failures, bool allowPublic = false)
    {
        if (inputs.IsUnknown(key))
        {
            return;
        }

        var value = inputs.Text(key);
        if (value is null)
        {
            failures.Add(new CheckFailure(key, $"is required: the {what} name."));
        }
        else if (!(allowPublic && string.Equals(value, Sql.Identifiers.Public, StringComparison.OrdinalIgnoreCase)) && Sql.Identifiers.Problem(what, value) is { } problem)
        {
            failures.Add(new CheckFailure(key, problem + "."));
        }
    }

    /// <summary>Checks an optional whole-number input with a lower bound, filling its default.</summary>
    protected static PropertyMap CheckInt(PropertyMap inputs, string key, int fallback, int minimum, ImmutableArray<CheckFailure>.Builder failures)
    {
        inputs = inputs.WithDefault(key, PropertyValue.Create(fallback));
        var value = inputs[key];
        if (value.IsFullyKnown && (!value.TryGetNumber(out var n) || n != Math.Floor(n) || n < minimum || n > int.MaxValue))
        {
            failures.Add(new CheckFailure(key, $"must be a whole number of at least {minimum}."));
        }

        return inputs;
    }

    /// <summary>Checks an optional boolean input, filling its default.</summary>
    protected static PropertyMap CheckBool(PropertyMap inputs, string key, bool fallback, ImmutableArray<CheckFailure>.Builder failures)
    {
        inputs = inputs.WithDefault(key, PropertyValue.Create(fallback));
        if (inputs[key].IsFullyKnown && !inputs[key].TryGetBool(out _))
        {
            failures.Add(new CheckFailure(key, "must be true or false."));
        }

        return inputs;
    }

    /// <summary>
    /// Creates a server-wide object (a role, a database) with <paramref name="createSql"/> on the admin database, or
    /// adopts it when <paramref name="query"/> finds it by name and <paramref name="differences"/> finds none, then
    /// runs <paramref name="adoptSql"/> (if any) to set what cannot be compared.
    /// </summary>
    /// <exception cref="ResourceException">It exists but differs; nothing was changed.</exception>
    protected async Task CreateOrAdoptAsync<TRow>(
        string urn, string what, string name, Func<NpgsqlConnection, string?, CancellationToken, Task<ImmutableDictionary<string, TRow>>> query,
        Func<TRow, IEnumerable<string>> differences, string createSql, CancellationToken cancellationToken, string? adoptSql = null)
    {
        await Connector.RunAsync(AdminDatabase, async (connection, token) =>
        {
            var existing = await query(connection, name, token).ConfigureAwait(false);
            if (existing.TryGetValue(name, out var row))
            {
                var found = differences(row).ToList();
                if (found.Count > 0)
                {
                    throw Conflict(urn, $"{what} '{name}'", found, name);
                }

                if (adoptSql is not null)
                {
                    await PostgresConnector.ExecuteAsync(connection, adoptSql, token).ConfigureAwait(false);
                }

                return true;
            }

            await PostgresConnector.ExecuteAsync(connection, createSql, token).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        Catalog.Clear();
    }

    /// <summary>Runs one statement on the admin database (server-wide changes), then forgets the catalog snapshots.</summary>
    protected async Task ExecuteOnAdminAsync(string sql, CancellationToken cancellationToken)
    {
        await Connector.RunAsync(AdminDatabase, async (connection, token) =>
        {
            await PostgresConnector.ExecuteAsync(connection, sql, token).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        Catalog.Clear();
    }

    /// <summary>A conflict: the object exists but differs from the declaration; nothing was changed.</summary>
    protected ResourceConflictException Conflict(string urn, string what, IEnumerable<string> differences, string importId) =>
        new(urn, $"{what} already exists and differs from the declaration ({string.Join("; ", differences)})", Type, importId);

    /// <summary>
    /// Runs a statement that removes something inside <paramref name="database"/>. When the database, a schema or a
    /// role it names is gone, what it would remove is gone too, so that counts as done.
    /// </summary>
    protected async Task DropAsync(string database, string sql, CancellationToken cancellationToken)
    {
        try
        {
            await Connector.RunInTransactionAsync(database, [sql], cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.UndefinedObject
                                                      or PostgresErrorCodes.InvalidSchemaName)
        {
            // Gone with its container.
        }

        Catalog.Clear();
    }

    /// <summary>Reads a <c>DATABASE/NAME</c> ID (schemas, extensions), validating both names.</summary>
    protected static (string Database, string Name) DatabaseObjectKey(string urn, string id, string what)
    {
        var parts = SplitId(id, 2) ?? throw new ResourceException(urn, $"'{id}' is not {what} ID; expected DATABASE/{what.Split(' ')[^1].ToUpperInvariant()}.");
        return (Sql.Identifiers.Require(urn, "database", parts[0]), Sql.Identifiers.Require(urn, what.Split(' ')[^1], parts[1]));
    }

    /// <summary>Splits an ID of the form <c>a/b/c</c> into exactly <paramref name="count"/> parts.</summary>
    protected static string[]? SplitId(string id, int count)
    {
        var parts = id.Split('/');
        return parts.Length == count && parts.All(static p => p.Length > 0) ? parts : null;
    }
}

using System.Collections.Immutable;
using Infra.Providers.Postgres.Catalog;
using Infra.Providers.Postgres.Connection;
using Infra.Providers.Postgres.Sql;
using Infra.Values;
using Npgsql;

namespace Infra.Providers.Postgres.Handlers;

/// <summary>
/// <c>postgres:index:Grant</c> and <c>postgres:index:Revoke</c>, both
/// <c>{ role, database, objectType: database|schema|table, schema?, objects?, privileges }</c>.
/// <list type="bullet">
/// <item><description>A grant manages the exact set of privileges the role holds on the objects: privileges it
/// lacks are granted, others revoked. <c>privileges: []</c> revokes everything. On create, privileges the role
/// holds beyond the declared set are a conflict unless they are PostgreSQL's defaults (the owner's, or PUBLIC's
/// CONNECT and TEMPORARY on a database), which nobody chose and a grant may narrow.</description></item>
/// <item><description>A revoke makes sure the role holds none of <c>privileges</c>; it reads as deleted (and the next
/// up revokes again) once any of them is granted back. Deleting a revoke grants nothing back.</description></item>
/// </list>
/// </summary>
internal sealed class GrantHandler(ProviderServices services, bool revoke) : ObjectHandler(services)
{
    private static readonly IReadOnlySet<string> s_replace = new HashSet<string>(StringComparer.Ordinal) { "role", "database", "objectType", "schema", "objects" };

    private static readonly string[] s_containedKeys = ["schema", "objects"];

    public override string Type => revoke ? PostgresTypes.Revoke : PostgresTypes.Grant;

    public override IReadOnlySet<string> ReplaceOnChange => s_replace;

    public override PropertyMap Check(PropertyMap inputs, ImmutableArray<CheckFailure>.Builder failures)
    {
        RequireName(inputs, "role", "role", failures, allowPublic: true);
        RequireName(inputs, "database", "database", failures);
        if (inputs.Text("role") is { } role && string.Equals(role, Identifiers.Public, StringComparison.OrdinalIgnoreCase))
        {
            inputs = inputs.SetItem("role", PropertyValue.Create(Identifiers.Public));
        }

        inputs = inputs.WithDefault("objectType", PropertyValue.Create(Privileges.Database));
        var objectType = inputs.Text("objectType")?.ToLowerInvariant();
        if (objectType is null || !Privileges.ObjectTypes.Contains(objectType))
        {
            if (!inputs.IsUnknown("objectType"))
            {
                failures.Add(new CheckFailure("objectType", $"must be one of {string.Join(", ", Privileges.ObjectTypes)}."));
            }

            return inputs;
        }

        inputs = inputs.SetItem("objectType", PropertyValue.Create(objectType));
        if (objectType == Privileges.Database)
        {
            foreach (var key in s_containedKeys.Where(k => inputs.ContainsKey(k) && !inputs[k].Unwrapped.IsNull))
            {
                failures.Add(new CheckFailure(key, "applies to schema and table grants only."));
            }
        }
        else
        {
            RequireName(inputs, "schema", "schema", failures);
        }

        if (objectType != Privileges.Table && inputs.ContainsKey("objects") && objectType != Privileges.Database)
        {
            failures.Add(new CheckFailure("objects", "applies to table grants only."));
        }

        foreach (var table in inputs.Strings("objects").Where(static t => Identifiers.Problem("table", t) is not null))
        {
            failures.Add(new CheckFailure("objects", Identifiers.Problem("table", table)! + "."));
        }

        if (inputs.ContainsKey("objects") && inputs.IsFullyKnown)
        {
            inputs = inputs.SetItem("objects", Inputs.List(inputs.Strings("objects").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)));
        }

        if (inputs.IsUnknown("privileges"))
        {
            return inputs;
        }

        if (inputs.GetValueOrDefault("privileges")?.Unwrapped.Kind != PropertyValueKind.Array)
        {
            failures.Add(new CheckFailure("privileges", $"is required: a list of {string.Join(", ", Privileges.All(objectType))} or ALL{(revoke ? string.Empty : "; [] revokes everything")}."));
            return inputs;
        }

        var privileges = Privileges.Normalize(objectType, inputs.Strings("privileges"), out var unknown);
        if (unknown is not null)
        {
            failures.Add(new CheckFailure("privileges", $"'{unknown}' is not a {objectType} privilege; use {string.Join(", ", Privileges.All(objectType))} or ALL."));
        }
        else if (revoke && privileges.IsEmpty)
        {
            failures.Add(new CheckFailure("privileges", "a revoke needs at least one privilege."));
        }

        return inputs.SetItem("privileges", Inputs.List(privileges));
    }

    public override string IdOf(string urn, PropertyMap inputs) => GrantKey.FromInputs(urn, inputs).Id;

    public override async Task CreateAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        var key = GrantKey.FromInputs(urn, inputs);
        var declared = Declared(urn, key, inputs);
        await Connector.RunAsync(key.ConnectionDatabase(AdminDatabase), async (connection, token) =>
        {
            var targets = key.Targets(await LoadAsync(key, connection, token).ConfigureAwait(false))
                ?? throw new ResourceException(urn, $"{key.Describe()} does not exist.");
            var statements = revoke ? RevokeStatements(key, targets, declared) : GrantStatements(urn, key, targets, declared);
            await PostgresConnector.RunInTransactionAsync(connection, statements, token).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        Catalog.Clear();
    }

    public override async Task<ReadResponse> ReadAsync(string urn, string? id, PropertyMap? inputs, CancellationToken cancellationToken)
    {
        if (id is null && inputs is null)
        {
            return ReadResponse.Indeterminate;
        }

        var key = inputs is not null ? GrantKey.FromInputs(urn, inputs) : GrantKey.FromId(urn, id!);
        if (key.Role != Identifiers.Public)
        {
            var roles = await Catalog.GetAsync(CatalogCache.Roles, AdminDatabase, CatalogQueries.RolesAsync, cancellationToken).ConfigureAwait(false);
            if (roles is null || !roles.ContainsKey(key.Role))
            {
                return ReadResponse.NotFound;
            }
        }

        var snapshot = await SnapshotAsync(key, cancellationToken).ConfigureAwait(false);
        if (key.Targets(snapshot) is not { } targets)
        {
            return ReadResponse.NotFound;
        }

        var held = targets.Select(t => t.Acl.PrivilegesOf(key.Role)).ToList();
        var withObjects = inputs?.ContainsKey("objects") ?? false;
        if (revoke)
        {
            var revoked = inputs is not null ? Declared(urn, key, inputs) : Privileges.All(key.ObjectType).Except(held.SelectMany(static h => h)).ToImmutableArray();
            if (revoked.IsEmpty || held.Any(h => h.Overlaps(revoked)))
            {
                return ReadResponse.NotFound;
            }

            var live = key.ToInputs(revoked, withObjects);
            return ReadResponse.Found(key.Id, live, live);
        }

        // What is granted on every object; with no objects at all, the grant holds vacuously.
        IEnumerable<string> privileges = held.Count == 0
            ? inputs is not null ? Declared(urn, key, inputs) : []
            : held.Skip(1).Aggregate((IEnumerable<string>)held[0], static (all, next) => all.Intersect(next, StringComparer.Ordinal));
        var found = key.ToInputs(privileges, withObjects);
        return ReadResponse.Found(key.Id, found, found);
    }

    public override async Task UpdateAsync(string urn, PropertyMap olds, PropertyMap news, CancellationToken cancellationToken)
    {
        var key = GrantKey.FromInputs(urn, news);
        var declared = Declared(urn, key, news);
        await Connector.RunAsync(key.ConnectionDatabase(AdminDatabase), async (connection, token) =>
        {
            var targets = key.Targets(await LoadAsync(key, connection, token).ConfigureAwait(false))
                ?? throw new ResourceException(urn, $"{key.Describe()} does not exist.");
            var on = string.Join(", ", targets.Select(static t => t.Sql));
            var statements = new List<string>();
            if (targets.Count > 0)
            {
                if (revoke)
                {
                    statements.Add($"REVOKE {string.Join(", ", declared)} ON {on} FROM {Identifiers.QuoteGrantee(key.Role)}");
                }
                else
                {
                    statements.Add($"REVOKE ALL ON {on} FROM {Identifiers.QuoteGrantee(key.Role)}");
                    if (!declared.IsEmpty)
                    {
                        statements.Add($"GRANT {string.Join(", ", declared)} ON {on} TO {Identifiers.QuoteGrantee(key.Role)}");
                    }
                }
            }

            await PostgresConnector.RunInTransactionAsync(connection, statements, token).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        Catalog.Clear();
    }

    public override async Task DeleteAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        if (revoke)
        {
            // Deleting a revoke does not hand the privileges back: widening access must be declared, as a grant.
            return;
        }

        var key = GrantKey.FromInputs(urn, inputs);
        var declared = Declared(urn, key, inputs);
        try
        {
            await Connector.RunAsync(key.ConnectionDatabase(AdminDatabase), async (connection, token) =>
            {
                var targets = key.Targets(await LoadAsync(key, connection, token).ConfigureAwait(false));
                if (targets is { Count: > 0 } && !declared.IsEmpty)
                {
                    var on = string.Join(", ", targets.Select(static t => t.Sql));
                    await PostgresConnector.RunInTransactionAsync(connection, [$"REVOKE {string.Join(", ", declared)} ON {on} FROM {Identifiers.QuoteGrantee(key.Role)}"], token).ConfigureAwait(false);
                }

                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.UndefinedObject)
        {
            // The database or the role is gone, and the grant with it.
        }

        Catalog.Clear();
    }

    private List<string> GrantStatements(string urn, GrantKey key, IReadOnlyList<(string Sql, AclObject Acl)> targets, ImmutableArray<string> declared)
    {
        var extras = new SortedSet<string>(StringComparer.Ordinal);
        var conflicts = new List<string>();
        var missing = false;
        foreach (var (sql, acl) in targets)
        {
            var held = acl.PrivilegesOf(key.Role);
            var extra = held.Except(declared).ToList();
            var chosen = extra.Except(Privileges.Defaults(key.ObjectType, key.Role, acl.Owner)).Order(StringComparer.Ordinal).ToList();
            if (chosen.Count > 0)
            {
                conflicts.Add($"{key.Role} also holds {string.Join(", ", chosen)} on {sql.ToLowerInvariant()}");
            }

            extras.UnionWith(extra);
            missing |= declared.Any(p => !held.Contains(p));
        }

        if (conflicts.Count > 0)
        {
            throw Conflict(urn, $"a grant to {key.Role} on {key.Describe()}", conflicts, key.Id);
        }

        var on = string.Join(", ", targets.Select(static t => t.Sql));
        var statements = new List<string>();
        if (targets.Count > 0 && extras.Count > 0)
        {
            statements.Add($"REVOKE {string.Join(", ", extras)} ON {on} FROM {Identifiers.QuoteGrantee(key.Role)}");
        }

        if (targets.Count > 0 && missing)
        {
            statements.Add($"GRANT {string.Join(", ", declared)} ON {on} TO {Identifiers.QuoteGrantee(key.Role)}");
        }

        return statements;
    }

    private static List<string> RevokeStatements(GrantKey key, IReadOnlyList<(string Sql, AclObject Acl)> targets, ImmutableArray<string> declared) =>
        targets.Any(t => t.Acl.PrivilegesOf(key.Role).Overlaps(declared))
            ? [$"REVOKE {string.Join(", ", declared)} ON {string.Join(", ", targets.Select(static t => t.Sql))} FROM {Identifiers.QuoteGrantee(key.Role)}"]
            : [];

    private static ImmutableArray<string> Declared(string urn, GrantKey key, PropertyMap inputs)
    {
        var privileges = Privileges.Normalize(key.ObjectType, inputs.Strings("privileges"), out var unknown);
        return unknown is null ? privileges : throw new ResourceException(urn, $"'{unknown}' is not a {key.ObjectType} privilege.");
    }

    private static async Task<object?> LoadAsync(GrantKey key, NpgsqlConnection connection, CancellationToken cancellationToken) => key.ObjectType switch
    {
        Privileges.Database => await CatalogQueries.DatabasesAsync(connection, key.Database, cancellationToken).ConfigureAwait(false),
        Privileges.Schema => await CatalogQueries.SchemasAsync(connection, key.Schema, cancellationToken).ConfigureAwait(false),
        _ => await CatalogQueries.TablesAsync(connection, cancellationToken).ConfigureAwait(false),
    };

    private async Task<object?> SnapshotAsync(GrantKey key, CancellationToken cancellationToken) => key.ObjectType switch
    {
        Privileges.Database => await Catalog.GetAsync(key.CatalogKind, AdminDatabase, CatalogQueries.DatabasesAsync, cancellationToken).ConfigureAwait(false),
        Privileges.Schema => await Catalog.GetAsync(key.CatalogKind, key.Database, CatalogQueries.SchemasAsync, cancellationToken).ConfigureAwait(false),
        _ => await Catalog.GetAsync(key.CatalogKind, key.Database, CatalogQueries.TablesAsync, cancellationToken).ConfigureAwait(false),
    };
}

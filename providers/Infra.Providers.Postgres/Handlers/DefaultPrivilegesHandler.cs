using System.Collections.Immutable;
using Infra.Providers.Postgres.Catalog;
using Infra.Providers.Postgres.Connection;
using Infra.Providers.Postgres.Sql;
using Infra.Values;

namespace Infra.Providers.Postgres.Handlers;

/// <summary>
/// <c>postgres:index:DefaultPrivileges</c> <c>{ role, database, owner, schema?, objectType: table|sequence|function|type|schema, privileges }</c>:
/// what <c>role</c> gets on objects <c>owner</c> creates later (in <c>schema</c>, or anywhere). ID =
/// <c>DATABASE/OWNER/SCHEMA-or-*/OBJECTTYPE/ROLE</c>. Like a grant it manages the exact set; an entry with no privileges
/// reads as absent.
/// </summary>
internal sealed class DefaultPrivilegesHandler(ProviderServices services) : ObjectHandler(services)
{
    private static readonly IReadOnlySet<string> s_replace = new HashSet<string>(StringComparer.Ordinal) { "role", "database", "owner", "schema", "objectType" };

    private static readonly ImmutableDictionary<string, (string Letter, string Keyword, ImmutableArray<string> Privileges)> s_types =
        new Dictionary<string, (string, string, ImmutableArray<string>)>
        {
            ["table"] = ("r", "TABLES", Privileges.All(Privileges.Table)),
            ["sequence"] = ("S", "SEQUENCES", ["SELECT", "UPDATE", "USAGE"]),
            ["function"] = ("f", "FUNCTIONS", ["EXECUTE"]),
            ["type"] = ("T", "TYPES", ["USAGE"]),
            ["schema"] = ("n", "SCHEMAS", ["CREATE", "USAGE"]),
        }.ToImmutableDictionary(StringComparer.Ordinal);

    public override string Type => PostgresTypes.DefaultPrivileges;

    public override IReadOnlySet<string> ReplaceOnChange => s_replace;

    public override PropertyMap Check(PropertyMap inputs, ImmutableArray<CheckFailure>.Builder failures)
    {
        RequireName(inputs, "role", "role", failures, allowPublic: true);
        RequireName(inputs, "database", "database", failures);
        RequireName(inputs, "owner", "role", failures);
        if (inputs.Text("role") is { } role && string.Equals(role, Identifiers.Public, StringComparison.OrdinalIgnoreCase))
        {
            inputs = inputs.SetItem("role", PropertyValue.Create(Identifiers.Public));
        }

        if (inputs.Text("schema") is not null)
        {
            RequireName(inputs, "schema", "schema", failures);
        }

        var objectType = inputs.Text("objectType")?.ToLowerInvariant();
        if (objectType is null || !s_types.TryGetValue(objectType, out var type))
        {
            if (!inputs.IsUnknown("objectType"))
            {
                failures.Add(new CheckFailure("objectType", $"must be one of {string.Join(", ", s_types.Keys.Order(StringComparer.Ordinal))}."));
            }

            return inputs;
        }

        inputs = inputs.SetItem("objectType", PropertyValue.Create(objectType));
        if (objectType == "schema" && inputs.Text("schema") is not null)
        {
            failures.Add(new CheckFailure("schema", "default privileges on schemas cannot be limited to a schema."));
        }

        if (inputs.IsUnknown("privileges"))
        {
            return inputs;
        }

        var privileges = Privileges.Normalize(type.Privileges, inputs.Strings("privileges"), out var unknown);
        if (unknown is not null)
        {
            failures.Add(new CheckFailure("privileges", $"'{unknown}' is not a {objectType} privilege; use {string.Join(", ", type.Privileges)} or ALL."));
        }
        else if (privileges.IsEmpty)
        {
            failures.Add(new CheckFailure("privileges", "needs at least one privilege; delete the resource to grant none."));
        }

        return inputs.SetItem("privileges", Inputs.List(privileges));
    }

    public override string IdOf(string urn, PropertyMap inputs) => Key.FromInputs(urn, inputs).Id;

    public override async Task CreateAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        var key = Key.FromInputs(urn, inputs);
        var declared = Declared(urn, key, inputs);
        await Connector.RunAsync(key.Database, async (connection, token) =>
        {
            var entries = await CatalogQueries.DefaultPrivilegesAsync(connection, token).ConfigureAwait(false);
            var held = Held(entries, key);
            var extra = held.Except(declared).Order(StringComparer.Ordinal).ToList();
            if (extra.Count > 0)
            {
                throw Conflict(urn, $"default privileges for {key.Role} on {key.ObjectType} objects of {key.Owner}", [$"it also holds {string.Join(", ", extra)}"],
                    key.Id);
            }

            if (declared.Any(p => !held.Contains(p)))
            {
                await PostgresConnector.ExecuteAsync(connection, key.Statement($"GRANT {string.Join(", ", declared)}", "TO"), token).ConfigureAwait(false);
            }

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

        var key = inputs is not null ? Key.FromInputs(urn, inputs) : Key.FromId(urn, id!);
        var entries = await Catalog.GetAsync(CatalogCache.DefaultPrivileges, key.Database, CatalogQueries.DefaultPrivilegesAsync, cancellationToken).ConfigureAwait(false);
        var held = entries is null ? [] : Held(entries, key);
        if (held.IsEmpty)
        {
            return ReadResponse.NotFound;
        }

        var live = key.ToInputs(held);
        return ReadResponse.Found(key.Id, live, live);
    }

    public override async Task UpdateAsync(string urn, PropertyMap olds, PropertyMap news, CancellationToken cancellationToken)
    {
        var key = Key.FromInputs(urn, news);
        var declared = Declared(urn, key, news);
        await Connector.RunInTransactionAsync(key.Database,
            [key.Statement("REVOKE ALL", "FROM"), key.Statement($"GRANT {string.Join(", ", declared)}", "TO")], cancellationToken).ConfigureAwait(false);
        Catalog.Clear();
    }

    public override async Task DeleteAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        var key = Key.FromInputs(urn, inputs);
        await DropAsync(key.Database, key.Statement("REVOKE ALL", "FROM"), cancellationToken).ConfigureAwait(false);
    }

    private static ImmutableHashSet<string> Held(ImmutableDictionary<DefaultAclKey, ImmutableDictionary<string, ImmutableHashSet<string>>> entries, Key key) =>
        entries.TryGetValue(new DefaultAclKey(key.Owner, key.Schema ?? string.Empty, s_types[key.ObjectType].Letter), out var grants) &&
        grants.TryGetValue(key.Role, out var held)
            ? held
            : [];

    private static ImmutableArray<string> Declared(string urn, Key key, PropertyMap inputs)
    {
        var privileges = Privileges.Normalize(s_types[key.ObjectType].Privileges, inputs.Strings("privileges"), out var unknown);
        return unknown is null ? privileges : throw new ResourceException(urn, $"'{unknown}' is not a {key.ObjectType} privilege.");
    }

    private sealed record Key(string Role, string Database, string Owner, string? Schema, string ObjectType)
    {
        public string Id => $"{Database}/{Owner}/{Schema ?? "*"}/{ObjectType}/{Role}";

        public string Statement(string action, string preposition) =>
            $"ALTER DEFAULT PRIVILEGES FOR ROLE {Identifiers.Quote(Owner)}" +
            (Schema is null ? string.Empty : $" IN SCHEMA {Identifiers.Quote(Schema)}") +
            $" {action} ON {s_types[ObjectType].Keyword} {preposition} {Identifiers.QuoteGrantee(Role)}";

        public PropertyMap ToInputs(IEnumerable<string> privileges)
        {
            var map = PropertyMap.Empty
                .SetItem("role", PropertyValue.Create(Role))
                .SetItem("database", PropertyValue.Create(Database))
                .SetItem("owner", PropertyValue.Create(Owner))
                .SetItem("objectType", PropertyValue.Create(ObjectType))
                .SetItem("privileges", Inputs.List(privileges.Order(StringComparer.Ordinal)));
            return Schema is null ? map : map.SetItem("schema", PropertyValue.Create(Schema));
        }

        public static Key FromInputs(string urn, PropertyMap inputs)
        {
            var objectType = inputs.Text("objectType") ?? string.Empty;
            if (!s_types.ContainsKey(objectType))
            {
                throw new ResourceException(urn, $"objectType '{objectType}' is not one of {string.Join(", ", s_types.Keys.Order(StringComparer.Ordinal))}.");
            }

            return new Key(
                Identifiers.RequireGrantee(urn, inputs.Text("role")),
                Identifiers.Require(urn, "database", inputs.Text("database")),
                Identifiers.Require(urn, "role", inputs.Text("owner")),
                inputs.Text("schema") is { } schema ? Identifiers.Require(urn, "schema", schema) : null,
                objectType);
        }

        public static Key FromId(string urn, string id)
        {
            var parts = SplitId(id, 5);
            if (parts is null || !s_types.ContainsKey(parts[3]))
            {
                throw new ResourceException(urn, $"'{id}' is not a default-privileges ID; expected DATABASE/OWNER/SCHEMA-or-*/OBJECTTYPE/ROLE.");
            }

            return new Key(
                Identifiers.RequireGrantee(urn, parts[4]),
                Identifiers.Require(urn, "database", parts[0]),
                Identifiers.Require(urn, "role", parts[1]),
                parts[2] == "*" ? null : Identifiers.Require(urn, "schema", parts[2]),
                parts[3]);
        }
    }
}

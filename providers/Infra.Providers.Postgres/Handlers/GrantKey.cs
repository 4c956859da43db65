using System.Collections.Immutable;
using Infra.Providers.Postgres.Catalog;
using Infra.Providers.Postgres.Sql;
using Infra.Values;

namespace Infra.Providers.Postgres.Handlers;

/// <summary>What a grant or revoke applies to: a role (or PUBLIC), and a database, a schema, or tables in a schema.</summary>
internal sealed record GrantKey(string Role, string Database, string ObjectType, string? Schema, ImmutableArray<string> Objects)
{
    /// <summary>
    /// The ID: <c>DATABASE/database/ROLE</c>, or <c>DATABASE/schema/SCHEMA/ROLE</c> and <c>DATABASE/table/SCHEMA/ROLE</c>.
    /// Table lists are not part of it: one grant per role and schema.
    /// </summary>
    public string Id => ObjectType == Privileges.Database ? $"{Database}/{ObjectType}/{Role}" : $"{Database}/{ObjectType}/{Schema}/{Role}";

    /// <summary>The database whose connection the SQL runs on: database-level grants run on the admin database.</summary>
    public string ConnectionDatabase(string adminDatabase) => ObjectType == Privileges.Database ? adminDatabase : Database;

    /// <summary>How people read it in messages.</summary>
    public string Describe() => ObjectType switch
    {
        Privileges.Database => $"database '{Database}'",
        Privileges.Schema => $"schema '{Schema}' in database '{Database}'",
        _ => Objects.IsDefaultOrEmpty ? $"the tables of schema '{Schema}' in database '{Database}'" : $"tables {string.Join(", ", Objects)} of schema '{Schema}' in database '{Database}'",
    };

    /// <summary>The catalog kind whose snapshot holds the targets.</summary>
    public string CatalogKind => ObjectType switch
    {
        Privileges.Database => CatalogCache.Databases,
        Privileges.Schema => CatalogCache.Schemas,
        _ => CatalogCache.Tables,
    };

    /// <summary>Reads the key from checked inputs, validating every name (so nothing unvalidated reaches SQL).</summary>
    public static GrantKey FromInputs(string urn, PropertyMap inputs)
    {
        var objectType = inputs.Text("objectType") ?? Privileges.Database;
        if (!Privileges.ObjectTypes.Contains(objectType))
        {
            throw new ResourceException(urn, $"objectType '{objectType}' is not one of {string.Join(", ", Privileges.ObjectTypes)}.");
        }

        var schema = objectType == Privileges.Database ? null : Identifiers.Require(urn, "schema", inputs.Text("schema"));
        var objects = objectType == Privileges.Table
            ? inputs.Strings("objects").Select(o => Identifiers.Require(urn, "table", o)).Order(StringComparer.Ordinal).ToImmutableArray()
            : [];
        return new GrantKey(Identifiers.RequireGrantee(urn, inputs.Text("role")), Identifiers.Require(urn, "database", inputs.Text("database")), objectType, schema, objects);
    }

    /// <summary>Reads the key from an ID (for import and refresh).</summary>
    public static GrantKey FromId(string urn, string id)
    {
        var parts = id.Split('/');
        var valid = parts.Length switch
        {
            3 => parts[1] == Privileges.Database,
            4 => parts[1] is Privileges.Schema or Privileges.Table,
            _ => false,
        };
        if (!valid)
        {
            throw new ResourceException(urn, $"'{id}' is not a grant ID; expected DATABASE/database/ROLE, DATABASE/schema/SCHEMA/ROLE or DATABASE/table/SCHEMA/ROLE.");
        }

        var database = Identifiers.Require(urn, "database", parts[0]);
        var role = Identifiers.RequireGrantee(urn, parts[^1]);
        return parts.Length == 3
            ? new GrantKey(role, database, Privileges.Database, null, [])
            : new GrantKey(role, database, parts[1], Identifiers.Require(urn, "schema", parts[2]), []);
    }

    /// <summary>
    /// The objects the grant covers, with their access lists, from a catalog snapshot of <see cref="CatalogKind"/>;
    /// <see langword="null"/> when the database, schema or a listed table does not exist. "All tables" skips tables the
    /// role owns: an owner's rights on its own tables are not a grant's business.
    /// </summary>
    public IReadOnlyList<(string Sql, AclObject Acl)>? Targets(object? snapshot)
    {
        switch (snapshot)
        {
            case null:
                return null;
            case ImmutableDictionary<string, DatabaseRow> databases:
                return databases.TryGetValue(Database, out var database) ? [($"DATABASE {Identifiers.Quote(Database)}", database.Acl)] : null;
            case ImmutableDictionary<string, AclObject> schemas:
                return schemas.TryGetValue(Schema!, out var schema) ? [($"SCHEMA {Identifiers.Quote(Schema!)}", schema)] : null;
            case ImmutableDictionary<(string Schema, string Table), AclObject> tables:
                if (Objects.IsDefaultOrEmpty)
                {
                    return [.. tables.Where(t => t.Key.Schema == Schema && t.Value.Owner != Role)
                        .OrderBy(static t => t.Key.Table, StringComparer.Ordinal)
                        .Select(t => ($"TABLE {Identifiers.Quote(Schema!)}.{Identifiers.Quote(t.Key.Table)}", t.Value))];
                }

                var listed = new List<(string, AclObject)>();
                foreach (var table in Objects)
                {
                    if (!tables.TryGetValue((Schema!, table), out var acl))
                    {
                        return null;
                    }

                    listed.Add(($"TABLE {Identifiers.Quote(Schema!)}.{Identifiers.Quote(table)}", acl));
                }

                return listed;
            default:
                throw new InvalidOperationException($"unexpected catalog snapshot {snapshot.GetType().Name}");
        }
    }

    /// <summary>The inputs that describe this key with <paramref name="privileges"/>, shaped as Check shapes them.</summary>
    public PropertyMap ToInputs(IEnumerable<string> privileges, bool withObjects)
    {
        var map = PropertyMap.Empty
            .SetItem("role", PropertyValue.Create(Role))
            .SetItem("database", PropertyValue.Create(Database))
            .SetItem("objectType", PropertyValue.Create(ObjectType))
            .SetItem("privileges", Inputs.List(privileges.Order(StringComparer.Ordinal)));
        if (Schema is not null)
        {
            map = map.SetItem("schema", PropertyValue.Create(Schema));
        }

        return withObjects ? map.SetItem("objects", Inputs.List(Objects)) : map;
    }
}

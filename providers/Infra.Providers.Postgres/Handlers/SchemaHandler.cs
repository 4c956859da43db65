using System.Collections.Immutable;
using Infra.Providers.Postgres.Catalog;
using Infra.Providers.Postgres.Connection;
using Infra.Providers.Postgres.Sql;
using Infra.Values;

namespace Infra.Providers.Postgres.Handlers;

/// <summary>
/// <c>postgres:index:Schema</c> <c>{ name, database, owner, dropCascade }</c>, ID = <c>database/name</c>. Delete
/// refuses to drop a schema that still holds objects unless <c>dropCascade</c> is true.
/// </summary>
internal sealed class SchemaHandler(ProviderServices services) : ObjectHandler(services)
{
    private static readonly IReadOnlySet<string> s_replace = new HashSet<string>(StringComparer.Ordinal) { "name", "database" };

    public override string Type => PostgresTypes.Schema;

    public override IReadOnlySet<string> ReplaceOnChange => s_replace;

    public override PropertyMap Check(PropertyMap inputs, ImmutableArray<CheckFailure>.Builder failures)
    {
        RequireName(inputs, "name", "schema", failures);
        RequireName(inputs, "database", "database", failures);
        if (Services.AdminUser is { } admin)
        {
            inputs = inputs.WithDefault("owner", PropertyValue.Create(admin));
        }

        RequireName(inputs, "owner", "role", failures);
        return CheckBool(inputs, "dropCascade", false, failures);
    }

    public override string IdOf(string urn, PropertyMap inputs) =>
        $"{Identifiers.Require(urn, "database", inputs.Text("database"))}/{Identifiers.Require(urn, "schema", inputs.Text("name"))}";

    public override async Task CreateAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        var (database, name) = Key(urn, IdOf(urn, inputs));
        var owner = Identifiers.Require(urn, "role", inputs.Text("owner"));
        await Connector.RunAsync(database, async (connection, token) =>
        {
            var schemas = await CatalogQueries.SchemasAsync(connection, name, token).ConfigureAwait(false);
            if (schemas.TryGetValue(name, out var existing))
            {
                return existing.Owner == owner
                    ? true
                    : throw Conflict(urn, $"schema '{name}' in database '{database}'", [$"owner is '{existing.Owner}', declared '{owner}'"],
                        $"{database}/{name}");
            }

            await PostgresConnector.ExecuteAsync(connection, $"CREATE SCHEMA {Identifiers.Quote(name)} AUTHORIZATION {Identifiers.Quote(owner)}", token).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        Catalog.Clear();
    }

    public override async Task<ReadResponse> ReadAsync(string urn, string? id, PropertyMap? inputs, CancellationToken cancellationToken)
    {
        if (id is null && (inputs?.Text("database") is null || inputs.Text("name") is null))
        {
            return ReadResponse.Indeterminate;
        }

        var (database, name) = Key(urn, id ?? IdOf(urn, inputs!));
        var schemas = await Catalog.GetAsync(CatalogCache.Schemas, database, CatalogQueries.SchemasAsync, cancellationToken).ConfigureAwait(false);
        if (schemas is null || !schemas.TryGetValue(name, out var schema))
        {
            return ReadResponse.NotFound;
        }

        var live = PropertyMap.Empty
            .SetItem("name", PropertyValue.Create(name))
            .SetItem("database", PropertyValue.Create(database))
            .SetItem("owner", PropertyValue.Create(schema.Owner))
            .SetItem("dropCascade", PropertyValue.Create(inputs?.Bool("dropCascade", false) ?? false));
        return ReadResponse.Found($"{database}/{name}", live, live);
    }

    public override async Task UpdateAsync(string urn, PropertyMap olds, PropertyMap news, CancellationToken cancellationToken)
    {
        var (database, name) = Key(urn, IdOf(urn, news));
        if (olds.Text("owner") != news.Text("owner"))
        {
            var owner = Identifiers.Require(urn, "role", news.Text("owner"));
            await Connector.RunInTransactionAsync(database, [$"ALTER SCHEMA {Identifiers.Quote(name)} OWNER TO {Identifiers.Quote(owner)}"], cancellationToken)
                .ConfigureAwait(false);
        }

        Catalog.Clear();
    }

    public override async Task DeleteAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        var (database, name) = Key(urn, IdOf(urn, inputs));
        var cascade = inputs.Bool("dropCascade", false) ? " CASCADE" : string.Empty;
        await DropAsync(database, $"DROP SCHEMA IF EXISTS {Identifiers.Quote(name)}{cascade}", cancellationToken).ConfigureAwait(false);
    }

    private static (string Database, string Name) Key(string urn, string id) => DatabaseObjectKey(urn, id, "a schema");
}

using System.Collections.Immutable;
using Infra.Providers.Postgres.Catalog;
using Infra.Providers.Postgres.Connection;
using Infra.Providers.Postgres.Sql;
using Infra.Values;

namespace Infra.Providers.Postgres.Handlers;

/// <summary>
/// <c>postgres:index:Extension</c> <c>{ name, database, schema?, version? }</c>, ID = <c>database/name</c>. Without a
/// declared version or schema, whatever the server installs is accepted (and not reported as drift). Without a
/// declared schema, an extension whose control file names none goes to <c>public</c>, as in a session with the
/// default search path; never to a schema found through a search path someone else set.
/// </summary>
internal sealed class ExtensionHandler(ProviderServices services) : ObjectHandler(services)
{
    private static readonly IReadOnlySet<string> s_replace = new HashSet<string>(StringComparer.Ordinal) { "name", "database" };

    public override string Type => PostgresTypes.Extension;

    public override IReadOnlySet<string> ReplaceOnChange => s_replace;

    public override PropertyMap Check(PropertyMap inputs, ImmutableArray<CheckFailure>.Builder failures)
    {
        RequireName(inputs, "name", "extension", failures);
        RequireName(inputs, "database", "database", failures);
        if (inputs.Text("schema") is not null)
        {
            RequireName(inputs, "schema", "schema", failures);
        }

        if (inputs.Text("version") is { } version && !Identifiers.IsPlainWord(version))
        {
            failures.Add(new CheckFailure("version", $"'{version}' is not a version such as 1.6."));
        }

        return inputs;
    }

    public override string IdOf(string urn, PropertyMap inputs) =>
        $"{Identifiers.Require(urn, "database", inputs.Text("database"))}/{Identifiers.Require(urn, "extension", inputs.Text("name"))}";

    public override async Task CreateAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        var (database, name) = Key(urn, IdOf(urn, inputs));
        var schema = inputs.Text("schema") is { } s ? Identifiers.Require(urn, "schema", s) : null;
        var version = inputs.Text("version");
        if (version is not null && !Identifiers.IsPlainWord(version))
        {
            throw new ResourceException(urn, $"'{version}' is not a version such as 1.6.");
        }

        await Connector.RunAsync(database, async (connection, token) =>
        {
            var extensions = await CatalogQueries.ExtensionsAsync(connection, token).ConfigureAwait(false);
            if (extensions.TryGetValue(name, out var existing))
            {
                var differences = new List<string>();
                if (schema is not null && existing.Schema != schema)
                {
                    differences.Add($"it is in schema '{existing.Schema}', declared '{schema}'");
                }

                if (version is not null && existing.Version != version)
                {
                    differences.Add($"version is {existing.Version}, declared {version}");
                }

                return differences.Count == 0
                    ? true
                    : throw Conflict(urn, $"extension '{name}' in database '{database}'", differences, $"{database}/{name}");
            }

            var sql = $"CREATE EXTENSION {Identifiers.Quote(name)}" +
                      (schema is null ? string.Empty : $" SCHEMA {Identifiers.Quote(schema)}") +
                      (version is null ? string.Empty : $" VERSION {Identifiers.Literal(version)}");
            // The session's pinned search path starts with pg_catalog, which CREATE EXTENSION would take for the schema
            // to install into; an extension whose control file names no schema goes to public instead.
            await PostgresConnector.RunInTransactionAsync(connection, [$"SET LOCAL search_path = public, {PostgresConnector.PinnedSearchPath}", sql], token)
                .ConfigureAwait(false);
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
        var extensions = await Catalog.GetAsync(CatalogCache.Extensions, database, CatalogQueries.ExtensionsAsync, cancellationToken).ConfigureAwait(false);
        if (extensions is null || !extensions.TryGetValue(name, out var extension))
        {
            return ReadResponse.NotFound;
        }

        var live = PropertyMap.Empty.SetItem("name", PropertyValue.Create(name)).SetItem("database", PropertyValue.Create(database));
        if (inputs is null || inputs.Text("schema") is not null)
        {
            live = live.SetItem("schema", PropertyValue.Create(extension.Schema));
        }

        if (inputs?.Text("version") is not null)
        {
            live = live.SetItem("version", PropertyValue.Create(extension.Version));
        }

        return ReadResponse.Found($"{database}/{name}", live, live);
    }

    public override async Task UpdateAsync(string urn, PropertyMap olds, PropertyMap news, CancellationToken cancellationToken)
    {
        var (database, name) = Key(urn, IdOf(urn, news));
        var statements = new List<string>();
        if (news.Text("version") is { } version && version != olds.Text("version"))
        {
            statements.Add($"ALTER EXTENSION {Identifiers.Quote(name)} UPDATE TO {Identifiers.Literal(version)}");
        }

        if (news.Text("schema") is { } schema && schema != olds.Text("schema"))
        {
            statements.Add($"ALTER EXTENSION {Identifiers.Quote(name)} SET SCHEMA {Identifiers.Quote(Identifiers.Require(urn, "schema", schema))}");
        }

        if (statements.Count > 0)
        {
            await Connector.RunInTransactionAsync(database, statements, cancellationToken).ConfigureAwait(false);
        }

        Catalog.Clear();
    }

    public override async Task DeleteAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        var (database, name) = Key(urn, IdOf(urn, inputs));
        await DropAsync(database, $"DROP EXTENSION IF EXISTS {Identifiers.Quote(name)}", cancellationToken).ConfigureAwait(false);
    }

    private static (string Database, string Name) Key(string urn, string id) => DatabaseObjectKey(urn, id, "an extension");
}

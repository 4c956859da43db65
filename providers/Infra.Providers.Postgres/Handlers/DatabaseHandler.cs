using System.Collections.Immutable;
using Infra.Providers.Postgres.Catalog;
using Infra.Providers.Postgres.Connection;
using Infra.Providers.Postgres.Sql;
using Infra.Values;

namespace Infra.Providers.Postgres.Handlers;

/// <summary>
/// <c>postgres:index:Database</c> <c>{ name, owner, encoding, template, connectionLimit }</c>, ID = name; outputs
/// add the server's <c>host</c> and <c>port</c>. Name, encoding and template changes replace the database (its
/// data goes with it: protect production databases). Delete is <c>DROP DATABASE … WITH (FORCE)</c>. An owner change is
/// made in place and keeps the former owner's CONNECT and TEMPORARY, so an application logged in as the former owner
/// is not cut off (PostgreSQL would hand them to the new owner); CREATE goes with ownership. Create adopts an existing
/// database only if it is owned as declared and nobody but its owner holds anything on it beyond PUBLIC's defaults.
/// </summary>
internal sealed class DatabaseHandler(ProviderServices services) : ObjectHandler(services)
{
    private static readonly IReadOnlySet<string> s_replace = new HashSet<string>(StringComparer.Ordinal) { "name", "encoding", "template" };

    /// <summary>What a session needs, kept by the former owner across an owner change.</summary>
    private static readonly string[] s_keptByFormerOwner = ["CONNECT", "TEMPORARY"];

    public override string Type => PostgresTypes.Database;

    public override IReadOnlySet<string> ReplaceOnChange => s_replace;

    public override PropertyMap Check(PropertyMap inputs, ImmutableArray<CheckFailure>.Builder failures)
    {
        RequireName(inputs, "name", "database", failures);
        if (Services.AdminUser is { } admin)
        {
            inputs = inputs.WithDefault("owner", PropertyValue.Create(admin));
        }

        RequireName(inputs, "owner", "role", failures);
        inputs = inputs.WithDefault("encoding", PropertyValue.Create("UTF8"));
        if (!inputs.IsUnknown("encoding") && !Identifiers.IsPlainWord(inputs.Text("encoding")))
        {
            failures.Add(new CheckFailure("encoding", "must be an encoding name such as UTF8."));
        }
        else if (inputs.Text("encoding") is { } encoding)
        {
            inputs = inputs.SetItem("encoding", PropertyValue.Create(encoding.ToUpperInvariant()));
        }

        if (inputs.ContainsKey("template") && !inputs["template"].Unwrapped.IsNull)
        {
            RequireName(inputs, "template", "template database", failures);
        }

        return CheckInt(inputs, "connectionLimit", -1, -1, failures);
    }

    /// <summary>
    /// Warns while other databases on the server are open to every role: the declared database's login roles can
    /// connect to them (<c>postgres</c> and <c>template1</c> are, on a server as initdb leaves it).
    /// </summary>
    public override async Task<ImmutableArray<string>> WarningsAsync(PropertyMap inputs, CancellationToken cancellationToken) =>
        inputs.Text("name") is { } name && await Services.OpenDatabases.WarningAsync(name).ConfigureAwait(false) is { } warning ? [warning] : [];

    public override string IdOf(string urn, PropertyMap inputs) => Identifiers.Require(urn, "database", inputs.Text("name"));

    public override PropertyMap Outputs(PropertyMap inputs) =>
        inputs.SetItem("host", PropertyValue.Create(Services.Host)).SetItem("port", PropertyValue.Create(Services.Port));

    public override async Task CreateAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        var name = IdOf(urn, inputs);
        var owner = Identifiers.Require(urn, "role", inputs.Text("owner"));
        var encoding = inputs.Text("encoding")!;
        var template = inputs.Text("template") is { } t ? Identifiers.Require(urn, "template database", t) : null;
        var sql = $"CREATE DATABASE {Identifiers.Quote(name)} OWNER {Identifiers.Quote(owner)} ENCODING {Identifiers.Literal(encoding)}" +
                  (template is null ? string.Empty : $" TEMPLATE {Identifiers.Quote(template)}") +
                  $" CONNECTION LIMIT {inputs.Int("connectionLimit", -1)}";
        await CreateOrAdoptAsync(urn, "database", name, CatalogQueries.DatabasesAsync, existing => Differences(existing, inputs), sql, cancellationToken)
            .ConfigureAwait(false);
    }

    public override async Task<ReadResponse> ReadAsync(string urn, string? id, PropertyMap? inputs, CancellationToken cancellationToken)
    {
        var name = id ?? inputs?.Text("name");
        if (name is null)
        {
            return ReadResponse.Indeterminate;
        }

        Identifiers.Require(urn, "database", name);
        var databases = await Catalog.GetAsync(CatalogCache.Databases, AdminDatabase, CatalogQueries.DatabasesAsync, cancellationToken).ConfigureAwait(false);
        if (databases is null || !databases.TryGetValue(name, out var database))
        {
            return ReadResponse.NotFound;
        }

        var live = PropertyMap.Empty
            .SetItem("name", PropertyValue.Create(name))
            .SetItem("owner", PropertyValue.Create(database.Acl.Owner))
            .SetItem("encoding", PropertyValue.Create(database.Encoding))
            .SetItem("connectionLimit", PropertyValue.Create(database.ConnectionLimit));
        if (inputs?.GetValueOrDefault("template") is { } template)
        {
            // The template a database was copied from is not recorded anywhere; keep what was declared.
            live = live.SetItem("template", template);
        }

        return ReadResponse.Found(name, live, Outputs(live));
    }

    public override async Task UpdateAsync(string urn, PropertyMap olds, PropertyMap news, CancellationToken cancellationToken)
    {
        var name = IdOf(urn, news);
        var owner = Identifiers.Require(urn, "role", news.Text("owner"));
        var limit = news.Int("connectionLimit", -1);
        await Connector.RunAsync(AdminDatabase, async (connection, token) =>
        {
            var statements = new List<string>();
            if (olds.Text("owner") != owner &&
                (await CatalogQueries.DatabasesAsync(connection, name, token).ConfigureAwait(false)).TryGetValue(name, out var live) && live.Acl.Owner != owner)
            {
                statements.Add($"ALTER DATABASE {Identifiers.Quote(name)} OWNER TO {Identifiers.Quote(owner)}");
                var kept = live.Acl.PrivilegesOf(live.Acl.Owner).Intersect(s_keptByFormerOwner).Order(StringComparer.Ordinal).ToList();
                if (kept.Count > 0)
                {
                    statements.Add($"GRANT {string.Join(", ", kept)} ON DATABASE {Identifiers.Quote(name)} TO {Identifiers.Quote(live.Acl.Owner)}");
                }
            }

            if (olds.Int("connectionLimit", -1) != limit)
            {
                statements.Add($"ALTER DATABASE {Identifiers.Quote(name)} CONNECTION LIMIT {limit}");
            }

            await PostgresConnector.RunInTransactionAsync(connection, statements, token).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        Catalog.Clear();
    }

    public override async Task DeleteAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        var name = IdOf(urn, inputs);
        Connector.ClearPool(name);
        await ExecuteOnAdminAsync($"DROP DATABASE IF EXISTS {Identifiers.Quote(name)} WITH (FORCE)", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Blocked by what <c>DROP DATABASE … WITH (FORCE)</c> cannot end (<see cref="DatabaseBlockers"/>).</summary>
    public override async Task<string?> CheckDeleteAsync(string urn, string id, DeleteScope scope, CancellationToken cancellationToken)
    {
        var blockers = await Connector.RunAsync(AdminDatabase, (connection, token) => DatabaseBlockers.ReadAsync(connection, id, token), cancellationToken)
            .ConfigureAwait(false);
        return blockers.Count == 0
            ? null
            : $"database '{id}' is in use in ways dropping it cannot end: {string.Join(", ", blockers)}; end them first";
    }

    private static IEnumerable<string> Differences(DatabaseRow database, PropertyMap inputs)
    {
        if (database.Acl.Owner != inputs.Text("owner"))
        {
            yield return $"owner is '{database.Acl.Owner}', declared '{inputs.Text("owner")}'";
        }

        if (!string.Equals(database.Encoding, inputs.Text("encoding"), StringComparison.OrdinalIgnoreCase))
        {
            yield return $"encoding is {database.Encoding}, declared {inputs.Text("encoding")}";
        }

        if (database.ConnectionLimit != inputs.Int("connectionLimit", -1))
        {
            yield return $"connection limit is {database.ConnectionLimit}, declared {inputs.Int("connectionLimit", -1)}";
        }

        // Reachable as a fresh CREATE DATABASE leaves it: by its owner, and by PUBLIC's defaults that the stack's revoke
        // narrows. Anyone else granted something on it was chosen by someone, perhaps to keep a way in.
        foreach (var (grantee, held) in database.Acl.Grants.OrderBy(static g => g.Key, StringComparer.Ordinal))
        {
            var chosen = held.Except(Privileges.Defaults(Privileges.Database, grantee, database.Acl.Owner)).Order(StringComparer.Ordinal).ToList();
            if (chosen.Count > 0)
            {
                yield return $"{(grantee == Identifiers.Public ? "PUBLIC" : $"role '{grantee}'")} holds {string.Join(", ", chosen)} on it";
            }
        }
    }
}

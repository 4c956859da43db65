using System.Collections.Immutable;
using System.Globalization;
using Infra.Providers.Postgres.Archive;
using Infra.Providers.Postgres.Connection;
using Infra.Providers.Postgres.Sql;
using Infra.Values;
using Npgsql;

namespace Infra.Providers.Postgres.Handlers;

/// <summary>
/// <c>postgres:index:WalArchive</c> <c>{ stanza, repository, retainFull }</c>, ID = the stanza: point-in-time recovery of
/// the whole server with pgBackRest and a repository on this machine. Create writes the stanza's config into the
/// repository, points the server's <c>archive_command</c> at it (<c>ALTER SYSTEM</c>, then a reload), creates the
/// stanza, checks that a WAL segment reaches the repository and takes the first full backup. It refuses, changing
/// nothing, a server whose <c>archive_mode</c> is off (turning it on takes a restart, which the platform does not do
/// behind an operator's back) or whose data directory is not on this machine. Delete resets <c>archive_command</c>;
/// the repository and its backups stay.
/// </summary>
internal sealed class WalArchiveHandler(ProviderServices services) : ObjectHandler(services)
{
    private static readonly IReadOnlySet<string> s_replace = new HashSet<string>(StringComparer.Ordinal) { "stanza", "repository" };

    public override string Type => PostgresTypes.WalArchive;

    public override IReadOnlySet<string> ReplaceOnChange => s_replace;

    public override PropertyMap Check(PropertyMap inputs, ImmutableArray<CheckFailure>.Builder failures)
    {
        if (!inputs.IsUnknown("stanza") && !PgBackRestStanza.IsStanzaName(inputs.Text("stanza")))
        {
            failures.Add(new CheckFailure("stanza", "is required: 1 to 63 letters, digits, '-' and '_'."));
        }

        if (!inputs.IsUnknown("repository") && (inputs.Text("repository") is not { } repository || !Path.IsPathFullyQualified(repository)))
        {
            failures.Add(new CheckFailure("repository", "is required: an absolute folder on the server's machine."));
        }

        return CheckInt(inputs, "retainFull", 2, 1, failures);
    }

    public override string IdOf(string urn, PropertyMap inputs) =>
        PgBackRestStanza.IsStanzaName(inputs.Text("stanza")) ? inputs.Text("stanza")! : throw new ResourceException(urn, "'stanza' must be 1 to 63 letters, digits, '-' and '_'.");

    public override PropertyMap Outputs(PropertyMap inputs) =>
        inputs.Text("repository") is { } repository
            ? inputs.SetItem("configPath", PropertyValue.Create(Path.Combine(repository, PgBackRestStanza.ConfigFileName)))
            : inputs;

    public override async Task CreateAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        var server = await ReadServerAsync(urn, cancellationToken).ConfigureAwait(false);
        var stanza = new PgBackRestStanza(inputs.Text("repository")!, IdOf(urn, inputs), server.Account);
        await ServerAccount.RunAsync(server.Account, "mkdir", ["-p", "-m", "0750", stanza.Repository, Path.Combine(stanza.Repository, "log"), Path.Combine(stanza.Repository, "lock")], cancellationToken).ConfigureAwait(false);
        var config = stanza.ConfigText(server.DataDirectory, server.SocketDirectory, server.Port, Services.AdminUser ?? "postgres", inputs.Int("retainFull", 2));
        await ServerAccount.RunAsync(server.Account, "sh", ["-c", "umask 027 && cat > \"$0\"", stanza.ConfigPath], config, cancellationToken).ConfigureAwait(false);
        await ExecuteOnAdminAsync($"ALTER SYSTEM SET archive_command = {Identifiers.Literal(stanza.ArchiveCommand)}", cancellationToken).ConfigureAwait(false);
        await ExecuteOnAdminAsync("SELECT pg_catalog.pg_reload_conf()", cancellationToken).ConfigureAwait(false);
        await stanza.RunAsync("stanza-create", [], cancellationToken).ConfigureAwait(false);
        // check switches to a new WAL segment and waits until the archive holds it: archiving works end to end.
        await stanza.RunAsync("check", [], cancellationToken).ConfigureAwait(false);
        await stanza.RunAsync("backup", ["--type=full"], cancellationToken).ConfigureAwait(false);
    }

    public override async Task<ReadResponse> ReadAsync(string urn, string? id, PropertyMap? inputs, CancellationToken cancellationToken)
    {
        var stanza = id ?? inputs?.Text("stanza");
        if (stanza is null)
        {
            return ReadResponse.Indeterminate;
        }

        var command = await Connector.RunAsync(AdminDatabase, static (connection, token) => ShowAsync(connection, "archive_command", token), cancellationToken)
            .ConfigureAwait(false);
        var repository = ConfigOf(command) is { } configPath ? Path.GetDirectoryName(configPath) : null;
        if (repository is null || !command.Contains($"--stanza={stanza} ", StringComparison.Ordinal))
        {
            return ReadResponse.NotFound;
        }

        var live = (inputs ?? PropertyMap.Empty)
            .SetItem("stanza", PropertyValue.Create(stanza))
            .SetItem("repository", PropertyValue.Create(repository));
        live = live.WithDefault("retainFull", PropertyValue.Create(2));
        return ReadResponse.Found(stanza, live, Outputs(live));
    }

    public override Task UpdateAsync(string urn, PropertyMap olds, PropertyMap news, CancellationToken cancellationToken) =>
        CreateAsync(urn, news, cancellationToken);

    public override async Task DeleteAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        await ExecuteOnAdminAsync("ALTER SYSTEM RESET archive_command", cancellationToken).ConfigureAwait(false);
        await ExecuteOnAdminAsync("SELECT pg_catalog.pg_reload_conf()", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The config path in an <c>archive_command</c> this handler wrote, or <see langword="null"/>.</summary>
    private static string? ConfigOf(string command)
    {
        const string Option = "--config=";
        var start = command.IndexOf(Option, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var end = command.IndexOf(' ', start);
        return end < 0 ? null : command[(start + Option.Length)..end];
    }

    private async Task<ServerFacts> ReadServerAsync(string urn, CancellationToken cancellationToken)
    {
        var endpoint = $"{Services.Host}:{Services.Port}";
        var facts = await Connector.RunAsync(AdminDatabase, async (connection, token) =>
        {
            if (!PostgresConnector.IsSuperuser(connection))
            {
                throw new ResourceException(urn, $"the admin login of postgres at {endpoint} is not a superuser; WAL archiving is a server setting only a superuser may change.");
            }

            var mode = await ShowAsync(connection, "archive_mode", token).ConfigureAwait(false);
            var data = await ShowAsync(connection, "data_directory", token).ConfigureAwait(false);
            var sockets = await ShowAsync(connection, "unix_socket_directories", token).ConfigureAwait(false);
            var port = int.Parse(await ShowAsync(connection, "port", token).ConfigureAwait(false), CultureInfo.InvariantCulture);
            return (mode, data, sockets.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(), port);
        }, cancellationToken).ConfigureAwait(false);

        if (facts.mode is not ("on" or "always"))
        {
            throw new ResourceException(urn,
                $"archive_mode is {facts.mode} on postgres at {endpoint}; set archive_mode = on in its postgresql.conf and restart it (the setting takes a restart), then run up again. Nothing was changed.");
        }

        if (!Directory.Exists(facts.data) || facts.Item3 is null)
        {
            throw new ResourceException(urn,
                $"the data directory of postgres at {endpoint} ('{facts.data}') is not on this machine or has no Unix socket; pgBackRest with a local repository runs beside the server. Nothing was changed.");
        }

        return new ServerFacts(facts.data, facts.Item3, facts.port, await ServerAccount.OwnerOfAsync(facts.data, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<string> ShowAsync(NpgsqlConnection connection, string setting, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand("SELECT pg_catalog.current_setting($1)", connection) { Parameters = { new() { Value = setting } } };
        await using (command.ConfigureAwait(false))
        {
            return (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    private sealed record ServerFacts(string DataDirectory, string SocketDirectory, int Port, string Account);
}

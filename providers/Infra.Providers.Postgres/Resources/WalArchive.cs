namespace Infra.Providers.Postgres;

/// <summary>Args for <see cref="WalArchive"/>.</summary>
public sealed record WalArchiveArgs
{
    /// <summary>The pgBackRest stanza's name, e.g. <c>tenants</c>.</summary>
    public required Input<string> Stanza { get; init; }

    /// <summary>The repository folder on the server's machine (absolute); it holds the config, backups, WAL and logs.</summary>
    public required Input<string> Repository { get; init; }

    /// <summary>How many full backups the repository keeps; 2 when unset.</summary>
    public Input<int>? RetainFull { get; init; }
}

/// <summary>
/// Point-in-time recovery of the whole server with pgBackRest and a local repository (<c>postgres:index:WalArchive</c>):
/// WAL archiving into a stanza, and its first full backup. The server must run with <c>archive_mode = on</c>.
/// </summary>
public sealed class WalArchive : CustomResource
{
    /// <summary>Declares the archive.</summary>
    public WalArchive(string name, WalArchiveArgs args, CustomResourceOptions? options = null)
        : base(PostgresTypes.WalArchive, name, args, options)
    {
    }

    /// <summary>The stanza's config file, <c>&lt;repository&gt;/pgbackrest.conf</c>.</summary>
    public Output<string> ConfigPath => GetOutput<string>("configPath");
}

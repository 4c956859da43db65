using System.Globalization;
using System.Text;

namespace Infra.Providers.Postgres.Archive;

/// <summary>
/// A pgBackRest stanza with a local repository: its configuration file (<c>pgbackrest.conf</c> in the repository
/// folder, which also holds the logs and locks), the stanza's name and the account that runs it (the data directory's
/// owner). The one owner of how pgBackRest is invoked: the WAL archive resource writes and uses it, the server drill
/// restores from it.
/// </summary>
/// <param name="Repository">The repository folder (absolute).</param>
/// <param name="Stanza">The stanza's name.</param>
/// <param name="Account">The account that owns the server's data directory.</param>
public sealed record PgBackRestStanza(string Repository, string Stanza, string Account)
{
    /// <summary>The config file's name inside the repository.</summary>
    public const string ConfigFileName = "pgbackrest.conf";

    /// <summary>Where Debian's package installs the command.</summary>
    public const string DefaultExecutable = "/usr/bin/pgbackrest";

    /// <summary>The config file.</summary>
    public string ConfigPath => Path.Combine(Repository, ConfigFileName);

    /// <summary>The pgBackRest command: Debian's, else the one on <c>PATH</c>.</summary>
    /// <exception cref="InfraException">It is not installed.</exception>
    public static string Executable()
    {
        if (File.Exists(DefaultExecutable))
        {
            return DefaultExecutable;
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(static d => Path.Combine(d, "pgbackrest")).FirstOrDefault(File.Exists);
        return onPath ?? throw new InfraException("pgbackrest is not installed; install Debian's 'pgbackrest' package (scripts/install.sh does).");
    }

    /// <summary>The <c>archive_command</c> that pushes each WAL segment into this stanza.</summary>
    public string ArchiveCommand => $"{Executable()} --config={ConfigPath} --stanza={Stanza} archive-push %p";

    /// <summary>The config file for a server with data in <paramref name="dataDirectory"/>, reached on its socket.</summary>
    /// <param name="dataDirectory">The server's data directory.</param>
    /// <param name="socketDirectory">Its Unix socket folder.</param>
    /// <param name="port">Its port.</param>
    /// <param name="user">The admin role pgBackRest logs in as (over the socket).</param>
    /// <param name="retainFull">How many full backups the repository keeps.</param>
    public string ConfigText(string dataDirectory, string socketDirectory, int port, string user, int retainFull)
    {
        var text = new StringBuilder();
        text.AppendLine("# Written by the platform stack (postgres:index:WalArchive); changes are overwritten on the next up.");
        text.AppendLine("[global]");
        text.AppendLine(CultureInfo.InvariantCulture, $"repo1-path={Path.Combine(Repository, "repo")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"repo1-retention-full={retainFull}");
        text.AppendLine(CultureInfo.InvariantCulture, $"log-path={Path.Combine(Repository, "log")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"lock-path={Path.Combine(Repository, "lock")}");
        text.AppendLine("log-level-console=warn");
        text.AppendLine("log-level-file=info");
        // A backup starts with an immediate checkpoint instead of waiting for the next scheduled one.
        text.AppendLine("start-fast=y");
        // lz4 compresses and decompresses several times faster than gzip (the default) for somewhat bigger files, and
        // two processes copy files in parallel: a backup and a restore are limited by the CPU, not by the disk.
        text.AppendLine("compress-type=lz4");
        text.AppendLine("process-max=2");
        // archive-async stays off: on a loaded machine its background process once failed to take the archive lock,
        // and archive-push then waited out its 60 s timeout (docs/benchmarks.md).
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"[{Stanza}]");
        text.AppendLine(CultureInfo.InvariantCulture, $"pg1-path={dataDirectory}");
        text.AppendLine(CultureInfo.InvariantCulture, $"pg1-port={port}");
        text.AppendLine(CultureInfo.InvariantCulture, $"pg1-socket-path={socketDirectory}");
        text.AppendLine(CultureInfo.InvariantCulture, $"pg1-user={user}");
        return text.ToString();
    }

    /// <summary>Runs <c>pgbackrest <paramref name="command"/></c> on this stanza as <see cref="Account"/>.</summary>
    /// <exception cref="InfraException">pgBackRest failed; the message is its first error line.</exception>
    public Task<string> RunAsync(string command, IEnumerable<string> options, CancellationToken cancellationToken) =>
        ServerAccount.RunAsync(Account, Executable(), [$"--config={ConfigPath}", $"--stanza={Stanza}", .. options, command], cancellationToken);

    /// <summary>True when <paramref name="text"/> is a stanza name: letters, digits, '-' and '_'.</summary>
    public static bool IsStanzaName(string? text) =>
        text is { Length: > 0 and <= 63 } && text.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

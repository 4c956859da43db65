using System.Net;
using System.Net.Sockets;
using Infra.Automation;
using Infra.Backups.Drills;
using Infra.Hosting;
using Infra.Providers.Postgres;
using Infra.Providers.Postgres.Archive;
using Spectre.Console;

namespace Infra.Cli.Commands.Dr;

/// <summary>
/// <c>infra dr drill</c> (without <c>--tenants</c>): a point-in-time restore of the whole tenants' server from the
/// platform stack's pgBackRest stanza (<c>platform:pitrRepository</c>), checked against every tenant stack whose
/// database lives on that server. One line per tenant and a summary; exit 0 when every tenant database exists in the
/// copy with the rows it had at the target time.
/// </summary>
internal static class ServerDrillRun
{
    public static async Task<int> RunAsync(Workspace workspace, DrDrillSettings settings, CancellationToken cancellationToken)
    {
        var (platform, stanza) = await ArchiveAsync(workspace, settings.Stack, cancellationToken).ConfigureAwait(false);
        var config = platform.GetConfig();
        var admin = PostgresNames.ParseConnectionString(config.RevealSecret("postgres:connectionString")
            ?? throw new MissingConfigException(config.Settings.Path, "postgres:connectionString", "is not set", platform.Name, secret: true, valueHint: "admin connection"));
        var server = $"{PostgresNames.HostOf(admin)}:{admin.Port}";

        var tenants = new List<ServerDrillTenant>();
        var progress = new Tenant.FleetProgress();
        var entries = await TenantFleet.ListAsync(workspace, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var prefix = Tenant.FleetProgress.Prefix(i, entries.Count, entry.Stack);
            if ((entry.Skipped ?? entry.Error) is { } note)
            {
                progress.Skip(prefix, note + ".");
            }
            else if ($"{entry.Target!.Host}:{entry.Target.Admin.Port}" != server)
            {
                progress.Skip(prefix, $"its database is on {entry.Target.Host}:{entry.Target.Admin.Port}, not on the archived server {server}.");
            }
            else
            {
                var stack = await workspace.SelectStackAsync(entry.Stack, cancellationToken).ConfigureAwait(false);
                tenants.Add(new ServerDrillTenant(entry.Stack, entry.Target.Database, await TenantFleet.TenantLoginAsync(stack, entry.Target, cancellationToken).ConfigureAwait(false)));
            }
        }

        var port = settings.Port ?? FreePort();
        CliConsole.Out.MarkupLine(Markup.Escape($"Restoring {server} from stanza '{stanza.Stanza}' ({stanza.Repository}) to now, on 127.0.0.1:{port}..."));
        var result = await ServerDrill.RunAsync(stanza, admin, tenants, port, settings.Scratch ?? Path.GetTempPath(), cancellationToken).ConfigureAwait(false);
        var target = result.Target.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        var phases = result.Phases;
        CliConsole.Out.MarkupLine(Markup.Escape(
            $"Restored to {target} in {result.RestoreTime.TotalSeconds:0.00} s (files {phases.RestoreFiles.TotalSeconds:0.00} s, start and WAL replay " +
            $"{phases.Recovery.TotalSeconds:0.00} s); tenants read live in {phases.ReadLive.TotalSeconds:0.00} s and in the copy in " +
            $"{phases.Compare.TotalSeconds:0.00} s; the copy is stopped and deleted."));
        foreach (var tenant in result.Tenants)
        {
            var prefix = Markup.Escape($"{tenant.Tenant.Stack}:");
            if (tenant.Matches)
            {
                progress.Ok(prefix, "ok", Markup.Escape($": {tenant.Tenant.Database} has {tenant.Tables} table(s), {tenant.Rows:N0} row(s), as live at the target time."));
            }
            else
            {
                progress.Fail(prefix, tenant.Exists ? "differs" : "missing", Markup.Escape($": {string.Join("; ", tenant.Differences)}."));
            }
        }

        CliConsole.Out.MarkupLine(
            $"Point-in-time drill of {Markup.Escape(server)}: {progress.Done} tenant database(s) ok, {progress.Failed} failed or differing, {progress.Skipped} stack(s) skipped; RTO {result.RestoreTime.TotalSeconds:0.00} s.");
        return progress.Failed > 0
            ? throw new InfraException($"{progress.Failed} tenant database(s) are missing or differ in the restored server; see the lines above.")
            : ExitCodes.Success;
    }

    /// <summary>The platform stack whose state holds a WAL archive (the one named, or the only one), and its stanza.</summary>
    private static async Task<(WorkspaceStack Stack, PgBackRestStanza Stanza)> ArchiveAsync(Workspace workspace, string? named, CancellationToken cancellationToken)
    {
        var found = new List<(WorkspaceStack, PgBackRestStanza)>();
        foreach (var summary in await workspace.ListStacksAsync(cancellationToken).ConfigureAwait(false))
        {
            if (named is not null && summary.Name != named)
            {
                continue;
            }

            var stack = await workspace.SelectStackAsync(summary.Name, cancellationToken).ConfigureAwait(false);
            var snapshot = await stack.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
            var archive = snapshot.Resources.FirstOrDefault(static r => r.Type == PostgresTypes.WalArchive && !r.PendingDelete);
            if (archive?.Outputs.GetString("repository") is { } repository && archive.Outputs.GetString("stanza") is { } name)
            {
                var account = await ServerAccount.OwnerOfAsync(repository, cancellationToken).ConfigureAwait(false);
                found.Add((stack, new PgBackRestStanza(repository, name, account)));
            }
        }

        return found.Count switch
        {
            1 => found[0],
            0 when named is not null => throw new InfraException(
                $"stack {ErrorText.Quote(named)} has no point-in-time recovery: set config 'platform:pitrRepository' on it and run 'infra up' (see docs/admin/runbooks/dr.md)."),
            0 => throw new InfraException(
                "no stack has point-in-time recovery: set config 'platform:pitrRepository' on the platform stack and run 'infra up', or drill tenant backups with --tenants."),
            _ => throw new InfraException(
                $"{found.Count} stacks archive WAL ({string.Join(", ", found.Select(static f => f.Item1.Name))}); name one with -s."),
        };
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

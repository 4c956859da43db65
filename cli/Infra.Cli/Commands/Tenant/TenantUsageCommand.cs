using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Infra.Hosting;
using Infra.Observability.Reports;
using Infra.Observability.Usage;
using Infra.Providers.Postgres;
using Infra.Stacks.Kinds.Tenant;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands.Tenant;

internal sealed class TenantUsageSettings : JsonSettings
{
    [CommandOption("--all")]
    [Description("Every tenant stack of the project (default: --stack or the selected stack).")]
    public bool All { get; set; }

    public override ValidationResult Validate() =>
        All && Stack is not null ? ValidationResult.Error("tenant usage: pass --all or --stack, not both.") : base.Validate();
}

/// <summary>Each tenant's database size and connections, read live from PostgreSQL, against its plan.</summary>
internal sealed class TenantUsageCommand : AsyncCommand<TenantUsageSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TenantUsageSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var names = settings.All
            ? [.. (await workspace.ListStacksAsync(cancellationToken).ConfigureAwait(false)).Select(static s => s.Name)]
            : new[] { (await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false)).Name };
        var tenants = new List<(string Stack, string Tenant, string Plan, string Admin)>();
        foreach (var name in names)
        {
            var stack = await workspace.SelectStackAsync(name, cancellationToken).ConfigureAwait(false);
            var config = stack.GetConfig();
            if (config.Get(StackKinds.KindKey) != "tenant")
            {
                if (!settings.All)
                {
                    throw new InfraException($"stack '{stack.Name}' is not a tenant stack ({StackKinds.KindKey} is '{config.Get(StackKinds.KindKey)}'); pass a tenant stack or --all.");
                }

                continue;
            }

            tenants.Add((stack.Name, config.Get("tenant:id") ?? stack.Name, config.Get("tenant:plan") ?? string.Empty,
                config.RevealSecret("postgres:connectionString")
                    ?? throw new MissingConfigException(config.Settings.Path, "postgres:connectionString", stack: stack.Name, secret: true, valueHint: "admin connection")));
        }

        var plans = TenantStack.PlanQuotas(workspace.Project.StackSettingsPath("any")).Select(static p => new PlanLimits(p.Plan, p.DatabaseSizeBytes, p.ConnectionLimit)).ToList();
        var rows = new List<(string Stack, TenantUsageRow Row)>();
        // One query per server: tenants on the same server share the admin connection.
        foreach (var server in tenants.GroupBy(static t => t.Admin, StringComparer.Ordinal))
        {
            var reader = new TenantUsage(PostgresNames.ParseConnectionString(server.Key).ConnectionString);
            var read = await reader.ReadAsync(plans, [.. server.Select(static t => new TenantAssignment(t.Tenant, t.Plan))], cancellationToken).ConfigureAwait(false);
            rows.AddRange(read.Select(row => (server.First(t => t.Tenant == row.TenantId).Stack, row)));
        }

        rows.Sort(static (a, b) => string.CompareOrdinal(a.Row.TenantId, b.Row.TenantId));
        if (settings.Json)
        {
            CliConsole.StdOut.WriteLine(JsonSerializer.Serialize(rows.Select(static r => new
            {
                tenant = r.Row.TenantId,
                stack = r.Stack,
                plan = r.Row.Plan?.Plan,
                database = r.Row.Database,
                sizeBytes = r.Row.SizeBytes,
                sizeLimitBytes = r.Row.Plan?.DatabaseSizeBytes,
                sizeRatio = r.Row.SizeRatio,
                connections = r.Row.Connections,
                connectionLimit = r.Row.Plan?.Connections,
                connectionRatio = r.Row.ConnectionRatio,
                status = r.Row.Status,
            }), CliJson.Options));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("TENANT", "PLAN", "DATABASE SIZE", "CONNECTIONS", "STATUS");
        foreach (var (_, row) in rows)
        {
            table.AddRow(
                Markup.Escape(row.TenantId),
                Markup.Escape(row.Plan?.Plan ?? "-"),
                Markup.Escape(Of(Megabytes(row.SizeBytes), row.Plan is { } p ? Megabytes(p.DatabaseSizeBytes) : null, row.SizeRatio)),
                Markup.Escape(Of(row.Connections.ToString(CultureInfo.InvariantCulture), row.Plan?.Connections.ToString(CultureInfo.InvariantCulture), row.ConnectionRatio)),
                row.Status switch { "over" => "[red]over[/]", "warning" => "[yellow]warning[/]", var status => Markup.Escape(status) });
        }

        CliConsole.Out.Write(table);
        if (rows.Count < tenants.Count)
        {
            CliConsole.Error.MarkupLine($"[yellow]{tenants.Count - rows.Count} tenant(s) have no database yet; run 'infra up' on their stacks.[/]");
        }

        return ExitCodes.Success;
    }

    private static string Megabytes(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    private static string Of(string used, string? limit, double? ratio) =>
        limit is null ? used : $"{used} of {limit} ({(ratio ?? 0).ToString("0%", CultureInfo.InvariantCulture)})";
}

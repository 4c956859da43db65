using System.ComponentModel;
using System.Globalization;
using Infra.Observability.Reports;
using Infra.Observability.Slo;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands.Sla;

internal sealed class SlaReportSettings : CommandSettings
{
    /// <summary>Where Prometheus is when neither --prometheus nor the environment says.</summary>
    public const string DefaultPrometheus = "http://127.0.0.1:9090";

    /// <summary>The environment variable naming Prometheus's URL.</summary>
    public const string PrometheusVariable = "INFRA_PROMETHEUS_URL";

    [CommandOption("--month <YYYY-MM>")]
    [Description("The calendar month (UTC) to report on, e.g. 2026-10.")]
    public string Month { get; set; } = string.Empty;

    [CommandOption("--tenant <ID>")]
    [Description("Only this tenant (and only the per-tenant SLOs).")]
    public string? Tenant { get; set; }

    [CommandOption("--format <FORMAT>")]
    [Description("md (default), html (with the chart embedded) or json.")]
    public string Format { get; set; } = "md";

    [CommandOption("--prometheus <URL>")]
    [Description($"Prometheus's base URL (default: ${PrometheusVariable}, else {DefaultPrometheus}).")]
    public string? Prometheus { get; set; }

    public (int Year, int Month) ParsedMonth =>
        DateTime.TryParseExact(Month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) ? (month.Year, month.Month) : default;

    public Uri PrometheusUrl => new(Prometheus ?? Environment.GetEnvironmentVariable(PrometheusVariable) ?? DefaultPrometheus);

    public override ValidationResult Validate()
    {
        if (ParsedMonth == default)
        {
            return ValidationResult.Error($"--month must be a month like 2026-10, got '{Month}'.");
        }

        if (Format is not ("md" or "html" or "json"))
        {
            return ValidationResult.Error($"--format must be md, html or json, got '{Format}'.");
        }

        return Uri.TryCreate(Prometheus ?? Environment.GetEnvironmentVariable(PrometheusVariable) ?? DefaultPrometheus, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? ValidationResult.Success()
            : ValidationResult.Error($"--prometheus must be an http(s) URL, got '{Prometheus}'.");
    }
}

/// <summary>The month's SLA report per SLO and tenant, from a real Prometheus over its HTTP API.</summary>
internal sealed class SlaReportCommand : AsyncCommand<SlaReportSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SlaReportSettings settings, CancellationToken cancellationToken)
    {
        var (year, month) = settings.ParsedMonth;
        var (start, end) = SlaReport.Month(year, month);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        SlaReportData report;
        try
        {
            report = await new SlaReport(new PrometheusClient(settings.PrometheusUrl, http))
                .CreateAsync(PlatformSlos.All, start, end, settings.Tenant, cancellationToken).ConfigureAwait(false);
        }
        catch (PrometheusException ex)
        {
            throw new InfraException($"Prometheus at {settings.PrometheusUrl}: {ex.Message.TrimEnd('.')}; pass --prometheus URL or set {SlaReportSettings.PrometheusVariable}.", ex);
        }

        if (settings.Tenant is { } tenant && report.Entries.All(entry => entry.Tenant != tenant))
        {
            CliConsole.Error.MarkupLine($"[yellow]Prometheus has no samples for tenant '{Markup.Escape(tenant)}' in {settings.Month}.[/]");
        }

        await CliConsole.StdOut.WriteAsync(settings.Format switch
        {
            "html" => SlaReportRenderer.Html(report),
            "json" => SlaReportRenderer.Json(report),
            _ => SlaReportRenderer.Markdown(report),
        }).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}

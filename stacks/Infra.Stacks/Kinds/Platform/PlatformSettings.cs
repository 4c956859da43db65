using Infra.Configuration;
using Infra.Stacks.Kinds.Tenant;

namespace Infra.Stacks.Kinds.Platform;

/// <summary>
/// Everything the platform stack reads, checked before anything is declared. Only <c>kubernetes:*</c> and
/// <c>postgres:connectionString</c> need setting; the rest has defaults:
/// <list type="table">
/// <item><term><c>platform:operatorsWebhook</c></term><description>Where Alertmanager sends every alert; default
/// the in-cluster receiver <see cref="DefaultOperatorsWebhook"/>.</description></item>
/// <item><term><c>platform:gitopsUrl</c></term><description>The URL Flux clones the GitOps repository from; default
/// <c>kubernetes:gitopsRemote</c>. Without either, no Flux sync objects are rendered.</description></item>
/// <item><term><c>platform:pitrRepository</c></term><description>Turns on point-in-time recovery of the tenants' server:
/// the pgBackRest repository folder on the server's machine (absolute). Unset, nothing is archived.</description></item>
/// <item><term><c>platform:pitrStanza</c></term><description>The pgBackRest stanza; default <see cref="DefaultPitrStanza"/>.</description></item>
/// </list>
/// The chart pins come from <c>platform-charts.yaml</c>, the plans from <c>plans.yaml</c> and the tenants from the
/// project's tenant stacks, all beside the stack's settings file.
/// </summary>
/// <param name="Charts">The pinned charts, by release.</param>
/// <param name="Plans">The tenant plans, by name.</param>
/// <param name="Stacks">The project's stacks.</param>
/// <param name="OperatorsWebhook">The operators' alert webhook.</param>
/// <param name="GitOpsUrl">The repository Flux follows, if known.</param>
/// <param name="GitOpsBranch">The branch Flux follows.</param>
/// <param name="PointInTimeRecovery">The pgBackRest repository and stanza, when point-in-time recovery is on.</param>
internal sealed record PlatformSettings(
    IReadOnlyDictionary<string, ChartPin> Charts,
    IReadOnlyDictionary<string, TenantPlan> Plans,
    IReadOnlyList<ProjectStack> Stacks,
    Uri OperatorsWebhook,
    string? GitOpsUrl,
    string GitOpsBranch,
    (string Repository, string Stanza)? PointInTimeRecovery)
{
    /// <summary>The pgBackRest stanza unless configured.</summary>
    public const string DefaultPitrStanza = "tenants";

    /// <summary>The operators' webhook unless configured.</summary>
    public const string DefaultOperatorsWebhook = "http://alert-receiver.monitoring.svc:8080/alerts";

    /// <summary>The tenants of the project with a known plan, by id.</summary>
    public IReadOnlyList<(string Id, TenantPlan Plan)> Tenants =>
        [.. Stacks.Where(s => s.TenantId is not null && s.Plan is not null && Plans.ContainsKey(s.Plan))
            .Select(s => (s.TenantId!, Plans[s.Plan!]))
            .DistinctBy(static t => t.Item1, StringComparer.Ordinal)
            .OrderBy(static t => t.Item1, StringComparer.Ordinal)];

    /// <summary>The tenants that set their own alert webhook (<c>tenant:alertWebhook</c>), by id.</summary>
    public IReadOnlyList<(string Id, Uri Webhook)> TenantWebhooks =>
        [.. Stacks.Where(static s => s.TenantId is not null && s.AlertWebhook is not null)
            .Select(static s => (s.TenantId!, s.AlertWebhook!))
            .DistinctBy(static t => t.Item1, StringComparer.Ordinal)
            .OrderBy(static t => t.Item1, StringComparer.Ordinal)];

    /// <summary>Reads and checks the settings.</summary>
    /// <exception cref="ConfigException">The first problem, naming the file and key.</exception>
    public static PlatformSettings Read(StackContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var config = context.Config;
        var settingsPath = config.Settings.Path;
        var directory = Path.GetDirectoryName(Path.GetFullPath(settingsPath))!;
        var webhookText = config.Get("platform:operatorsWebhook") ?? DefaultOperatorsWebhook;
        if (!Uri.TryCreate(webhookText, UriKind.Absolute, out var webhook) || (webhook.Scheme != Uri.UriSchemeHttps && webhook.Scheme != Uri.UriSchemeHttp))
        {
            throw new ConfigException(settingsPath, "platform:operatorsWebhook", $"{ErrorText.Quote(webhookText)} is not an http(s) URL.");
        }

        return new PlatformSettings(
            PlatformCharts.Load(Path.Combine(directory, PlatformCharts.FileName)),
            TenantPlans.Load(TenantPlans.PathIn(directory)),
            ProjectStacks.In(directory),
            webhook,
            config.Get("platform:gitopsUrl") ?? config.Get("kubernetes:gitopsRemote"),
            config.Get("kubernetes:gitopsBranch") ?? "main",
            ReadPointInTimeRecovery(config, settingsPath));
    }

    private static (string Repository, string Stanza)? ReadPointInTimeRecovery(StackConfig config, string settingsPath)
    {
        if (config.Get("platform:pitrRepository") is not { } repository)
        {
            return null;
        }

        if (!Path.IsPathFullyQualified(repository))
        {
            throw new ConfigException(settingsPath, "platform:pitrRepository", $"{ErrorText.Quote(repository)} must be an absolute folder on the tenant server's machine.");
        }

        if (!config.Keys.Contains("postgres:connectionString"))
        {
            throw new ConfigException(settingsPath, "platform:pitrRepository", "needs postgres:connectionString, the admin connection of the server to archive.");
        }

        var stanza = config.Get("platform:pitrStanza") ?? DefaultPitrStanza;
        return Providers.Postgres.Archive.PgBackRestStanza.IsStanzaName(stanza)
            ? (repository, stanza)
            : throw new ConfigException(settingsPath, "platform:pitrStanza", $"{ErrorText.Quote(stanza)} must be 1 to 63 letters, digits, '-' and '_'.");
    }
}

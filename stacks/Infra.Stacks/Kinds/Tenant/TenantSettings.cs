using System.Net;
using Infra.Providers.Postgres;
using Infra.Tenancy;

namespace Infra.Stacks.Kinds.Tenant;

/// <summary>
/// Everything a tenant stack reads from its config and plan, checked before anything is declared: a bad value is
/// one line naming the settings file and key, and no SQL, file or commit happens.
/// </summary>
/// <param name="Id">The tenant id (<c>tenant:id</c>).</param>
/// <param name="Plan">The tenant's plan (<c>tenant:plan</c>, from <c>plans.yaml</c>).</param>
/// <param name="DisplayName">The name people read (<c>tenant:displayName</c>, default the id).</param>
/// <param name="Branding">Colours, logo and custom domain (<c>tenant:branding</c>).</param>
/// <param name="AdminGroup">The group that administers the namespace (<c>tenant:adminGroup</c>, default <c>tenant-&lt;id&gt;-admins</c>).</param>
/// <param name="PlatformDomain">The tenant is served at <c>&lt;id&gt;.&lt;domain&gt;</c> without a custom domain (<c>tenant:platformDomain</c>).</param>
/// <param name="DatabaseCidr">The database's address range for the namespace's egress allow (<c>tenant:databaseCidr</c>); <see langword="null"/> means the database host as a single address.</param>
internal sealed record TenantSettings(
    string Id, TenantPlan Plan, string DisplayName, TenantBranding Branding, string AdminGroup, string PlatformDomain, string? DatabaseCidr)
{
    /// <summary>
    /// The key of the tenant's own alert webhook: the platform stack routes alerts labelled with the tenant there as
    /// well as to the operators. The tenant stack itself does not use it.
    /// </summary>
    public const string AlertWebhookKey = "tenant:alertWebhook";

    /// <summary>The tenant's namespace, <c>tenant-&lt;id&gt;</c>.</summary>
    public string Namespace => TenantConventions.NamespaceOf(Id);

    /// <summary>Where the tenant's application is served.</summary>
    public string Host => Branding.CustomDomain?.ToLowerInvariant() ?? $"{Id}.{PlatformDomain}";

    /// <summary>Reads and checks the tenant's config.</summary>
    /// <param name="context">The stack being run.</param>
    /// <param name="requireDatabase">Whether <c>postgres:connectionString</c> must be set (the database is declared).</param>
    /// <exception cref="ConfigException">The first problem, naming the file and key.</exception>
    public static TenantSettings Read(StackContext context, bool requireDatabase = true)
    {
        ArgumentNullException.ThrowIfNull(context);
        var config = context.Config;
        var settingsPath = config.Settings.Path;
        string Checked(string key, string value) =>
            Problem(key, value, settingsPath) is { } problem ? throw new ConfigException(settingsPath, key, problem) : value;

        var id = Checked("tenant:id", config.Get("tenant:id")
            ?? throw new MissingConfigException(settingsPath, "tenant:id", stack: context.StackName, valueHint: "id"));

        var plansPath = TenantPlans.PathIn(Path.GetDirectoryName(settingsPath)!);
        var plans = TenantPlans.Load(plansPath);
        var planName = config.Get("tenant:plan")
            ?? throw new MissingConfigException(settingsPath, "tenant:plan", stack: context.StackName, valueHint: "plan", choices: plans.Keys.Order(StringComparer.Ordinal));
        var plan = TenantPlans.Select(plans, planName, settingsPath, plansPath);
        if (config.Get("tenant:releaseStrategy") is { } strategy)
        {
            plan = plan with { ReleaseStrategy = Checked("tenant:releaseStrategy", strategy) };
        }

        var displayName = Checked("tenant:displayName", config.Get("tenant:displayName") ?? id);
        var branding = config.GetObject<TenantBranding>("tenant:branding") ?? new TenantBranding();
        if (BrandingProblem(branding) is { } brandingProblem)
        {
            throw new ConfigException(settingsPath, "tenant:branding", brandingProblem);
        }

        var adminGroup = Checked("tenant:adminGroup", config.Get("tenant:adminGroup") ?? TenantConventions.AdminGroupOf(id));
        var domain = Checked("tenant:platformDomain", config.Get("tenant:platformDomain") ?? "platform.example.com");
        var cidr = config.Get("tenant:databaseCidr") is { } configuredCidr ? Checked("tenant:databaseCidr", configuredCidr) : null;

        if (requireDatabase)
        {
            var admin = config.RevealSecret("postgres:connectionString")
                ?? throw new MissingConfigException(settingsPath, "postgres:connectionString", stack: context.StackName, secret: true, valueHint: "admin connection");
            var host = PostgresNames.HostOf(PostgresNames.ParseConnectionString(admin));
            if (cidr is null && DatabaseAddress.CidrOf(host) is null)
            {
                throw new ConfigException(settingsPath, "tenant:databaseCidr",
                    $"is required because the database host {ErrorText.Quote(host)} is not an IP address: the namespace's network policy allows egress to an address range; set it, e.g. 10.20.0.0/24.");
            }
        }

        return new TenantSettings(id, plan, displayName, branding, adminGroup, domain, cidr);
    }

    /// <summary>
    /// What is wrong with <paramref name="value"/> for the tenant key <paramref name="key"/>, in the words preview
    /// uses, or <see langword="null"/> when it is fine (or the key is not the tenant's). <c>config set</c> and
    /// <see cref="Read"/> both ask here, so a value is refused where it is set with the message preview would give.
    /// </summary>
    /// <param name="key">The full config key, e.g. <c>tenant:id</c>.</param>
    /// <param name="value">The value as stored (JSON for <c>tenant:branding</c>).</param>
    /// <param name="settingsPath">The stack settings file (the plans file sits beside it).</param>
    /// <exception cref="ConfigException">The plans file itself is missing or broken.</exception>
    public static string? Problem(string key, string value, string settingsPath)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        switch (key)
        {
            case "tenant:id":
                return TenantConventions.IdProblem(value) is { } idProblem ? $"{ErrorText.Quote(value)} {idProblem}." : null;
            case "tenant:plan":
                var plansPath = TenantPlans.PathIn(Path.GetDirectoryName(settingsPath)!);
                if (!File.Exists(plansPath))
                {
                    // The plan can be set before the plans file is written; preview names the missing file then.
                    return null;
                }

                var plans = TenantPlans.Load(plansPath);
                return plans.ContainsKey(value) ? null : TenantPlans.UnknownPlanProblem(plans, value, plansPath);
            case "tenant:displayName":
                return value.Trim().Length == 0 || value.Length > 100 || value.Any(char.IsControl)
                    ? "must be 1 to 100 characters without control characters." : null;
            case "tenant:branding":
                return Infra.Configuration.StackConfig.TryParseObject<TenantBranding>(value, out var branding, out var jsonProblem)
                    ? BrandingProblem(branding ?? new TenantBranding())
                    : jsonProblem;

            case "tenant:adminGroup":
                return value.Trim().Length == 0 || value.Length > 253 || value.Any(char.IsControl)
                    ? "must be a group name of 1 to 253 characters without control characters." : null;
            case "tenant:platformDomain":
                return !TenantBranding.IsDnsName(value) || value.Any(char.IsUpper)
                    ? $"{ErrorText.Quote(value)} is not a lower-case DNS name like platform.example.com." : null;
            case "tenant:releaseStrategy":
                return TenantPlans.ReleaseStrategy(value) is null ? TenantPlans.StrategyProblem(value) : null;
            case "tenant:databaseCidr":
                return IPNetwork.TryParse(value, out _) ? null : $"{ErrorText.Quote(value)} is not an address range like 10.20.0.0/24 or 10.20.0.15/32.";
            case AlertWebhookKey:
                return Uri.TryCreate(value, UriKind.Absolute, out var webhook) && (webhook.Scheme == Uri.UriSchemeHttps || webhook.Scheme == Uri.UriSchemeHttp)
                    ? null : $"{ErrorText.Quote(value)} is not an http(s) URL of the tenant's alert webhook.";
            default:
                return null;
        }
    }

    private static string? BrandingProblem(TenantBranding branding) =>
        branding.Problem() is { } problem ? $"{problem.Field}: {problem.Message}." : null;
}

/// <summary>The database endpoint as the namespace's egress allow needs it: an address range.</summary>
internal static class DatabaseAddress
{
    /// <summary>The single-address range of an IP host (<c>/32</c> or <c>/128</c>; <c>localhost</c> is 127.0.0.1), or <see langword="null"/> for a DNS name.</summary>
    public static string? CidrOf(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return "127.0.0.1/32";
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address)
            ? $"{address}/{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32)}"
            : null;
    }
}

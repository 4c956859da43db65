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
        ConfigException Problem(string key, string message) => new(settingsPath, key, message);

        var id = config.Get("tenant:id")
            ?? throw new MissingConfigException(settingsPath, "tenant:id", stack: context.StackName, valueHint: "id");
        if (TenantConventions.IdProblem(id) is { } idProblem)
        {
            throw Problem("tenant:id", $"{ErrorText.Quote(id)} {idProblem}.");
        }

        var plansPath = TenantPlans.PathIn(Path.GetDirectoryName(settingsPath)!);
        var plans = TenantPlans.Load(plansPath);
        var planName = config.Get("tenant:plan")
            ?? throw new MissingConfigException(settingsPath, "tenant:plan", stack: context.StackName, valueHint: "plan", choices: plans.Keys.Order(StringComparer.Ordinal));
        var plan = TenantPlans.Select(plans, planName, settingsPath, plansPath);
        if (config.Get("tenant:releaseStrategy") is { } strategy)
        {
            plan = plan with { ReleaseStrategy = TenantPlans.ReleaseStrategy(strategy) ?? throw Problem("tenant:releaseStrategy", TenantPlans.StrategyProblem(strategy)) };
        }

        var displayName = config.Get("tenant:displayName") ?? id;
        if (displayName.Trim().Length == 0 || displayName.Length > 100 || displayName.Any(char.IsControl))
        {
            throw Problem("tenant:displayName", "must be 1 to 100 characters without control characters.");
        }

        var branding = config.GetObject<TenantBranding>("tenant:branding") ?? new TenantBranding();
        if (branding.Problem() is { } brandingProblem)
        {
            throw Problem("tenant:branding", $"{brandingProblem.Field}: {brandingProblem.Message}.");
        }

        var adminGroup = config.Get("tenant:adminGroup") ?? TenantConventions.AdminGroupOf(id);
        if (adminGroup.Trim().Length == 0 || adminGroup.Length > 253 || adminGroup.Any(char.IsControl))
        {
            throw Problem("tenant:adminGroup", "must be a group name of 1 to 253 characters without control characters.");
        }

        var domain = config.Get("tenant:platformDomain") ?? "platform.example.com";
        if (!TenantBranding.IsDnsName(domain) || domain.Any(char.IsUpper))
        {
            throw Problem("tenant:platformDomain", $"{ErrorText.Quote(domain)} is not a lower-case DNS name like platform.example.com.");
        }

        var cidr = config.Get("tenant:databaseCidr");
        if (cidr is not null && !IPNetwork.TryParse(cidr, out _))
        {
            throw Problem("tenant:databaseCidr", $"{ErrorText.Quote(cidr)} is not an address range like 10.20.0.0/24 or 10.20.0.15/32.");
        }

        if (requireDatabase)
        {
            var admin = config.RevealSecret("postgres:connectionString")
                ?? throw new MissingConfigException(settingsPath, "postgres:connectionString", stack: context.StackName, secret: true, valueHint: "admin connection");
            var host = PostgresNames.HostOf(PostgresNames.ParseConnectionString(admin));
            if (cidr is null && DatabaseAddress.CidrOf(host) is null)
            {
                throw Problem("tenant:databaseCidr",
                    $"is required because the database host {ErrorText.Quote(host)} is not an IP address: the namespace's network policy allows egress to an address range; set it, e.g. 10.20.0.0/24.");
            }
        }

        return new TenantSettings(id, plan, displayName, branding, adminGroup, domain, cidr);
    }
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

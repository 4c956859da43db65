using Infra.Components.Kubernetes;

namespace Infra.Stacks.Kinds.Tenant;

/// <summary>
/// The platform chart's values for one tenant: who it is, its branding and custom domain, the feature flags and
/// size of its plan, the namespace's service account and priority class, and the name (never the content) of the
/// Secret with its database credentials. What is not set here keeps the chart's default.
/// </summary>
internal static class PlatformValues
{
    public static Dictionary<string, object?> For(TenantSettings tenant, Output<string> priorityClassName, Output<string> databaseSecret)
    {
        var app = tenant.Plan.App;
        var branding = Map();
        AddIfSet(branding, "primaryColor", tenant.Branding.PrimaryColor);
        AddIfSet(branding, "secondaryColor", tenant.Branding.SecondaryColor);
        AddIfSet(branding, "logoUrl", tenant.Branding.LogoUrl);

        return Map(
            ("tenant", Map(("id", tenant.Id), ("displayName", tenant.DisplayName))),
            ("branding", branding),
            ("featureFlags", tenant.Plan.Features.ToDictionary(static f => f.Key, static f => (object?)f.Value, StringComparer.Ordinal)),
            ("customDomain", tenant.Branding.CustomDomain?.ToLowerInvariant() ?? string.Empty),
            ("ingress", Map(("baseDomain", tenant.PlatformDomain))),
            ("database", Map(("existingSecret", databaseSecret))),
            ("serviceAccount", Map(("create", false), ("name", TenantNamespace.ServiceAccount))),
            ("priorityClassName", priorityClassName),
            ("replicaCount", app.Replicas),
            ("production", tenant.Plan.Production),
            ("releaseStrategy", tenant.Plan.ReleaseStrategy),
            // Production releases wait for a person: 'infra tenant promote' once the analysis has passed.
            ("blueGreen", Map(("autoPromotionEnabled", !tenant.Plan.Production))),
            ("resources", Map(
                ("requests", Map(("cpu", app.Requests.Cpu), ("memory", app.Requests.Memory))),
                ("limits", Map(("cpu", app.Limits.Cpu), ("memory", app.Limits.Memory))))));
    }

    private static void AddIfSet(Dictionary<string, object?> map, string key, string? value)
    {
        if (value is not null)
        {
            map[key] = value;
        }
    }

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(static e => e.Key, static e => e.Value, StringComparer.Ordinal);
}

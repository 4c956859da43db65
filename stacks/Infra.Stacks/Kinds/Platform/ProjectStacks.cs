using Infra.Stacks.Kinds.Tenant;
using Infra.Tenancy;

namespace Infra.Stacks.Kinds.Platform;

/// <summary>A stack of the project, as its settings file declares it.</summary>
/// <param name="Name">The stack's name, which is also its folder in the GitOps tree.</param>
/// <param name="Kind">Its <c>infra:kind</c>.</param>
/// <param name="TenantId">For a tenant stack, its <c>tenant:id</c>.</param>
/// <param name="Plan">For a tenant stack, its <c>tenant:plan</c>.</param>
/// <param name="AlertWebhook">For a tenant stack, its own alert webhook (<c>tenant:alertWebhook</c>), if set.</param>
internal sealed record ProjectStack(string Name, string Kind, string? TenantId, string? Plan, Uri? AlertWebhook = null);

/// <summary>
/// The project's stacks, read from their settings files (<c>environments/Pulumi.&lt;stack&gt;.yaml</c>): the platform
/// stack follows the tenants the project declares (their usage alerts, log retention and Flux Kustomizations) without
/// a second list to keep in step. Only plain keys are read; secrets stay sealed.
/// </summary>
internal static class ProjectStacks
{
    /// <summary>Every stack with a settings file in <paramref name="directory"/>, by name.</summary>
    public static IReadOnlyList<ProjectStack> In(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var stacks = new List<ProjectStack>();
        foreach (var path in Directory.EnumerateFiles(directory, "Pulumi.*.yaml").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path)["Pulumi.".Length..^".yaml".Length];
            var config = Configuration.StackSettingsFile.Load(path).Config;
            string? Plain(string key) => config.TryGetValue(key, out var value) && !value.IsSecret && !value.IsObject ? value.Value : null;
            var kind = Plain("infra:kind") ?? string.Empty;
            var tenant = kind == "tenant" ? Plain("tenant:id") : null;
            var webhook = kind == "tenant" ? Plain(TenantSettings.AlertWebhookKey) : null;
            if (webhook is not null && TenantSettings.Problem(TenantSettings.AlertWebhookKey, webhook, path) is { } problem)
            {
                throw new ConfigException(path, TenantSettings.AlertWebhookKey, problem);
            }

            stacks.Add(new ProjectStack(name, kind, tenant is not null && TenantConventions.IdProblem(tenant) is null ? tenant : null,
                kind == "tenant" ? Plain("tenant:plan") : null, webhook is null ? null : new Uri(webhook)));
        }

        return stacks;
    }
}

using Infra.Configuration;
using Infra.Providers.Kubernetes;
using Infra.Providers.Postgres;
using Infra.Stacks.Kinds.Platform;
using Infra.Stacks.Kinds.Synthetic;
using Infra.Stacks.Kinds.Tenant;

namespace Infra.Hosting;

/// <summary>Chooses a stack's program from its config key <c>infra:kind</c>: <c>platform</c>, <c>tenant</c> or <c>synthetic</c>.</summary>
public static class StackKinds
{
    /// <summary>The config key naming a stack's kind.</summary>
    public const string KindKey = "infra:kind";

    private static readonly Dictionary<string, Func<StackProgram>> s_kinds = new(StringComparer.Ordinal)
    {
        ["platform"] = StackProgram.FromStack<PlatformStack>,
        ["synthetic"] = StackProgram.FromStack<SyntheticStack>,
        ["tenant"] = StackProgram.FromStack<TenantStack>,
    };

    /// <summary>The program for <paramref name="stack"/>, chosen by its <c>infra:kind</c>.</summary>
    /// <exception cref="ConfigException">The kind is not set or unknown.</exception>
    public static StackProgram Resolve(string stack, StackConfig config)
    {
        var kind = config.Get(KindKey)
            ?? throw new MissingConfigException(config.Settings.Path, KindKey, "is not set", stack, valueHint: "kind", choices: s_kinds.Keys.Order(StringComparer.Ordinal));
        return s_kinds.TryGetValue(kind, out var program)
            ? program()
            : throw new ConfigException(config.Settings.Path, KindKey, $"{ErrorText.Quote(kind)} is not a stack kind; use one of {string.Join(", ", s_kinds.Keys.Order())}.");
    }

    /// <summary>
    /// The rules a config value must meet where it is set (<c>config set</c>), beyond the project's schema: the
    /// providers' (connection-string shape, the Sealed Secrets certificate) and, for a tenant stack, the tenant's
    /// (id pattern, known plan, domain, address range, branding). Each comes from the code that reads the value, so
    /// the message is the one a preview gives.
    /// </summary>
    public static string? ConfigRule(string key, string value, StackSettingsFile settings, string projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(settings);
        switch (key)
        {
            case "postgres:connectionString":
                return PostgresNames.ConnectionStringProblem(value);
            case "kubernetes:sealedSecretsCert":
                return KubernetesSettings.CertificateProblem(value, projectDirectory);
        }

        var kind = key == KindKey ? value : settings.Config.GetValueOrDefault(KindKey) is { IsSecret: false } configured ? configured.Value : null;
        return kind == "tenant" && key.StartsWith("tenant:", StringComparison.Ordinal)
            ? TenantStack.ConfigProblem(key, value, settings.Path)
            : null;
    }
}

using Infra.Configuration;
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
}

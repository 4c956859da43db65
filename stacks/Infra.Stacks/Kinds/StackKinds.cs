using Infra.Configuration;
using Infra.Stacks.Kinds.Platform;
using Infra.Stacks.Kinds.Synthetic;
using Infra.Stacks.Kinds.Tenant;

namespace Infra.Stacks.Kinds;

/// <summary>Chooses a stack's program from its config key <c>infra:kind</c>: <c>platform</c>, <c>tenant</c> or <c>synthetic</c>.</summary>
internal static class StackKinds
{
    public const string KindKey = "infra:kind";

    private static readonly Dictionary<string, Func<StackProgram>> s_kinds = new(StringComparer.Ordinal)
    {
        ["platform"] = StackProgram.FromStack<PlatformStack>,
        ["synthetic"] = StackProgram.FromStack<SyntheticStack>,
        ["tenant"] = StackProgram.FromStack<TenantStack>,
    };

    public static StackProgram Resolve(string stack, StackConfig config)
    {
        var kind = config.Get(KindKey)
            ?? throw new ConfigException(config.Settings.Path, KindKey, $"is not set; run 'infra config set {KindKey} <kind> -s {stack}' with one of {string.Join(", ", s_kinds.Keys.Order())}.");
        return s_kinds.TryGetValue(kind, out var program)
            ? program()
            : throw new ConfigException(config.Settings.Path, KindKey, $"{ErrorText.Quote(kind)} is not a stack kind; use one of {string.Join(", ", s_kinds.Keys.Order())}.");
    }
}

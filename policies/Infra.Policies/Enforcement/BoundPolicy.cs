using Infra.Policy;

namespace Infra.Policies;

/// <summary>A policy with its level and config settled for one stack.</summary>
/// <param name="Pack">The pack it belongs to.</param>
/// <param name="Definition">The policy.</param>
/// <param name="Level">The level it runs at for this stack.</param>
/// <param name="Config">Its config for this stack.</param>
/// <param name="PackConfig">The pack's config for this stack.</param>
internal sealed record BoundPolicy(LoadedPolicyPack Pack, PolicyDefinition Definition, EnforcementLevel Level, PolicyConfig Config, PolicyConfig PackConfig)
{
    public string Name => Definition.Name;

    /// <summary>A violation of this policy.</summary>
    public PolicyViolation Violation(string? urn, string message, EnforcementLevel? level = null, bool isError = false) => new()
    {
        Pack = Pack.Pack.Name,
        PackVersion = Pack.Version,
        Policy = Definition.Name,
        Level = level ?? Level,
        Urn = urn,
        Message = message,
        IsPolicyError = isError,
    };

    /// <summary>The policy threw instead of deciding: an error of the policy, enforced as mandatory.</summary>
    public PolicyViolation Error(string? urn, Exception exception) => Violation(
        urn,
        $"the policy failed instead of deciding ({exception.GetType().Name}: {OneLine(exception.Message)}); fix the policy or disable it for this stack.",
        EnforcementLevel.Mandatory,
        isError: true);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}

using Infra.Policy;

namespace Infra.Policies;

/// <summary>Names of enforcement levels as written in settings files, JSON output and listings.</summary>
public static class EnforcementLevels
{
    /// <summary>Every level's name, in order of strength.</summary>
    public static IReadOnlyList<string> Names { get; } = ["advisory", "mandatory", "remediate", "disabled"];

    /// <summary>The lower-case name of <paramref name="level"/>.</summary>
    public static string Name(EnforcementLevel level) => level switch
    {
        EnforcementLevel.Advisory => "advisory",
        EnforcementLevel.Mandatory => "mandatory",
        EnforcementLevel.Remediate => "remediate",
        EnforcementLevel.Disabled => "disabled",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>Parses a level name (any case); <see langword="null"/> when it is not one.</summary>
    public static EnforcementLevel? TryParse(string? name) => name?.ToLowerInvariant() switch
    {
        "advisory" => EnforcementLevel.Advisory,
        "mandatory" => EnforcementLevel.Mandatory,
        "remediate" => EnforcementLevel.Remediate,
        "disabled" => EnforcementLevel.Disabled,
        _ => null,
    };
}

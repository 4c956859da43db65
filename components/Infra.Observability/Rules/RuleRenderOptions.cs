namespace Infra.Observability.Rules;

/// <summary>How rules are written out. The defaults are production's; tests shorten the waits.</summary>
public sealed record RuleRenderOptions
{
    /// <summary>The base URL of runbook links (<see cref="Runbooks.UrlOf"/>).</summary>
    public string RunbookBaseUrl { get; init; } = Runbooks.DefaultBaseUrl;

    /// <summary>When set, every alert's <c>for</c> becomes this (tests: seconds instead of minutes).</summary>
    public TimeSpan? ForOverride { get; init; }

    /// <summary>When set, every group is evaluated at this interval.</summary>
    public TimeSpan? IntervalOverride { get; init; }

    /// <summary>Production's settings.</summary>
    public static RuleRenderOptions Default { get; } = new();
}

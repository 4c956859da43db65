using System.Diagnostics;

namespace Infra.Onboarding.Telemetry;

/// <summary>The service's trace source and the engine's, by name, in one place.</summary>
internal static class OnboardingTelemetry
{
    /// <summary>The service's own spans (one per operation, linked to the request that queued it).</summary>
    public const string SourceName = "Infra.Onboarding";

    /// <summary>The engine's source: a span per operation and per resource step.</summary>
    public const string EngineSourceName = "Infra.Engine";

    /// <summary>The service's meter.</summary>
    public const string MeterName = "Infra.Onboarding";

    public static ActivitySource Source { get; } = new(SourceName);
}

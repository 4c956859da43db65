using System.Diagnostics;

namespace Infra;

/// <summary>
/// The engine's traces: one span per operation (<c>infra up</c>, <c>infra preview</c>...) and, under it, one span per
/// resource step. Hosts export them by subscribing to <see cref="SourceName"/> (OpenTelemetry's <c>AddSource</c>).
/// </summary>
public static class EngineTelemetry
{
    /// <summary>The name of the engine's <see cref="ActivitySource"/>; hosts subscribe to exactly this name.</summary>
    public const string SourceName = "Infra.Engine";

    /// <summary>The source. Immutable and shared: an activity source holds no stack's state.</summary>
    internal static ActivitySource Source { get; } = new(SourceName, typeof(EngineTelemetry).Assembly.GetName().Version?.ToString());
}

using System.Runtime.CompilerServices;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Infra.Cli;

/// <summary>
/// Exports the engine's traces over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the other
/// standard variables, such as <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, itself). Without it nothing is loaded, so start-up
/// pays nothing for tracing.
/// </summary>
internal static class CliTelemetry
{
    /// <summary>The service name the CLI's spans carry.</summary>
    public const string ServiceName = "infra-cli";

    /// <summary>Starts exporting; dispose the result to flush the spans before the process exits.</summary>
    public static IDisposable? Start() =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")) ? null : StartExporter();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TracerProvider StartExporter() => Sdk.CreateTracerProviderBuilder()
        .ConfigureResource(static resource => resource.AddService(ServiceName))
        .AddSource(EngineTelemetry.SourceName)
        .AddOtlpExporter()
        .Build();
}

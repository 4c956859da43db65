namespace Infra.Tenancy;

/// <summary>
/// Where tenants send traces: the platform's OpenTelemetry Collector in <see cref="PlatformNamespaces.Tracing"/>. One
/// owner for its OTLP ports and its pods' labels, which the platform stack configures the collector with and each
/// tenant's NetworkPolicy admits egress to (the collector only: Tempo in the same namespace stays unreachable).
/// </summary>
public static class TracingCollector
{
    /// <summary>OTLP over gRPC.</summary>
    public const int OtlpGrpcPort = 4317;

    /// <summary>OTLP over HTTP (what the .NET auto-instrumentation sends).</summary>
    public const int OtlpHttpPort = 4318;

    /// <summary>The label key the OpenTelemetry Operator puts on a collector's pods.</summary>
    public const string ComponentLabel = "app.kubernetes.io/component";

    /// <summary>Its value on collector pods.</summary>
    public const string ComponentValue = "opentelemetry-collector";
}

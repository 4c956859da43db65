using Infra.Observability.Components;
using Infra.Providers.Helm;
using Infra.Providers.Kubernetes;
using Infra.Stacks.Kinds.Platform.Values;
using Infra.Tenancy;
using static Infra.Stacks.Kinds.Platform.PlatformObjects;

namespace Infra.Stacks.Kinds.Platform;

/// <summary>
/// Tracing and APM: the OpenTelemetry Operator, a Collector (OTLP in; traces to Tempo; RED metrics per service from
/// the span-metrics connector and a service graph from the service-graph connector, both to Prometheus), Tempo, and
/// the <c>Instrumentation</c> <see cref="DotNetInstrumentation"/> that auto-instruments .NET workloads annotated
/// <c>instrumentation.opentelemetry.io/inject-dotnet: "tracing/dotnet"</c>.
/// </summary>
internal static class TracingLayer
{
    /// <summary>The Collector's name; the operator names its Service <c>otel-collector</c>.</summary>
    public const string Collector = "otel";

    /// <summary>The Instrumentation's name.</summary>
    public const string DotNetInstrumentation = "dotnet";

    /// <summary>The collector version when the chart pins none.</summary>
    public const string DefaultCollectorVersion = "0.120.0";

    private const string DotNetAgent = "ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-dotnet:1.10.0";

    /// <summary>Declares the tracing layer.</summary>
    public static void Declare(PlatformReleases releases, KubernetesObject tracingNamespace, HelmRelease certManager, HelmRelease monitoring)
    {
        var ns = PlatformNamespaces.Tracing;
        var version = releases.Pin("opentelemetry-operator").AppVersion ?? DefaultCollectorVersion;
        var operatorRelease = releases.Declare("opentelemetry-operator", new OpenTelemetryOperatorValues(
            new OperatorManager(new ImageRef("otel/opentelemetry-collector-contrib", version)),
            new AdmissionWebhooks(new Toggle(true))), certManager);
        releases.Declare("tempo", new TempoValues(
            new TempoServer("168h", new Dictionary<string, object>
            {
                ["otlp"] = new Dictionary<string, object> { ["protocols"] = new Dictionary<string, object> { ["grpc"] = new Dictionary<string, object> { ["endpoint"] = "0.0.0.0:4317" } } },
            }),
            new Toggle(true)));

        var afterOperator = new CustomResourceOptions { DependsOn = [tracingNamespace, operatorRelease] };
        DeclareObject("otel-collector", CollectorManifest(), afterOperator);
        DeclareObject("otel-collector-metrics", Manifest("monitoring.coreos.com/v1", "ServiceMonitor", $"{Collector}-collector", ns, MonitoringPlacement.Default.Labels,
            ("spec", Map(
                ("selector", Map(("matchLabels", Map((TracingCollector.ComponentLabel, TracingCollector.ComponentValue), ("app.kubernetes.io/instance", $"{ns}.{Collector}"))))),
                ("endpoints", new object[] { Map(("port", "prometheus"), ("interval", "30s"), ("honorLabels", false)) })))),
            new CustomResourceOptions { DependsOn = [tracingNamespace, monitoring] });
        DeclareObject("dotnet-instrumentation", Manifest("opentelemetry.io/v1alpha1", "Instrumentation", DotNetInstrumentation, ns, null,
            ("spec", Map(
                ("exporter", Map(("endpoint", $"http://{Collector}-collector.{ns}.svc:{TracingCollector.OtlpHttpPort}"))),
                ("propagators", new object[] { "tracecontext", "baggage" }),
                ("sampler", Map(("type", "parentbased_traceidratio"), ("argument", "0.25"))),
                ("dotnet", Map(("image", DotNetAgent)))))), afterOperator);
    }

    // The k8sattributes processor sets k8s.namespace.name from the sending pod's connection, so a tenant cannot claim
    // another tenant's namespace in its resource attributes; the span metrics carry it as a dimension.
    private static Dictionary<string, object?> CollectorManifest()
    {
        var otlp = Map(("protocols", Map(("grpc", Map(("endpoint", $"0.0.0.0:{TracingCollector.OtlpGrpcPort}"))), ("http", Map(("endpoint", $"0.0.0.0:{TracingCollector.OtlpHttpPort}"))))));
        var config = Map(
            ("receivers", Map(("otlp", otlp))),
            ("processors", Map(
                ("memory_limiter", Map(("check_interval", "1s"), ("limit_percentage", 80), ("spike_limit_percentage", 20))),
                ("k8sattributes", Map(
                    ("passthrough", false),
                    ("pod_association", new object[] { Map(("sources", new object[] { Map(("from", "connection")) })) }),
                    ("extract", Map(("metadata", new object[] { "k8s.namespace.name", "k8s.pod.name", "k8s.deployment.name" }))))),
                ("batch", Map(("timeout", "5s"))))),
            ("connectors", Map(
                ("spanmetrics", Map(
                    ("histogram", Map(("explicit", Map(("buckets", new object[] { "5ms", "10ms", "25ms", "50ms", "100ms", "250ms", "500ms", "1s", "2.5s", "5s", "10s" }))))),
                    ("dimensions", new object[] { Map(("name", "k8s.namespace.name")), Map(("name", "http.response.status_code")) }))),
                ("servicegraph", Map(("latency_histogram_buckets", new object[] { "10ms", "50ms", "100ms", "500ms", "1s", "5s" }))))),
            ("exporters", Map(
                ("otlp/tempo", Map(("endpoint", $"tempo.{PlatformNamespaces.Tracing}.svc:4317"), ("tls", Map(("insecure", true))))),
                ("prometheus", Map(("endpoint", "0.0.0.0:8889"), ("resource_to_telemetry_conversion", Map(("enabled", true))))))),
            ("service", Map(("pipelines", Map(
                ("traces", Map(("receivers", new object[] { "otlp" }), ("processors", new object[] { "memory_limiter", "k8sattributes", "batch" }),
                    ("exporters", new object[] { "otlp/tempo", "spanmetrics", "servicegraph" }))),
                ("metrics", Map(("receivers", new object[] { "otlp", "spanmetrics", "servicegraph" }), ("processors", new object[] { "memory_limiter", "k8sattributes", "batch" }),
                    ("exporters", new object[] { "prometheus" }))))))));
        return Manifest("opentelemetry.io/v1beta1", "OpenTelemetryCollector", Collector, PlatformNamespaces.Tracing, null,
            ("spec", Map(
                ("mode", "deployment"),
                ("replicas", 2),
                ("ports", new object[] { Map(("name", "prometheus"), ("port", 8889), ("protocol", "TCP")) }),
                ("resources", Map(("requests", Map(("cpu", "200m"), ("memory", "256Mi"))), ("limits", Map(("memory", "1Gi"))))),
                ("config", config))));
    }
}

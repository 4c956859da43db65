namespace Infra.Stacks.Kinds.Platform.Values;

/// <summary>
/// The OpenTelemetry Operator: its webhooks certified by cert-manager, and the contrib collector image, which has the
/// span-metrics and service-graph connectors.
/// </summary>
internal sealed record OpenTelemetryOperatorValues(OperatorManager Manager, AdmissionWebhooks AdmissionWebhooks);

/// <summary>The operator's manager.</summary>
internal sealed record OperatorManager(ImageRef CollectorImage);

/// <summary>An image repository and tag.</summary>
internal sealed record ImageRef(string Repository, string Tag);

/// <summary>The operator's admission webhooks.</summary>
internal sealed record AdmissionWebhooks(Toggle CertManager);

/// <summary>Tempo in single-binary mode: retention, and the OTLP receiver the collector sends to.</summary>
internal sealed record TempoValues(TempoServer Tempo, Toggle Persistence);

/// <summary>Tempo's server settings.</summary>
internal sealed record TempoServer(string Retention, Dictionary<string, object> Receivers);

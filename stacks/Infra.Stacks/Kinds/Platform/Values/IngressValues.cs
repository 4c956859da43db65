using System.Text.Json.Serialization;

namespace Infra.Stacks.Kinds.Platform.Values;

// The values of the cluster-services charts: only what the platform sets; the rest keeps each chart's default.

/// <summary>ingress-nginx: the one ingress controller of the cluster, the default IngressClass.</summary>
internal sealed record IngressNginxValues(IngressNginxController Controller);

/// <summary>The controller: replicas, the IngressClass and its metrics for the monitoring namespace.</summary>
internal sealed record IngressNginxController(
    int ReplicaCount,
    IngressClassResource IngressClassResource,
    ControllerMetrics Metrics,
    Dictionary<string, string> Config);

/// <summary>The IngressClass the controller owns.</summary>
internal sealed record IngressClassResource(string Name, bool Default);

/// <summary>Controller metrics and their ServiceMonitor.</summary>
internal sealed record ControllerMetrics(bool Enabled, ServiceMonitorValues ServiceMonitor);

/// <summary>A chart's ServiceMonitor, labelled for kube-prometheus-stack's selector.</summary>
internal sealed record ServiceMonitorValues(bool Enabled, Dictionary<string, string>? AdditionalLabels = null);

/// <summary>cert-manager: its CRDs installed and kept by the chart.</summary>
internal sealed record CertManagerValues(CertManagerCrds Crds, PrometheusToggle Prometheus);

/// <summary>Installs the CRDs and keeps them when the release is removed (certificates survive).</summary>
internal sealed record CertManagerCrds(bool Enabled, bool Keep);

/// <summary>cert-manager's metrics.</summary>
internal sealed record PrometheusToggle(bool Enabled, ServiceMonitorValues Servicemonitor);

/// <summary>Sealed Secrets: the controller whose certificate <c>kubernetes:sealedSecretsCert</c> holds.</summary>
internal sealed record SealedSecretsValues(
    string FullnameOverride,
    [property: JsonPropertyName("keyrenewperiod")] string KeyRenewPeriod,
    ServiceMonitorValues Metrics);

/// <summary>
/// Argo Rollouts: the controller that runs the tenants' blue-green <c>Rollout</c>s, with its CRDs installed and kept
/// when the release goes (the Rollouts survive), two replicas (one leads), and its metrics scraped.
/// </summary>
internal sealed record ArgoRolloutsValues(bool InstallCRDs, bool KeepCRDs, ArgoRolloutsController Controller);

/// <summary>The Argo Rollouts controller.</summary>
internal sealed record ArgoRolloutsController(int Replicas, ArgoRolloutsMetrics Metrics);

/// <summary>The controller's metrics and their ServiceMonitor.</summary>
internal sealed record ArgoRolloutsMetrics(bool Enabled, ServiceMonitorValues ServiceMonitor);

using Infra.Observability.Components;
using Infra.Providers.Helm;
using Infra.Stacks.Kinds.Platform.Values;

namespace Infra.Stacks.Kinds.Platform;

/// <summary>
/// The services every tenant relies on: ingress-nginx (the default IngressClass, in its own namespace, the one the
/// tenants' NetworkPolicies admit), cert-manager (with its CRDs, kept on uninstall) and the Sealed Secrets controller,
/// named <c>sealed-secrets-controller</c> as <c>kubeseal</c> expects (pass <c>--controller-namespace platform</c>).
/// Argo Rollouts runs the tenants' blue-green releases (<c>tenant:releaseStrategy blueGreen</c>).
/// Their metrics are scraped through ServiceMonitors labelled for kube-prometheus-stack.
/// </summary>
internal static class ClusterServices
{
    /// <summary>The Sealed Secrets controller's name.</summary>
    public const string SealedSecretsController = "sealed-secrets-controller";

    /// <summary>Declares the four releases; cert-manager is returned, as the OpenTelemetry Operator's webhooks need it.</summary>
    public static HelmRelease Declare(PlatformReleases releases)
    {
        var monitored = new ServiceMonitorValues(true, new Dictionary<string, string>(MonitoringPlacement.Default.Labels));
        releases.Declare("ingress-nginx", new IngressNginxValues(new IngressNginxController(
            ReplicaCount: 2,
            IngressClassResource: new IngressClassResource("nginx", Default: true),
            Metrics: new ControllerMetrics(true, monitored),
            // Tenants write Ingresses; snippets would let one tenant's annotations configure the shared controller.
            Config: new Dictionary<string, string>(StringComparer.Ordinal) { ["allow-snippet-annotations"] = "false" })));
        var certManager = releases.Declare("cert-manager", new CertManagerValues(new CertManagerCrds(Enabled: true, Keep: true), new PrometheusToggle(true, monitored)));
        releases.Declare("sealed-secrets", new SealedSecretsValues(SealedSecretsController, "720h", monitored));
        releases.Declare("argo-rollouts", new ArgoRolloutsValues(InstallCRDs: true, KeepCRDs: true, new ArgoRolloutsController(2, new ArgoRolloutsMetrics(true, monitored))));
        return certManager;
    }
}

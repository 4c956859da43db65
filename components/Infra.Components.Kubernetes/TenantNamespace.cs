using System.Text.RegularExpressions;
using Infra.Providers.Kubernetes;
using Infra.Tenancy;

namespace Infra.Components.Kubernetes;

/// <summary>
/// A tenant's isolated namespace <c>tenant-&lt;id&gt;</c> labelled <c>infra.dev/tenant: &lt;id&gt;</c>
/// (<see cref="TenantConventions"/>), sized by <see cref="NamespaceSize"/>:
/// <list type="bullet">
/// <item><description>Pod Security <c>restricted</c> enforced, audited and warned, each at a pinned version;</description></item>
/// <item><description>a ResourceQuota on CPU and memory requests and limits, storage, pods, services and PVCs, and a
/// LimitRange with per-container defaults, default requests and maxima;</description></item>
/// <item><description>a default-deny NetworkPolicy for ingress and egress, with allows for DNS, the ingress
/// controller's namespace, scrapes from the monitoring namespace, traces to the tracing namespace's collector (OTLP
/// ports only) and the tenant database, and nothing that admits another tenant's namespace;</description></item>
/// <item><description>a ServiceAccount that mounts no token, and a Role and RoleBinding for the tenant's admin group;</description></item>
/// <item><description>the name of the PriorityClass of the plan's tier, <c>tenant-&lt;tier&gt;</c>, for the tenant's
/// pods. Tenants of a tier share it, so no tenant declares it: the platform stack does, once per tier, and a tenant's
/// folder carries no cluster-scoped copy. A tenant stack still comes up without a platform stack; its pods are
/// scheduled once the class exists.</description></item>
/// </list>
/// </summary>
public sealed partial class TenantNamespace : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "infra:components:TenantNamespace";

    /// <summary>The name of the tenant application's service account.</summary>
    public const string ServiceAccount = "tenant-app";

    /// <summary>Declares a tenant namespace.</summary>
    /// <exception cref="InfraException">The tenant id or the tier is not a valid name.</exception>
    public TenantNamespace(string name, TenantNamespaceArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);
        Check(args);
        var ns = TenantConventions.NamespaceOf(args.TenantId);
        var plan = args.Size;
        var child = new CustomResourceOptions { Parent = this };

        var space = Declare($"{name}-namespace", ObjectOf("v1", "Namespace", Metadata(ns, null, Labels(
            ("kubernetes.io/metadata.name", ns),
            (TenantConventions.LabelKey, args.TenantId),
            ("pod-security.kubernetes.io/enforce", "restricted"),
            ("pod-security.kubernetes.io/enforce-version", args.PodSecurityVersion),
            ("pod-security.kubernetes.io/audit", "restricted"),
            ("pod-security.kubernetes.io/audit-version", args.PodSecurityVersion),
            ("pod-security.kubernetes.io/warn", "restricted"),
            ("pod-security.kubernetes.io/warn-version", args.PodSecurityVersion)))), child with { Protect = args.Protect });
        var inside = new CustomResourceOptions { Parent = this, DependsOn = [space] };

        Declare($"{name}-quota", ObjectOf("v1", "ResourceQuota", Metadata("tenant-quota", ns), ("spec", Map(("hard", Map(
            ("requests.cpu", plan.RequestsCpu),
            ("requests.memory", plan.RequestsMemory),
            ("limits.cpu", plan.LimitsCpu),
            ("limits.memory", plan.LimitsMemory),
            ("requests.storage", plan.Storage),
            ("pods", Count(plan.Pods)),
            ("services", Count(plan.Services)),
            ("persistentvolumeclaims", Count(plan.PersistentVolumeClaims))))))), inside);

        Declare($"{name}-limits", ObjectOf("v1", "LimitRange", Metadata("tenant-limits", ns), ("spec", Map(("limits", new object[]
        {
            Map(
                ("type", "Container"),
                ("default", Map(("cpu", plan.DefaultCpu), ("memory", plan.DefaultMemory))),
                ("defaultRequest", Map(("cpu", plan.DefaultRequestCpu), ("memory", plan.DefaultRequestMemory))),
                ("max", Map(("cpu", plan.MaxCpu), ("memory", plan.MaxMemory)))),
            Map(("type", "PersistentVolumeClaim"), ("max", Map(("storage", plan.Storage)))),
        })))), inside);

        foreach (var (policy, spec) in NetworkPolicies(args))
        {
            Declare($"{name}-{policy}", ObjectOf("networking.k8s.io/v1", "NetworkPolicy", Metadata(policy, ns), ("spec", spec)), inside);
        }

        Declare($"{name}-service-account", ObjectOf("v1", "ServiceAccount", Metadata(ServiceAccount, ns), ("automountServiceAccountToken", false)), inside);
        Declare($"{name}-admin-role", ObjectOf("rbac.authorization.k8s.io/v1", "Role", Metadata("tenant-admin", ns), ("rules", AdminRules())), inside);
        Declare($"{name}-admin-binding", ObjectOf("rbac.authorization.k8s.io/v1", "RoleBinding", Metadata("tenant-admin", ns),
            ("roleRef", Map(("apiGroup", "rbac.authorization.k8s.io"), ("kind", "Role"), ("name", "tenant-admin"))),
            ("subjects", new object[] { Map(("apiGroup", "rbac.authorization.k8s.io"), ("kind", "Group"), ("name", args.AdminGroup)) })), inside);

        var priorityClass = TenantConventions.PriorityClassOf(plan.Tier);
        NamespaceName = Output.Create(ns);
        PriorityClassName = Output.Create(priorityClass);
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["namespace"] = NamespaceName,
            ["serviceAccount"] = ServiceAccount,
            ["priorityClassName"] = PriorityClassName,
        });
    }

    /// <summary>The namespace, <c>tenant-&lt;id&gt;</c>.</summary>
    public Output<string> NamespaceName { get; }

    /// <summary>The PriorityClass the tenant's pods should use (<c>priorityClassName</c>), declared by the platform stack.</summary>
    public Output<string> PriorityClassName { get; }

    private static IEnumerable<(string Name, Dictionary<string, object?> Spec)> NetworkPolicies(TenantNamespaceArgs args)
    {
        var all = Map();
        object[] both = ["Ingress", "Egress"];
        yield return ("default-deny", Map(("podSelector", all), ("policyTypes", both)));
        yield return ("allow-dns", Map(
            ("podSelector", all),
            ("policyTypes", new object[] { "Egress" }),
            ("egress", new object[]
            {
                Map(
                    ("to", new object[] { Map(("namespaceSelector", NamespaceSelector("kube-system")), ("podSelector", Map(("matchLabels", Map(("k8s-app", "kube-dns")))))) }),
                    ("ports", new object[] { Map(("protocol", "UDP"), ("port", 53)), Map(("protocol", "TCP"), ("port", 53)) })),
            })));
        yield return ("allow-ingress-controller", Map(
            ("podSelector", all),
            ("policyTypes", new object[] { "Ingress" }),
            ("ingress", new object[] { Map(("from", new object[] { Map(("namespaceSelector", NamespaceSelector(args.IngressNamespace))) })) })));
        yield return ("allow-monitoring-scrape", Map(
            ("podSelector", all),
            ("policyTypes", new object[] { "Ingress" }),
            ("ingress", new object[]
            {
                Map(
                    ("from", new object[] { Map(("namespaceSelector", NamespaceSelector(args.MonitoringNamespace))) }),
                    ("ports", new object[] { Map(("protocol", "TCP"), ("port", args.MetricsPort)) })),
            })));
        yield return ("allow-tracing", Map(
            ("podSelector", all),
            ("policyTypes", new object[] { "Egress" }),
            ("egress", new object[]
            {
                Map(
                    ("to", new object[]
                    {
                        Map(
                            ("namespaceSelector", NamespaceSelector(args.TracingNamespace)),
                            ("podSelector", Map(("matchLabels", Map((TracingCollector.ComponentLabel, TracingCollector.ComponentValue)))))),
                    }),
                    ("ports", new object[] { Map(("protocol", "TCP"), ("port", TracingCollector.OtlpGrpcPort)), Map(("protocol", "TCP"), ("port", TracingCollector.OtlpHttpPort)) })),
            })));
        yield return ("allow-database", Map(
            ("podSelector", all),
            ("policyTypes", new object[] { "Egress" }),
            ("egress", new object[]
            {
                Map(
                    ("to", new object[] { Map(("ipBlock", Map(("cidr", args.DatabaseCidr)))) }),
                    ("ports", new object[] { Map(("protocol", "TCP"), ("port", args.DatabasePort ?? 5432)) })),
            })));
    }

    private static object[] AdminRules() =>
    [
        Map(
            ("apiGroups", new object[] { "", "apps", "batch", "autoscaling", "policy", "networking.k8s.io" }),
            ("resources", new object[]
            {
                "pods", "pods/log", "services", "configmaps", "persistentvolumeclaims", "events", "deployments", "replicasets", "statefulsets",
                "jobs", "cronjobs", "horizontalpodautoscalers", "poddisruptionbudgets", "ingresses",
            }),
            ("verbs", new object[] { "get", "list", "watch", "create", "update", "patch", "delete" })),
    ];

    private static KubernetesObject Declare(string name, Dictionary<string, object?> manifest, CustomResourceOptions options) =>
        new(name, new KubernetesObjectArgs { Manifest = manifest }, options);

    private static Dictionary<string, object?> ObjectOf(string apiVersion, string kind, Dictionary<string, object?> metadata, params (string Key, object? Value)[] fields)
    {
        var manifest = Map(fields);
        manifest["apiVersion"] = apiVersion;
        manifest["kind"] = kind;
        manifest["metadata"] = metadata;
        return manifest;
    }

    private static Dictionary<string, object?> Metadata(string name, string? ns, Dictionary<string, object?>? labels = null, Dictionary<string, object?>? annotations = null)
    {
        var metadata = Map(("name", name));
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        if (labels is not null)
        {
            metadata["labels"] = labels;
        }

        if (annotations is not null)
        {
            metadata["annotations"] = annotations;
        }

        return metadata;
    }

    private static Dictionary<string, object?> NamespaceSelector(string ns) => Map(("matchLabels", Map(("kubernetes.io/metadata.name", ns))));

    private static Dictionary<string, object?> Labels(params (string Key, string Value)[] labels) => Map([.. labels.Select(static l => (l.Key, (object?)l.Value))]);

    private static string Count(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(static e => e.Key, static e => e.Value, StringComparer.Ordinal);

    private static void Check(TenantNamespaceArgs args)
    {
        if (TenantConventions.IdProblem(args.TenantId) is { } problem)
        {
            throw new InfraException($"{ErrorText.Quote(args.TenantId)} {problem}.");
        }

        if (!DnsLabel().IsMatch(args.Size.Tier))
        {
            throw new InfraException($"tier {ErrorText.Quote(args.Size.Tier)} cannot name a PriorityClass: use lower-case letters, digits and '-'.");
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z")]
    private static partial Regex DnsLabel();
}

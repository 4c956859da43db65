using System.Globalization;

namespace Infra.Stacks.Kinds.Tenant;

/// <summary>
/// Checks that a plan can run its own application: a cluster would otherwise accept the manifests and then refuse
/// the pods (over quota, above the container maximum), which nobody sees until a tenant is down. The application
/// needs room for one extra pod, its rolling update's surge.
/// </summary>
internal static class PlanFit
{
    private const int Surge = 1;

    /// <exception cref="ConfigException">The first problem, naming the plan's key.</exception>
    public static void Check(TenantPlan plan, PlanYaml yaml)
    {
        var size = plan.Namespace;
        var app = plan.App;
        foreach (var (resource, request, limit, max) in new[]
        {
            ("cpu", size.DefaultRequestCpu, size.DefaultCpu, size.MaxCpu),
            ("memory", size.DefaultRequestMemory, size.DefaultMemory, size.MaxMemory),
        })
        {
            AtMost(yaml, $"containers.defaultRequest.{resource}", request, $"containers.default.{resource}", limit);
            AtMost(yaml, $"containers.default.{resource}", limit, $"containers.max.{resource}", max);
        }

        AtMost(yaml, "app.requests.cpu", app.Requests.Cpu, "app.limits.cpu", app.Limits.Cpu);
        AtMost(yaml, "app.requests.memory", app.Requests.Memory, "app.limits.memory", app.Limits.Memory);
        AtMost(yaml, "app.limits.cpu", app.Limits.Cpu, "containers.max.cpu", size.MaxCpu);
        AtMost(yaml, "app.limits.memory", app.Limits.Memory, "containers.max.memory", size.MaxMemory);

        var pods = app.Replicas + Surge;
        if (pods > size.Pods)
        {
            throw yaml.Error("app.replicas", $"{app.Replicas} replicas and one more pod during a rolling update exceed quota.pods {size.Pods}; raise the quota or lower the replicas.");
        }

        Fits(yaml, pods, "app.requests.cpu", app.Requests.Cpu, "quota.requests.cpu", size.RequestsCpu);
        Fits(yaml, pods, "app.requests.memory", app.Requests.Memory, "quota.requests.memory", size.RequestsMemory);
        Fits(yaml, pods, "app.limits.cpu", app.Limits.Cpu, "quota.limits.cpu", size.LimitsCpu);
        Fits(yaml, pods, "app.limits.memory", app.Limits.Memory, "quota.limits.memory", size.LimitsMemory);
    }

    private static void AtMost(PlanYaml yaml, string key, string value, string boundKey, string bound)
    {
        if (Value(value) > Value(bound))
        {
            throw yaml.Error(key, $"{value} is more than {boundKey} {bound}.");
        }
    }

    private static void Fits(PlanYaml yaml, int pods, string key, string perPod, string quotaKey, string quota)
    {
        if (pods * Value(perPod) > Value(quota))
        {
            throw yaml.Error(key, string.Create(CultureInfo.InvariantCulture,
                $"{pods} pods (the replicas and one more during a rolling update) of {perPod} exceed {quotaKey} {quota}; raise the quota or shrink the app."));
        }
    }

    private static decimal Value(string quantity) => Quantity.TryParse(quantity) ?? 0m;
}

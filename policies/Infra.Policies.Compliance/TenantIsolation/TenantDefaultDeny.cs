using Infra.Policies.Kubernetes;
using Infra.Policy;

namespace Infra.Policies.Compliance.TenantIsolation;

/// <summary>
/// Every tenant namespace has a default-deny NetworkPolicy: one that selects every pod (<c>podSelector: {}</c>), lists
/// the direction in <c>policyTypes</c> and allows nothing in it. Both directions by default (config <c>directions</c>).
/// </summary>
/// <remarks>
/// Rationale: Kubernetes allows all traffic until some NetworkPolicy selects a pod. Starting from "deny everything"
/// makes each allowed flow (DNS, the ingress controller, monitoring, the tenant's database) an explicit, reviewable
/// policy, and a forgotten one fails closed instead of open.
/// </remarks>
public sealed class TenantDefaultDeny : StackPolicy
{
    private static readonly string[] s_directions = ["Ingress", "Egress"];

    /// <inheritdoc/>
    public override string Name => "tenant-default-deny";

    /// <inheritdoc/>
    public override string Description => "Every tenant namespace has a default-deny NetworkPolicy, so every allowed flow is explicit.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override PolicyConfigSchema Config { get; } = PolicyConfigSchema.Empty
        .StringList("directions", "The directions that must be denied by default.", defaultValue: s_directions, allowedValues: s_directions);

    /// <inheritdoc/>
    public override void Validate(StackPolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var directions = context.Config.GetStringList("directions");
        foreach (var (resource, name, _) in Tenants.NamespacesIn(context))
        {
            var policies = Tenants.ObjectsIn(context, "NetworkPolicy.networking.k8s.io", name).ToList();
            if (policies.Any(static p => p.Inputs.At("spec") is { IsFullyKnown: false }))
            {
                continue; // decided at up, once every value is known
            }

            var missing = directions.Where(d => !policies.Any(p => DeniesByDefault(p, d))).ToList();
            if (missing.Count > 0)
            {
                context.Report(resource,
                    $"tenant namespace '{name}' has no default-deny NetworkPolicy for {string.Join(" and ", missing)}: add one with podSelector: {{}}, " +
                    $"policyTypes: [{string.Join(", ", missing)}] and no {string.Join("/", missing.Select(static d => d.ToLowerInvariant()))} rules.");
            }
        }
    }

    private static bool DeniesByDefault(KubernetesObject policy, string direction)
    {
        var spec = policy.Inputs.ObjectAt("spec");
        if (spec is null)
        {
            return false;
        }

        // An absent podSelector is invalid in Kubernetes; reading it as {} keeps the check about the rules.
        var selectsAll = spec.At("podSelector") is not { } selector || LabelSelector.Parse(selector)?.SelectsEverything == true;
        var rules = spec.At(direction.ToLowerInvariant());
        return selectsAll && EffectiveTypes(spec).Contains(direction) && (rules is null || rules.IsNull || spec.ArrayAt(direction.ToLowerInvariant()).IsEmpty);
    }

    /// <summary>The directions a policy governs; without <c>policyTypes</c>, Kubernetes assumes Ingress, plus Egress when egress rules exist.</summary>
    private static HashSet<string> EffectiveTypes(Values.PropertyMap spec)
    {
        if (spec.At("policyTypes") is not null)
        {
            return [.. spec.ArrayAt("policyTypes").Select(static t => t.TryGetString(out var s) ? s : string.Empty)];
        }

        return spec.ContainsKey("egress") ? ["Ingress", "Egress"] : ["Ingress"];
    }
}

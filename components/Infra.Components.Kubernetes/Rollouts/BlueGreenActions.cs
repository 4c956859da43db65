using Infra.Providers.Kubernetes;
using Infra.Providers.Kubernetes.GitOps;
using Infra.Values;

namespace Infra.Components.Kubernetes.Rollouts;

/// <summary>What an operator does to a blue-green release waiting for a decision.</summary>
public enum BlueGreenAction
{
    /// <summary>Switch the active Service to the new version (once its pre-promotion analysis has passed).</summary>
    Promote,

    /// <summary>Keep the stable version active and scale the new one down.</summary>
    Abort,
}

/// <summary>
/// Promote and abort of an Argo Rollouts blue-green <c>Rollout</c>, in the two places a stack's objects live.
/// <list type="bullet">
/// <item><description><b>GitOps</b> (a commit the cluster follows, never a status patch Flux would not apply):
/// <b>promote</b> sets <c>spec.strategy.blueGreen.autoPromotionEnabled: true</c>. The controller removes the pause
/// of a release with auto promotion on once its pre-promotion analysis has completed (Argo Rollouts' <c>skipPause</c>),
/// so the analysis still gates the switch. <b>abort</b> puts back the pod template of the newest earlier committed
/// version that differs; a Rollout whose template matches its stable ReplicaSet goes back to it at once, without
/// analysis, and scales the new version down.</description></item>
/// <item><description><b>Cluster</b>: the status patches of Argo's own kubectl plugin, applied with
/// <c>kubectl patch --subresource=status</c> (<see cref="StatusPatch"/>).</description></item>
/// </list>
/// Either way the stack still declares the new version: after an abort, change the release (or <c>stack rollback</c>)
/// before the next <c>up</c>, or that up releases it again.
/// </summary>
public static class BlueGreenActions
{
    /// <summary>The kind the actions work on.</summary>
    public const string RolloutKind = "Rollout";

    /// <summary>Commits <paramref name="action"/> on the Rollout <paramref name="name"/> in the stack's GitOps folder.</summary>
    /// <returns>The commit's hash.</returns>
    /// <exception cref="InfraException">The Rollout is missing, is not blue-green, has nothing to go back to, or git failed.</exception>
    public static Task<string> CommitAsync(
        KubernetesSettings settings, string stack, string @namespace, string name, BlueGreenAction action, CancellationToken cancellationToken) =>
        GitOpsObjectEdit.CommitAsync(settings, stack, @namespace, RolloutKind, name,
            (rollout, earlier) => action == BlueGreenAction.Promote ? Promote(rollout, name) : Abort(rollout, earlier, name),
            $"infra: {(action == BlueGreenAction.Promote ? "promote" : "abort")} the blue-green release of {@namespace}/{name} (stack '{stack}')",
            cancellationToken);

    /// <summary>Does <paramref name="action"/> on the Rollout in a live cluster (status patch).</summary>
    /// <exception cref="InfraException">The cluster refused.</exception>
    public static Task PatchClusterAsync(KubernetesSettings settings, string @namespace, string name, BlueGreenAction action, CancellationToken cancellationToken) =>
        Providers.Kubernetes.Cluster.ClusterStatusPatch.PatchAsync(settings, "argoproj.io", "v1alpha1", "rollouts", @namespace, name, StatusPatch(action), cancellationToken);

    /// <summary>The JSON merge patch of the Rollout's status subresource that does <paramref name="action"/> in a cluster.</summary>
    public static string StatusPatch(BlueGreenAction action) => action == BlueGreenAction.Promote
        ? """{"status":{"pauseConditions":null}}"""
        : """{"status":{"abort":true}}""";

    /// <summary>The Rollout with auto promotion on.</summary>
    public static PropertyMap Promote(PropertyMap rollout, string name)
    {
        var blueGreen = BlueGreen(rollout, name);
        if (blueGreen.GetValueOrDefault("autoPromotionEnabled") is not { } enabled || (enabled.TryGetBool(out var on) && on))
        {
            throw new InfraException($"Rollout '{name}' promotes itself after its analysis (autoPromotionEnabled is on); there is nothing to promote by hand.");
        }

        return With(rollout, ["spec", "strategy", "blueGreen", "autoPromotionEnabled"], PropertyValue.True);
    }

    /// <summary>The Rollout with the pod template of the newest earlier version that differs from it.</summary>
    public static PropertyMap Abort(PropertyMap rollout, IReadOnlyList<PropertyMap> earlier, string name)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        BlueGreen(rollout, name);
        var template = Spec(rollout).GetValueOrDefault("template");
        var stable = earlier.Select(static e => e.GetValueOrDefault("spec") is { Kind: PropertyValueKind.Object } spec ? spec.AsObject.GetValueOrDefault("template") : null)
            .FirstOrDefault(t => t is not null && t != template)
            ?? throw new InfraException($"Rollout '{name}' has no earlier pod template in the GitOps history to go back to; there is no release to abort.");
        return With(rollout, ["spec", "template"], stable);
    }

    private static PropertyMap Spec(PropertyMap rollout) =>
        rollout.GetValueOrDefault("spec") is { Kind: PropertyValueKind.Object } spec ? spec.AsObject : PropertyMap.Empty;

    private static PropertyMap BlueGreen(PropertyMap rollout, string name)
    {
        if (rollout.GetString("kind") != RolloutKind)
        {
            throw new InfraException($"'{name}' is a {rollout.GetString("kind")}, not a Rollout: the tenant's release strategy is rolling (set tenant:releaseStrategy blueGreen).");
        }

        return Spec(rollout).GetValueOrDefault("strategy") is { Kind: PropertyValueKind.Object } strategy &&
               strategy.AsObject.GetValueOrDefault("blueGreen") is { Kind: PropertyValueKind.Object } blueGreen
            ? blueGreen.AsObject
            : throw new InfraException($"Rollout '{name}' has no blue-green strategy.");
    }

    private static PropertyMap With(PropertyMap map, ReadOnlySpan<string> path, PropertyValue value)
    {
        if (path.Length == 1)
        {
            return map.SetItem(path[0], value);
        }

        var inner = map.GetValueOrDefault(path[0]) is { Kind: PropertyValueKind.Object } child ? child.AsObject : PropertyMap.Empty;
        return map.SetItem(path[0], PropertyValue.Create(With(inner, path[1..], value)));
    }
}

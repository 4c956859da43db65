using System.Collections.Immutable;
using Infra.Policy;

namespace Infra.Deployment;

/// <summary>Options shared by preview, up, refresh and destroy.</summary>
public sealed record DeploymentOptions
{
    /// <summary>The default bound on concurrent provider operations: four per core.</summary>
    public static int DefaultParallel => 4 * Environment.ProcessorCount;

    /// <summary>The maximum number of concurrent provider operations; at least 1.</summary>
    public int Parallel { get; init; } = DefaultParallel;

    /// <summary>Only these URNs are changed; the rest keep their state.</summary>
    public ImmutableArray<string> Targets { get; init; } = [];

    /// <summary>With <see cref="Targets"/>: also change the resources that depend on a target.</summary>
    public bool TargetDependents { get; init; }

    /// <summary>These URNs are replaced even if unchanged.</summary>
    public ImmutableArray<string> Replaces { get; init; } = [];

    /// <summary>Read every resource back before planning.</summary>
    public bool Refresh { get; init; }

    /// <summary>Forget interrupted operations the providers cannot read back.</summary>
    public bool ClearPending { get; init; }

    /// <summary>Adopt interrupted creates with these IDs, keyed by URN.</summary>
    public ImmutableDictionary<string, string> ImportPending { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Policy packs to enforce, if any.</summary>
    public IDeploymentPolicy? Policy { get; init; }

    /// <summary>A saved plan that the update must follow exactly.</summary>
    public SavedPlan? Plan { get; init; }

    /// <summary>Checks the options and returns them, or throws with a message naming the bad option.</summary>
    /// <exception cref="InfraException">An option is out of range.</exception>
    public DeploymentOptions Validate()
    {
        if (Parallel < 1)
        {
            throw new InfraException($"--parallel must be at least 1, got {Parallel}.");
        }

        foreach (var urn in Targets.Concat(Replaces))
        {
            if (!Urn.IsValid(urn))
            {
                throw new InfraException($"'{urn}' is not a resource URN (expected urn:infra:<stack>::<project>::<type>::<name>).");
            }
        }

        return this;
    }
}

using System.Collections.Immutable;
using Infra.Policy;
using Infra.Values;

namespace Infra.Deployment;

/// <summary>
/// A plan saved by a preview and applied exactly by an update (<c>UpOptions.Plan</c>): the steps, the stack outputs,
/// the policy verdicts and the state serial the plan was made against.
/// </summary>
public sealed record SavedPlan
{
    /// <summary>
    /// The plan format version written: 2 adds each step's <c>dependencies</c>. Version 1 plans are still read, with
    /// no dependencies.
    /// </summary>
    public const int CurrentFormatVersion = 2;

    /// <summary>The oldest plan format version still read.</summary>
    public const int OldestFormatVersion = 1;

    /// <summary>The format version the plan was read from (or <see cref="CurrentFormatVersion"/> for a new plan).</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The stack.</summary>
    public required string Stack { get; init; }

    /// <summary>The project.</summary>
    public required string Project { get; init; }

    /// <summary>The state serial the plan was made against; applying the plan is refused once it moved.</summary>
    public long BaseSerial { get; init; }

    /// <summary>When the plan was made.</summary>
    public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Every resource's step, including unchanged ones.</summary>
    public ImmutableArray<PlannedStep> Steps { get; init; } = [];

    /// <summary>The stack outputs as far as known.</summary>
    public PropertyMap Outputs { get; init; } = PropertyMap.Empty;

    /// <summary>Policy violations found while planning.</summary>
    public ImmutableArray<PolicyViolation> PolicyViolations { get; init; } = [];

    /// <summary>Counts by operation.</summary>
    public ChangeSummary Summary => ChangeSummary.Of(Steps);
}

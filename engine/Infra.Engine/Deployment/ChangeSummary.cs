using System.Collections.Immutable;
using System.Text.Json;

namespace Infra.Deployment;

/// <summary>Counts of steps by operation.</summary>
public sealed record ChangeSummary
{
    /// <summary>Counts by operation; absent operations count zero.</summary>
    public ImmutableSortedDictionary<StepOp, int> Counts { get; init; } = ImmutableSortedDictionary<StepOp, int>.Empty;

    /// <summary>The count for <paramref name="op"/>.</summary>
    public int this[StepOp op] => Counts.GetValueOrDefault(op);

    /// <summary>Steps that change something (everything except same and refresh).</summary>
    public int Changes => Counts.Where(static kv => StepOps.IsChange(kv.Key)).Sum(static kv => kv.Value);

    /// <summary>Counts the operations of <paramref name="steps"/>.</summary>
    public static ChangeSummary Of(IEnumerable<PlannedStep> steps) => new()
    {
        Counts = steps.GroupBy(static s => s.Op).ToImmutableSortedDictionary(static g => g.Key, static g => g.Count()),
    };

    /// <summary>The counts as a JSON object keyed by operation name.</summary>
    public string ToJson() => JsonSerializer.Serialize(Counts.ToDictionary(static kv => StepOps.Name(kv.Key), static kv => kv.Value));
}

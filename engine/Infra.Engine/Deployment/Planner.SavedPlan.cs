using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Infra.Deployment;

internal sealed partial class Planner
{
    private readonly ImmutableDictionary<string, PlannedStep>? _expected;
    private readonly ConcurrentDictionary<string, bool> _planned = new(StringComparer.Ordinal);

    private static string PlanKey(PlannedStep step) => step.Op is StepOp.Delete or StepOp.Forget ? step.Urn + "#delete" : step.Urn;

    /// <summary>
    /// With a saved plan, refuses any step the plan did not promise: a different operation, or a known input that
    /// differs. A planned update or replace may turn out to be no change once unknowns resolve.
    /// </summary>
    /// <exception cref="PlanMismatchException">The step differs from the plan.</exception>
    private PlannedStep Checked(PlannedStep step)
    {
        if (_expected is null)
        {
            return step;
        }

        var key = PlanKey(step);
        _planned[key] = true;
        if (!_expected.TryGetValue(key, out var planned))
        {
            throw new PlanMismatchException(step.Urn, $"the update would {StepOps.Name(step.Op)} it, but the saved plan does not mention it.");
        }

        var allowed = planned.Op == step.Op || (step.Op == StepOp.Same && planned.Op is StepOp.Update or StepOp.Replace);
        if (!allowed)
        {
            throw new PlanMismatchException(step.Urn,
                $"the saved plan says {StepOps.Name(planned.Op)} but the update would {StepOps.Name(step.Op)}; the program or its inputs changed since the plan was made.");
        }

        if (planned.NewInputs is { } expected && step.NewInputs is { } actual)
        {
            foreach (var (name, value) in expected)
            {
                if (value.IsFullyKnown && !value.RevealAll().Equals(actual.GetValueOrDefault(name)?.RevealAll()))
                {
                    throw new PlanMismatchException(step.Urn, $"input '{name}' differs from the saved plan.");
                }
            }
        }

        return step;
    }

    /// <summary>The changes the saved plan promised that the update did not reach: each one fails the update.</summary>
    public IEnumerable<PlanMismatchException> Uncovered() =>
        _expected is null
            ? []
            : _expected.Values
                .Where(planned => StepOps.IsChange(planned.Op) && !_planned.ContainsKey(PlanKey(planned)))
                .Select(static planned => new PlanMismatchException(planned.Urn,
                    $"the saved plan says {StepOps.Name(planned.Op)}, but the update no longer includes it."));
}

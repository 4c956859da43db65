using System.Collections.Concurrent;

namespace Infra.Deployment;

internal sealed partial class Deployment
{
    private readonly ConcurrentDictionary<string, bool> _planned = new(StringComparer.Ordinal);

    private static string PlanKey(PlannedStep step) => step.Op is StepOp.Delete or StepOp.Forget ? step.Urn + "#delete" : step.Urn;

    /// <summary>
    /// With a saved plan, refuses any step the plan did not promise: a different operation, or a known input that
    /// differs. A planned update or replace may turn out to be no change once unknowns resolve.
    /// </summary>
    private void CheckAgainstPlan(PlannedStep step)
    {
        if (_expected is null)
        {
            return;
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
            foreach (var (key2, value) in expected)
            {
                if (value.IsFullyKnown && !value.RevealAll().Equals(actual.GetValueOrDefault(key2)?.RevealAll()))
                {
                    throw new PlanMismatchException(step.Urn, $"input '{key2}' differs from the saved plan.");
                }
            }
        }
    }

    /// <summary>Every change the plan promised must have happened (or been found unnecessary).</summary>
    private void CheckPlanCovered()
    {
        if (_expected is null || _stopping)
        {
            return;
        }

        foreach (var planned in _expected.Values)
        {
            if (StepOps.IsChange(planned.Op) && !_planned.ContainsKey(PlanKey(planned)))
            {
                Fail(new PlanMismatchException(planned.Urn, $"the saved plan says {StepOps.Name(planned.Op)}, but the update no longer includes it."));
            }
        }
    }
}

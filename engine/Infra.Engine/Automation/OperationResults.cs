using System.Collections.Immutable;
using Infra.Deployment;
using Infra.Policy;
using Infra.Values;

namespace Infra.Automation;

/// <summary>What a preview found.</summary>
public sealed record PreviewResult
{
    /// <summary>The plan, which an update can apply exactly (<see cref="UpOptions.Plan"/>).</summary>
    public required SavedPlan Plan { get; init; }

    /// <summary>Counts by operation.</summary>
    public ChangeSummary Summary => Plan.Summary;

    /// <summary>Policy violations.</summary>
    public ImmutableArray<PolicyViolation> Violations => Plan.PolicyViolations;

    /// <summary>True when the plan changes anything.</summary>
    public bool HasChanges => Summary.Changes > 0;

    /// <summary>How long planning took.</summary>
    public TimeSpan Duration { get; init; }
}

/// <summary>What an up, refresh, destroy or import did.</summary>
public sealed record UpdateResult
{
    /// <summary>update, refresh, destroy or import.</summary>
    public required string Kind { get; init; }

    /// <summary>The history ID of the update.</summary>
    public long UpdateId { get; init; }

    /// <summary>The steps taken, in plan order.</summary>
    public ImmutableArray<PlannedStep> Steps { get; init; } = [];

    /// <summary>Counts by operation.</summary>
    public ChangeSummary Summary => ChangeSummary.Of(Steps);

    /// <summary>The stack outputs afterwards.</summary>
    public PropertyMap Outputs { get; init; } = PropertyMap.Empty;

    /// <summary>Policy violations (advisory ones; mandatory ones stop the update).</summary>
    public ImmutableArray<PolicyViolation> Violations { get; init; } = [];

    /// <summary>The preview that preceded the update, if any.</summary>
    public PreviewResult? Preview { get; init; }

    /// <summary>
    /// Destroy only: the URNs kept because they are protected or attached to a protected resource (a schema inside a
    /// protected database, its grants) and everything those depend on. Empty when the stack was destroyed entirely.
    /// </summary>
    public ImmutableArray<string> Kept { get; init; } = [];

    /// <summary>True when the confirmation callback declined and nothing changed.</summary>
    public bool Declined { get; init; }

    /// <summary>How long the update took, as its history record says (from taking the lock to the end).</summary>
    public TimeSpan Duration { get; init; }
}

/// <summary>An operation failed; <see cref="Failures"/> holds every error, and state holds what succeeded.</summary>
public sealed class UpdateFailedException : InfraException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="stack">The stack.</param>
    /// <param name="operation">preview, update or destroy.</param>
    /// <param name="failures">Every failure: resource errors (with their URN) and stack errors.</param>
    /// <param name="partial">What was done before the failure, if anything.</param>
    public UpdateFailedException(string stack, string operation, ImmutableArray<InfraException> failures, UpdateResult? partial)
        : base(Describe(stack, operation, failures, static f => f.Message))
    {
        Stack = stack;
        Operation = operation;
        Failures = failures;
        Partial = partial;
    }

    /// <summary>The stack.</summary>
    public string Stack { get; }

    /// <summary>The operation that failed: preview, update or destroy.</summary>
    public string Operation { get; }

    /// <summary>Every failure, typed: a <see cref="ResourceException"/> names its resource.</summary>
    public ImmutableArray<InfraException> Failures { get; }

    /// <summary>Every failure's message, each naming its resource.</summary>
    public ImmutableArray<string> Errors => [.. Failures.Select(static f => f.Message)];

    /// <summary>What was done before the failure, if anything.</summary>
    public UpdateResult? Partial { get; }

    /// <summary>The one-line summary of <paramref name="failures"/>, each worded by <paramref name="text"/>; hosts reword it with their advice.</summary>
    public static string Describe(string stack, string operation, ImmutableArray<InfraException> failures, Func<InfraException, string> text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return failures.Length == 1
            ? $"{operation} of stack '{stack}' failed: {text(failures[0])}"
            : $"{operation} of stack '{stack}' failed with {failures.Length} errors; first: {(failures.IsEmpty ? string.Empty : text(failures[0]))}";
    }
}

/// <summary>Mandatory policies failed: nothing was changed.</summary>
public sealed class PolicyViolationException : InfraException
{
    /// <summary>Creates the exception.</summary>
    public PolicyViolationException(string stack, ImmutableArray<PolicyViolation> violations, PreviewResult preview)
        : base($"stack '{stack}': {violations.Count(static v => v.Level == EnforcementLevel.Mandatory)} mandatory policy violation(s), first: " +
               FirstMandatory(violations) + "; nothing was changed.")
    {
        Stack = stack;
        Violations = violations;
        Preview = preview;
    }

    /// <summary>The stack.</summary>
    public string Stack { get; }

    /// <summary>All violations, including advisory ones.</summary>
    public ImmutableArray<PolicyViolation> Violations { get; }

    /// <summary>The preview that found them.</summary>
    public PreviewResult Preview { get; }

    private static string FirstMandatory(ImmutableArray<PolicyViolation> violations) =>
        violations.FirstOrDefault(static v => v.Level == EnforcementLevel.Mandatory) is { } v
            ? $"{v.Pack}/{v.Policy}{(v.Urn is null ? string.Empty : $" on {v.Urn}")}: {v.Message}"
            : string.Empty;
}

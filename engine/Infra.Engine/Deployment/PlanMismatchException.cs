namespace Infra.Deployment;

/// <summary>
/// An update applying a saved plan would do something the plan did not promise, or no longer does what it promised:
/// the program, its inputs or the state changed since the plan was made, so the plan must be made again.
/// </summary>
public sealed class PlanMismatchException : ResourceException
{
    /// <summary>Creates the error for the resource <paramref name="urn"/>.</summary>
    public PlanMismatchException(string urn, string message)
        : base(urn, message)
    {
    }
}

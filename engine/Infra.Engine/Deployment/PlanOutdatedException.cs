namespace Infra.Deployment;

/// <summary>A saved plan was made against another state of the stack (or another stack); it must be made again.</summary>
public sealed class PlanOutdatedException : InfraException
{
    /// <summary>Creates the error.</summary>
    public PlanOutdatedException(string message)
        : base(message)
    {
    }
}

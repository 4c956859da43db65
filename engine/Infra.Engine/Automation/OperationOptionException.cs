namespace Infra.Automation;

/// <summary>
/// An operation option is wrong: <see cref="Option"/> names the <see cref="OperationOptions"/> property, so a host can
/// name its own spelling of it (a CLI flag, a request field) in front of <see cref="Problem"/>.
/// </summary>
public sealed class OperationOptionException : InfraException
{
    /// <summary>Creates the error for <paramref name="option"/>.</summary>
    /// <param name="option">The <see cref="OperationOptions"/> property at fault, e.g. <c>Parallel</c>.</param>
    /// <param name="problem">What is wrong with it, a sentence that follows the option's name.</param>
    public OperationOptionException(string option, string problem)
        : base($"operation option {option} {problem}")
    {
        Option = option;
        Problem = problem;
    }

    /// <summary>The <see cref="OperationOptions"/> property at fault.</summary>
    public string Option { get; }

    /// <summary>What is wrong, e.g. <c>must be at least 1, got 0.</c></summary>
    public string Problem { get; }
}

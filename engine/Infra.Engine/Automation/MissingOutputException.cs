namespace Infra.Automation;

/// <summary>A stack has no output of that name: it has not been brought up yet, or its program does not export it.</summary>
public sealed class MissingOutputException : InfraException
{
    /// <summary>Creates the error for <paramref name="output"/> of <paramref name="stack"/>.</summary>
    public MissingOutputException(string stack, string output)
        : base($"stack '{stack}' has no output '{output}'; bring the stack up first.")
    {
        Stack = stack;
        Output = output;
    }

    /// <summary>The stack.</summary>
    public string Stack { get; }

    /// <summary>The output that is missing.</summary>
    public string Output { get; }
}

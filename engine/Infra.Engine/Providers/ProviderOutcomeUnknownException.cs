namespace Infra.Providers;

/// <summary>
/// A provider call that ended without an answer: the provider may or may not have done the work (an out-of-process
/// provider crashed or hung mid-call). Like a timeout, the engine keeps the operation pending in the journal, and the
/// next run reads the resource back to settle it, instead of assuming the operation did not happen.
/// </summary>
public class ProviderOutcomeUnknownException : InfraException
{
    /// <summary>Creates the error with a one-line message naming the provider and what happened.</summary>
    public ProviderOutcomeUnknownException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }

    /// <summary>Creates the error with a one-line message.</summary>
    public ProviderOutcomeUnknownException(string message) : base(message)
    {
    }

    /// <summary>Creates the error with no message; prefer the overloads that say what went wrong.</summary>
    public ProviderOutcomeUnknownException() : base("A provider call ended without an answer.")
    {
    }
}

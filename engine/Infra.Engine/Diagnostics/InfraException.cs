namespace Infra;

/// <summary>
/// An error the user can act on. Its message is one line that names the file, key, stack or resource at fault
/// and, where there is one, the fix. The CLI prints it as <c>error: message</c> and exits 1.
/// </summary>
public class InfraException : Exception
{
    /// <summary>Creates an error with a user-facing message.</summary>
    public InfraException(string message) : base(message)
    {
    }

    /// <summary>Creates an error with a user-facing message and the exception that caused it.</summary>
    public InfraException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates an error with no message; prefer the overloads that say what went wrong.</summary>
    public InfraException() : base("An infra operation failed.")
    {
    }
}

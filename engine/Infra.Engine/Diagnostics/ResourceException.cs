namespace Infra;

/// <summary>An error that belongs to one resource; the message starts with its URN.</summary>
public class ResourceException : InfraException
{
    /// <summary>Creates an error for the resource <paramref name="urn"/>.</summary>
    public ResourceException(string urn, string message, Exception? innerException = null)
        : base($"{urn}: {message}", innerException)
    {
        Urn = urn;
        Reason = message;
    }

    /// <summary>The URN of the resource at fault.</summary>
    public string Urn { get; }

    /// <summary>The message without the URN prefix.</summary>
    public string Reason { get; }
}

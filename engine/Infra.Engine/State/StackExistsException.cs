namespace Infra.State;

/// <summary>A stack of that name already exists in the state backend.</summary>
public sealed class StackExistsException : InfraException
{
    /// <summary>Creates the error for <paramref name="stack"/> in the backend at <paramref name="location"/>.</summary>
    public StackExistsException(string stack, string location)
        : base($"stack '{stack}' already exists in {location}.")
    {
        Stack = stack;
        Location = location;
    }

    /// <summary>The stack.</summary>
    public string Stack { get; }

    /// <summary>The backend's display URL.</summary>
    public string Location { get; }
}

namespace Infra.State;

/// <summary>The stack does not exist in the state backend.</summary>
public sealed class StackNotFoundException : InfraException
{
    /// <summary>Creates the error for <paramref name="stack"/> in the backend at <paramref name="location"/>.</summary>
    public StackNotFoundException(string stack, string location)
        : base($"stack '{stack}' does not exist in {location}.")
    {
        Stack = stack;
        Location = location;
    }

    /// <summary>The stack.</summary>
    public string Stack { get; }

    /// <summary>The backend's display URL.</summary>
    public string Location { get; }
}

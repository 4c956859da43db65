namespace Infra.State;

/// <summary>A stack that still has resources cannot be removed without forgetting them.</summary>
public sealed class StackNotEmptyException : InfraException
{
    /// <summary>Creates the error for <paramref name="stack"/> holding <paramref name="resourceCount"/> resources.</summary>
    public StackNotEmptyException(string stack, int resourceCount)
        : base($"stack '{stack}' still has {resourceCount} resource(s); destroy them first, or remove the stack with force to forget them.")
    {
        Stack = stack;
        ResourceCount = resourceCount;
    }

    /// <summary>The stack.</summary>
    public string Stack { get; }

    /// <summary>How many resources its state holds.</summary>
    public int ResourceCount { get; }
}

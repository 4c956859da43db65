using Infra.State;

namespace Infra.Locks;

/// <summary>Another run holds the stack's lock; the message names the holder and how to clear a stale lock.</summary>
public sealed class StackLockedException : InfraException
{
    /// <summary>Creates the exception.</summary>
    public StackLockedException(string stack, LockInfo? holder)
        : base(holder is null
            ? $"stack '{stack}' is locked by another run; try again."
            : $"stack '{stack}' is locked by {holder.Describe()}; wait for it to finish, or if it is gone run 'infra cancel -s {stack}'.")
    {
        Stack = stack;
        Holder = holder;
    }

    /// <summary>The locked stack.</summary>
    public string Stack { get; }

    /// <summary>The holder, if known.</summary>
    public LockInfo? Holder { get; }
}

using Infra.State;

namespace Infra.Locks;

/// <summary>
/// Another run holds the stack's lock. The error names the holder; a holder that is gone without its lease having
/// expired (it ran on another host) is cleared with <c>WorkspaceStack.CancelAsync</c>.
/// </summary>
public sealed class StackLockedException : InfraException
{
    /// <summary>Creates the exception.</summary>
    public StackLockedException(string stack, LockInfo? holder)
        : base(holder is null
            ? $"stack '{stack}' is locked by another run; try again."
            : $"stack '{stack}' is locked by {holder.Describe()}; wait for it to finish, or cancel its lock if that run is gone.")
    {
        Stack = stack;
        Holder = holder;
    }

    /// <summary>The locked stack.</summary>
    public string Stack { get; }

    /// <summary>The holder, if known.</summary>
    public LockInfo? Holder { get; }
}

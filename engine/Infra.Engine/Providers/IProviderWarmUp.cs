namespace Infra.Providers;

/// <summary>
/// A provider factory whose providers take a while to become ready, such as a plugin process that must start and
/// answer its handshake. The engine calls <see cref="WarmUp"/> as soon as an operation opens, before it takes the
/// stack's lock, loads state and runs the program, so that the wait overlaps them instead of delaying the first
/// provider call.
/// </summary>
public interface IProviderWarmUp
{
    /// <summary>
    /// Begins making ready the providers of <paramref name="context"/>'s operation (<see cref="ProviderContext.Operation"/>)
    /// and returns at once. What it starts belongs to the operation: the engine disposes the returned handle when the
    /// operation ends, whether or not a provider of the package was used. A failure is not thrown here: the first
    /// provider call that needs what failed reports it.
    /// </summary>
    IAsyncDisposable WarmUp(ProviderContext context);
}

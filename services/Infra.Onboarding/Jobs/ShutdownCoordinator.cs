using Microsoft.Extensions.Options;

namespace Infra.Onboarding.Jobs;

/// <summary>
/// Graceful shutdown of running operations: when the host stops, the job server stops taking jobs, running
/// operations get <see cref="JobOptions.ShutdownTimeout"/> to finish, and then <see cref="OperationToken"/> cancels
/// them through the engine, which stops starting steps and records every step that completed.
/// </summary>
internal sealed class ShutdownCoordinator : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly CancellationTokenRegistration _registration;

    public ShutdownCoordinator(IHostApplicationLifetime lifetime, IOptions<OnboardingOptions> options)
    {
        var grace = options.Value.Jobs.ShutdownTimeout;
        _registration = lifetime.ApplicationStopping.Register(() => _cancel.CancelAfter(grace));
    }

    /// <summary>Cancelled a grace period after shutdown starts.</summary>
    public CancellationToken OperationToken => _cancel.Token;

    public void Dispose()
    {
        _registration.Dispose();
        _cancel.Dispose();
    }
}

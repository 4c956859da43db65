namespace Infra.Onboarding.Telemetry;

/// <summary>The service's log messages, in one place (source-generated: nothing is formatted unless the level is on).</summary>
internal static partial class Log
{
    [LoggerMessage(LogLevel.Information, "Operation {Kind} of tenant {Tenant} started (attempt {Attempt})")]
    public static partial void OperationStarted(this ILogger logger, string kind, string tenant, int attempt);

    [LoggerMessage(LogLevel.Information, "Operation {Kind} of tenant {Tenant} succeeded")]
    public static partial void OperationSucceeded(this ILogger logger, string kind, string tenant);

    [LoggerMessage(LogLevel.Warning, "Operation {Kind} of tenant {Tenant} interrupted by shutdown; it resumes on restart")]
    public static partial void OperationInterrupted(this ILogger logger, string kind, string tenant);

    [LoggerMessage(LogLevel.Warning, "Operation {Kind} of tenant {Tenant} failed ({Reason}), will retry: {Error}")]
    public static partial void OperationRetrying(this ILogger logger, string kind, string tenant, string reason, string error);

    [LoggerMessage(LogLevel.Warning, "Operation {Kind} of tenant {Tenant} waits for its stack's lock (attempt {Attempt}), trying again in {Seconds} s: {Error}")]
    public static partial void OperationWaitingForLock(this ILogger logger, string kind, string tenant, int attempt, double seconds, string error);

    [LoggerMessage(LogLevel.Error, "Operation {Kind} of tenant {Tenant} failed ({Reason}): {Error}")]
    public static partial void OperationFailed(this ILogger logger, string kind, string tenant, string reason, string error);

    [LoggerMessage(LogLevel.Information, "Queued operation {Operation}, which was recorded but not queued")]
    public static partial void OperationRequeued(this ILogger logger, Guid operation);

    [LoggerMessage(LogLevel.Warning, "Could not {Task}: {Error}")]
    public static partial void BackgroundTaskFailed(this ILogger logger, string task, string error);

    [LoggerMessage(LogLevel.Information, "Tenant stacks: state in {Backend}, config in {ConfigStore}, project {Project}")]
    public static partial void WorkspaceOpened(this ILogger logger, string backend, string configStore, string project);
}

using Infra.Automation;
using Infra.Locks;
using Infra.State;
using Npgsql;

namespace Infra.Onboarding.Jobs;

/// <summary>
/// Why an operation failed, in the service's terms: a reason (the metric label and the API's <c>errorReason</c>),
/// a one-line message, and whether trying again can help.
/// </summary>
internal sealed record OperationFailure(string Reason, string Message, bool Transient)
{
    public static OperationFailure Classify(Exception exception) => exception switch
    {
        ConfigException config => new("config", OneLine(config.Message), Transient: false),
        PolicyViolationException policy => new("policy", OneLine(policy.Message), Transient: false),
        StackLockedException locked => new("locked", OneLine(locked.Message), Transient: true),
        LockLostException lost => new("lock-lost", OneLine(lost.Message), Transient: true),
        // A failed step may be a server restart or a full connection table; an up converges, so trying again is safe.
        UpdateFailedException failed => new("engine", OneLine(failed.Message), Transient: true),
        NpgsqlException database => new("database", OneLine(database.Message), Transient: true),
        TimeoutException timeout => new("timeout", OneLine(timeout.Message), Transient: true),
        IOException io => new("io", OneLine(io.Message), Transient: true),
        InfraException infra when infra.InnerException is NpgsqlException or IOException => new("database", OneLine(infra.Message), Transient: true),
        InfraException infra => new("engine", OneLine(infra.Message), Transient: false),
        _ => new("unexpected", $"{exception.GetType().Name}: {OneLine(exception.Message)}", Transient: true),
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}

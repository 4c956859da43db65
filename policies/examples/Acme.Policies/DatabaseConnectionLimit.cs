using Infra.Policies;
using Infra.Policy;

namespace Acme.Policies;

/// <summary>Databases set a connection limit between 1 and <c>max</c>, so one tenant cannot exhaust the server's connections.</summary>
public sealed class DatabaseConnectionLimit : ResourcePolicy
{
    /// <inheritdoc/>
    public override string Name => "database-connection-limit";

    /// <inheritdoc/>
    public override string Description => "Databases set a connection limit no higher than 'max'.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override PolicyConfigSchema Config { get; } = PolicyConfigSchema.Empty
        .Integer("max", "The highest connection limit allowed.", defaultValue: 100, minimum: 1);

    /// <inheritdoc/>
    public override ResourceSelector Selector { get; } = ResourceSelector.Type("postgres:index:Database");

    /// <inheritdoc/>
    public override void Validate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var max = context.Config.GetInt64("max");
        var limit = context.Inputs.At("connectionLimit");
        if (limit.IsUnresolved())
        {
            return;
        }

        if (limit is null || !limit.TryGetNumber(out var value) || value < 1 || value > max)
        {
            context.Report($"set connectionLimit between 1 and {max} (it is {limit?.ToString() ?? "unset, which means unlimited"}).");
        }
    }
}

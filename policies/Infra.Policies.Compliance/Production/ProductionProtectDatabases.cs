using Infra.Policy;

namespace Infra.Policies.Compliance.Production;

/// <summary>On production stacks, every database is protected (resource option <c>Protect = true</c>).</summary>
/// <remarks>
/// Rationale: a protected resource cannot be deleted or replaced by the engine, so neither a destroy, a program
/// that stops declaring the database, nor a change that forces replacement (a new name, encoding or template) can
/// drop production data. Removing it takes two deliberate steps: unprotect, then delete.
/// </remarks>
public sealed class ProductionProtectDatabases : ResourcePolicy
{
    /// <inheritdoc/>
    public override string Name => "production-protect-databases";

    /// <inheritdoc/>
    public override string Description => "On production stacks, databases are protected against deletion and replacement.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override ResourceSelector Selector { get; } = ResourceSelector.Type(ResourceTypes.PostgresDatabase);

    /// <inheritdoc/>
    public override void Validate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (CompliancePack.IsProduction(context.PackConfig) && !context.Resource.Protect)
        {
            context.Report("production databases must be protected: declare the database with Protect = true, so no destroy or replacement can drop it.");
        }
    }
}

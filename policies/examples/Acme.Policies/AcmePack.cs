using Infra.Policies;

namespace Acme.Policies;

/// <summary>Acme's conventions: every Kubernetes object names its owner, and databases cap their connections.</summary>
public sealed class AcmePack : PolicyPack
{
    /// <inheritdoc/>
    public override string Name => "acme";

    /// <inheritdoc/>
    public override string Description => "Acme's labelling and database conventions.";

    /// <inheritdoc/>
    public override IReadOnlyList<PolicyDefinition> Policies { get; } = [new OwnerLabel(), new DatabaseConnectionLimit()];
}

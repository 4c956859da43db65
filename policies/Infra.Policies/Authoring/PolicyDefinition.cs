using Infra.Policy;

namespace Infra.Policies;

/// <summary>
/// What every policy has: a name, a description, a default enforcement level and a config schema. Derive from
/// <see cref="ResourcePolicy"/>, <see cref="RemediatingResourcePolicy"/> or <see cref="StackPolicy"/>, not from this class.
/// </summary>
public abstract class PolicyDefinition
{
    private protected PolicyDefinition()
    {
    }

    /// <summary>
    /// The policy's name: lower-case letters, digits and <c>-</c>, unique in its pack, e.g. <c>min-backup-retention</c>.
    /// It is the key of the policy's settings in a stack settings file.
    /// </summary>
    public abstract string Name { get; }

    /// <summary>What the policy requires and why, in a sentence or two; shown by <c>infra policy ls</c>.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// The level the policy runs at unless the stack settings say otherwise. <see cref="EnforcementLevel.Remediate"/>
    /// is only valid for a <see cref="RemediatingResourcePolicy"/>.
    /// </summary>
    public virtual EnforcementLevel DefaultLevel => EnforcementLevel.Advisory;

    /// <summary>The settings the policy accepts per stack, with their types and defaults.</summary>
    public virtual PolicyConfigSchema Config => PolicyConfigSchema.Empty;

    /// <summary>True when the policy can rewrite inputs (it is a <see cref="RemediatingResourcePolicy"/>).</summary>
    public bool CanRemediate => this is RemediatingResourcePolicy;

    /// <summary>The policy's name.</summary>
    public override string ToString() => Name;
}

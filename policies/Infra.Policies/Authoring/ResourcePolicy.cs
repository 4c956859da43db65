namespace Infra.Policies;

/// <summary>
/// A policy that validates one resource's inputs at a time. The engine calls it for every resource its
/// <see cref="Selector"/> matches, after the provider's check and before diff, in preview and in up.
/// </summary>
/// <example>
/// <code>
/// public sealed class DatabaseConnectionLimit : ResourcePolicy
/// {
///     public override string Name =&gt; "database-connection-limit";
///     public override string Description =&gt; "Databases set a connection limit no higher than 'max'.";
///     public override EnforcementLevel DefaultLevel =&gt; EnforcementLevel.Mandatory;
///     public override PolicyConfigSchema Config { get; } = PolicyConfigSchema.Empty
///         .Integer("max", "The highest connection limit allowed.", defaultValue: 100, minimum: 1);
///     public override ResourceSelector Selector { get; } = ResourceSelector.Type("postgres:index:Database");
///
///     public override void Validate(ResourcePolicyContext context)
///     {
///         var max = context.Config.GetInt64("max");
///         var limit = context.Inputs.At("connectionLimit");
///         if (limit.IsUnresolved()) return;                      // known only at apply time
///         if (limit is null || !limit.TryGetNumber(out var n) || n &lt; 1 || n &gt; max)
///             context.Report($"set connectionLimit between 1 and {max}.");
///     }
/// }
/// </code>
/// </example>
public abstract class ResourcePolicy : PolicyDefinition
{
    /// <summary>Which resources the policy looks at.</summary>
    public abstract ResourceSelector Selector { get; }

    /// <summary>
    /// Checks one resource and calls <see cref="ResourcePolicyContext.Report"/> once per problem found. Inputs may hold
    /// unknown values in a preview: skip what cannot be decided yet (up checks again with every value known). A policy
    /// that throws is reported as an error of that policy, never as a pass.
    /// </summary>
    public abstract void Validate(ResourcePolicyContext context);
}

/// <summary>
/// A resource policy that can also fix what it finds. At level <see cref="Infra.Policy.EnforcementLevel.Remediate"/>
/// the engine calls <see cref="Remediate"/> first and uses the inputs it returns, so the plan shows the rewrite and up
/// applies it; <see cref="ResourcePolicy.Validate"/> then runs on the rewritten inputs, and whatever it still reports
/// is enforced as mandatory. At the other levels the policy only validates.
/// </summary>
public abstract class RemediatingResourcePolicy : ResourcePolicy
{
    /// <summary>
    /// Returns <see cref="ResourcePolicyContext.Inputs"/> rewritten to comply, or the same map when they comply already.
    /// Rewrite only what the policy is about; leave unknown values alone.
    /// </summary>
    public abstract Values.PropertyMap Remediate(ResourcePolicyContext context);
}

/// <summary>
/// A policy that sees every resource of the stack together, for rules about relationships: "every tenant namespace
/// has a default-deny NetworkPolicy", "every database has a backup schedule". It runs once per preview or up, after
/// every resource policy, on the inputs as remediated.
/// </summary>
public abstract class StackPolicy : PolicyDefinition
{
    /// <summary>
    /// Checks the stack and reports each problem with <see cref="StackPolicyContext.Report(Infra.Policy.PolicyResource, string)"/>
    /// (naming the resource at fault) or <see cref="StackPolicyContext.Report(string)"/>. A policy that throws is
    /// reported as an error of that policy.
    /// </summary>
    public abstract void Validate(StackPolicyContext context);
}

using System.Reflection;

namespace Infra.Policies;

/// <summary>
/// A policy pack: a named, versioned set of policies shipped as a .NET assembly. Derive from it, give it a name and
/// list its policies; the engine enforces them at preview and at up, and <c>infra policy test</c> against saved plans.
/// </summary>
/// <remarks>
/// <para>A pack is loaded either in code (a built-in pack such as <c>compliance</c>) or from an assembly file with
/// <c>--policy-pack path/to/Pack.dll</c>; the loader instantiates every public, non-abstract <see cref="PolicyPack"/>
/// with a public parameterless constructor it finds in the assembly.</para>
/// <para>Packs and policies are shared by every stack an engine process runs, concurrently: keep them immutable and
/// put per-run facts in the contexts the policies receive.</para>
/// </remarks>
/// <example>
/// <code>
/// public sealed class AcmePack : PolicyPack
/// {
///     public override string Name =&gt; "acme";
///     public override string Description =&gt; "Acme's conventions for stacks.";
///     public override IReadOnlyList&lt;PolicyDefinition&gt; Policies { get; } = [new OwnerLabel(), new DatabaseConnectionLimit()];
/// }
/// </code>
/// </example>
public abstract class PolicyPack
{
    /// <summary>
    /// The pack's name: lower-case letters, digits and <c>-</c>, e.g. <c>compliance</c>. It is the key of the pack's
    /// section under <c>policies:</c> in a stack settings file and appears in every violation.
    /// </summary>
    public abstract string Name { get; }

    /// <summary>
    /// The pack's version, reported with every violation. Defaults to the assembly's informational version (the
    /// project's <c>&lt;Version&gt;</c>) without build metadata, so bumping the project version bumps the pack.
    /// </summary>
    public virtual string Version => VersionOf(GetType().Assembly);

    /// <summary>One sentence on what the pack enforces, shown by <c>infra policy ls</c>.</summary>
    public virtual string Description => string.Empty;

    /// <summary>The pack's policies, in the order they run.</summary>
    public abstract IReadOnlyList<PolicyDefinition> Policies { get; }

    /// <summary>
    /// Settings shared by every policy of the pack, set per stack at the pack's level of the settings file
    /// (e.g. <c>policies: { compliance: { production: true } }</c>) and read through
    /// <see cref="ResourcePolicyContext.PackConfig"/> and <see cref="StackPolicyContext.PackConfig"/>.
    /// </summary>
    public virtual PolicyConfigSchema Config => PolicyConfigSchema.Empty;

    /// <summary>The pack's name and version.</summary>
    public override string ToString() => $"{Name}@{Version}";

    /// <summary>The informational version of <paramref name="assembly"/> without its <c>+build</c> suffix.</summary>
    internal static string VersionOf(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrWhiteSpace(informational))
        {
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }

        return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}

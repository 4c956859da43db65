using System.Collections.Immutable;

namespace Infra;

/// <summary>
/// A reusable group of resources. Declare children with <c>Parent = this</c> so their URNs nest under the
/// component, then call <see cref="RegisterOutputs"/> with what the component exposes. A resource that depends
/// on a component waits for all of the component's children.
/// </summary>
/// <example>
/// <code>
/// public sealed class TenantDatabase : ComponentResource
/// {
///     public TenantDatabase(string name, TenantDatabaseArgs args, ComponentResourceOptions? options = null)
///         : base("infra:components:TenantDatabase", name, options)
///     {
///         var password = new RandomPassword($"{name}-password", new() { Length = 32 }, new() { Parent = this });
///         Password = password.Result;
///         RegisterOutputs(new Dictionary&lt;string, object?&gt; { ["password"] = Password });
///     }
///
///     public Output&lt;string&gt; Password { get; }
/// }
/// </code>
/// </example>
public abstract class ComponentResource : Resource
{
    private ImmutableDictionary<string, object?> _outputs = ImmutableDictionary<string, object?>.Empty;

    /// <summary>Declares a component.</summary>
    /// <param name="type">The component's type token, e.g. <c>infra:components:TenantDatabase</c>.</param>
    /// <param name="name">The component's name.</param>
    /// <param name="options">Resource options.</param>
    protected ComponentResource(string type, string name, ComponentResourceOptions? options = null)
        : base(type, name, args: null, options, isCustom: false)
    {
    }

    /// <summary>Outputs recorded in state for this component; values may be outputs, inputs or plain values.</summary>
    internal ImmutableDictionary<string, object?> RegisteredOutputs => _outputs;

    /// <summary>Records the component's outputs; call once, at the end of the constructor.</summary>
    protected void RegisterOutputs(IReadOnlyDictionary<string, object?> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        _outputs = outputs.ToImmutableDictionary(StringComparer.Ordinal);
    }
}

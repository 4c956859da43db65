namespace Infra;

/// <summary>
/// A resource managed by a provider. The provider is chosen by the package part of the type token
/// (<c>random</c> in <c>random:index:RandomPassword</c>).
/// </summary>
/// <example>
/// <code>
/// public sealed class RandomPassword : CustomResource
/// {
///     public RandomPassword(string name, RandomPasswordArgs args, CustomResourceOptions? options = null)
///         : base("random:index:RandomPassword", name, args, options) { }
///
///     public Output&lt;string&gt; Result =&gt; GetOutput&lt;string&gt;("result");
/// }
/// </code>
/// </example>
public abstract class CustomResource : Resource
{
    /// <summary>Declares a provider-managed resource.</summary>
    /// <param name="type">The type token.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="args">An immutable args record; its properties become the provider's inputs.</param>
    /// <param name="options">Resource options.</param>
    protected CustomResource(string type, string name, object? args, CustomResourceOptions? options = null)
        : base(type, name, args, options, isCustom: true)
    {
        Id = new Output<string>(new ResourcePropertyNode<string>(this, property: null));
    }

    /// <summary>The provider-assigned ID; unknown in a preview of a create.</summary>
    public Output<string> Id { get; }

    /// <summary>The package that provides this resource: the type token's first part.</summary>
    public string Package => Type[..Type.IndexOf(':', StringComparison.Ordinal)];

    /// <summary>Reads one of the provider's output properties.</summary>
    /// <typeparam name="T">The property's type.</typeparam>
    /// <param name="property">The property-bag name, e.g. <c>result</c>.</param>
    protected Output<T> GetOutput<T>(string property) => new(new ResourcePropertyNode<T>(this, property));
}

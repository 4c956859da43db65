namespace Infra;

/// <summary>
/// Names a property of an args record in the provider's property bag. Without it the property's name is
/// camelCased: <c>ConnectionLimit</c> becomes <c>connectionLimit</c>.
/// </summary>
/// <param name="name">The property-bag name.</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class InputAttribute(string name) : Attribute
{
    /// <summary>The property-bag name.</summary>
    public string Name { get; } = name;
}

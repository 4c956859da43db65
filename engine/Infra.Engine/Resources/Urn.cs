namespace Infra;

/// <summary>
/// Builds and reads resource URNs: <c>urn:infra:&lt;stack&gt;::&lt;project&gt;::&lt;parent$type&gt;::&lt;name&gt;</c>, where
/// the type part lists the types of the resource's ancestors, then its own, joined by <c>$</c>. A URN is stable
/// for as long as the stack, project, parent chain, type and name stay the same; aliases carry a resource across
/// a change to any of them.
/// </summary>
public static class Urn
{
    /// <summary>The URN prefix.</summary>
    public const string Prefix = "urn:infra:";

    /// <summary>Builds a URN.</summary>
    /// <param name="stack">Stack name.</param>
    /// <param name="project">Project name.</param>
    /// <param name="parentTypeChain">The ancestors' type chain (<c>a$b</c>), or <see langword="null"/> for a top-level resource.</param>
    /// <param name="type">The resource type token.</param>
    /// <param name="name">The resource name.</param>
    public static string Create(string stack, string project, string? parentTypeChain, string type, string name) =>
        $"{Prefix}{stack}::{project}::{QualifiedType(parentTypeChain, type)}::{name}";

    /// <summary>The <c>parent$type</c> chain for a resource of <paramref name="type"/> under the given chain.</summary>
    public static string QualifiedType(string? parentTypeChain, string type) =>
        string.IsNullOrEmpty(parentTypeChain) ? type : parentTypeChain + "$" + type;

    /// <summary>The resource name at the end of a URN.</summary>
    public static string NameOf(string urn)
    {
        ArgumentNullException.ThrowIfNull(urn);
        var index = urn.LastIndexOf("::", StringComparison.Ordinal);
        return index < 0 ? urn : urn[(index + 2)..];
    }

    /// <summary>The resource's own type token (the last element of the type chain).</summary>
    public static string TypeOf(string urn)
    {
        var chain = QualifiedTypeOf(urn);
        var index = chain.LastIndexOf('$');
        return index < 0 ? chain : chain[(index + 1)..];
    }

    /// <summary>The full <c>parent$type</c> chain of a URN.</summary>
    public static string QualifiedTypeOf(string urn)
    {
        ArgumentNullException.ThrowIfNull(urn);
        var parts = urn.Split("::");
        return parts.Length >= 4 ? parts[^2] : string.Empty;
    }

    /// <summary>True when <paramref name="text"/> has the URN shape.</summary>
    public static bool IsValid(string text) =>
        text is not null && text.StartsWith(Prefix, StringComparison.Ordinal) && text.Split("::").Length >= 4;
}

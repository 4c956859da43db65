using System.Text.RegularExpressions;

namespace Infra.Plugins.Manifest;

/// <summary>The one rule for plugin names: they name folders, packages and index files, so they stay plain.</summary>
public static partial class PluginNames
{
    /// <summary>True when <paramref name="name"/> is 2 to 64 lower-case letters, digits and '-', starting with a letter.</summary>
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex(@"^[a-z][a-z0-9-]{1,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>
/// What a plugin may ask for beyond its sandbox's defaults. A manifest asks; the project grants in
/// <c>Pulumi.yaml</c> under <c>plugins.grants</c>; only what is both asked and granted is given.
/// </summary>
public static class PluginCapabilities
{
    /// <summary>Network access (the sandbox shares the host's network instead of an empty one).</summary>
    public const string Network = "network";

    /// <summary>Read-write access to folders of the project the project names in its grant (never <c>.infra/</c>).</summary>
    public const string Filesystem = "filesystem";

    /// <summary>Every capability.</summary>
    public static IReadOnlyList<string> All { get; } = [Network, Filesystem];
}

using System.Collections.Immutable;

namespace Infra.Plugins.Manifest;

/// <summary>
/// What <c>infra plugin publish</c> puts in a plugin's package when the folder is not self-contained as it is: a
/// development folder often reaches its SDK through <c>../..</c>, which an installed package cannot. <c>files</c> maps
/// each path in the package to its source, relative to the plugin's folder; <c>command</c> and <c>environment</c>
/// replace the manifest's in the published <c>plugin.json</c>.
/// </summary>
/// <example>
/// <code>
/// "publish": {
///   "files": { "dist/src": "dist/src", "node_modules/@infra/plugin-sdk/dist/src": "../../dist/src",
///              "node_modules/@infra/plugin-sdk/package.json": "../../package.json" }
/// }
/// </code>
/// </example>
public sealed record PluginPublishSpec
{
    /// <summary>Path in the package to source path (a file or a folder), relative to the plugin folder.</summary>
    public ImmutableDictionary<string, string> Files { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The published manifest's command, when the package lays files out differently from the folder.</summary>
    public ImmutableArray<string> Command { get; init; } = [];

    /// <summary>The published manifest's environment, replacing the folder's.</summary>
    public ImmutableDictionary<string, string>? Environment { get; init; }

    internal void Validate(string path)
    {
        foreach (var target in Files.Keys)
        {
            if (!PackagePaths.IsSafe(target))
            {
                throw new ConfigException(path, $"publish.files.{target}", "a package path is relative, uses '/', and never leaves the package ('..').");
            }
        }
    }
}

/// <summary>The one rule for paths inside a package: relative, '/'-separated, no '..', no empty parts.</summary>
public static class PackagePaths
{
    /// <summary>True when <paramref name="path"/> stays inside the package it names a file of.</summary>
    public static bool IsSafe(string path) =>
        !string.IsNullOrWhiteSpace(path) && !path.StartsWith('/') && !path.Contains('\\', StringComparison.Ordinal) &&
        path.Split('/').All(static part => part.Length > 0 && part is not ("." or ".."));
}

using System.Diagnostics.CodeAnalysis;
using NuGet.Versioning;

namespace Infra.Plugins.Versions;

/// <summary>The SDK a plugin was built with: <c>name@version</c>, e.g. <c>@infra/plugin-sdk@0.1.0</c> (an npm scope keeps its leading '@').</summary>
/// <param name="Name">The SDK's package name.</param>
/// <param name="Version">The SDK's version.</param>
public sealed record SdkReference(string Name, NuGetVersion Version)
{
    /// <summary>Parses <c>name@version</c>.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SdkReference? reference)
    {
        reference = null;
        var at = text?.LastIndexOf('@') ?? -1;
        if (at <= 0 || !NuGetVersion.TryParse(text![(at + 1)..], out var version))
        {
            return false;
        }

        reference = new SdkReference(text[..at], version);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}@{Version.ToNormalizedString()}";
}

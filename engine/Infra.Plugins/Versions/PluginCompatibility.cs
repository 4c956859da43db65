using System.Collections.Immutable;
using Infra.Plugins.Manifest;
using Infra.Plugins.Protocol;
using NuGet.Versioning;

namespace Infra.Plugins.Versions;

/// <summary>
/// What this engine can run: the protocols it speaks and the SDK versions whose wire behaviour it has been tested
/// with. One owner for the rule, used by the resolver (to skip versions the engine cannot run, and say why) and by
/// install (to refuse them).
/// </summary>
public static class PluginCompatibility
{
    /// <summary>The SDKs this engine accepts, by package name, with the versions it accepts.</summary>
    public static ImmutableDictionary<string, VersionRange> Sdks { get; } = new Dictionary<string, VersionRange>(StringComparer.Ordinal)
    {
        ["@infra/plugin-sdk"] = VersionRange.Parse("[0.1.0, 1.0.0)"),
        ["infra-plugin-sdk"] = VersionRange.Parse("[0.1.0, 1.0.0)"),
        ["dev.infra:infra-plugin-sdk"] = VersionRange.Parse("[0.1.0, 1.0.0)"),
        ["Infra.Plugins"] = VersionRange.Parse("[0.1.0, 1.0.0)"),
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>Why this engine cannot run a plugin that speaks <paramref name="protocol"/>, built with <paramref name="sdk"/>; <see langword="null"/> when it can.</summary>
    public static string? Incompatibility(string kind, string protocol, string? sdk)
    {
        var expected = kind == PluginManifest.UiKind ? PluginManifest.UiProtocol : PluginProtocol.Version;
        if (protocol != expected)
        {
            return $"speaks {protocol}, this engine speaks {expected}";
        }

        if (sdk is null)
        {
            return null;
        }

        if (!SdkReference.TryParse(sdk, out var reference))
        {
            return $"names an unreadable SDK '{sdk}'";
        }

        if (!Sdks.TryGetValue(reference.Name, out var range))
        {
            // An SDK the engine does not know (a third party's) is judged by the protocol alone.
            return null;
        }

        return range.Satisfies(reference.Version) ? null : $"was built with {reference}, this engine accepts {reference.Name} {range.PrettyPrint()}";
    }
}

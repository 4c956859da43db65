using System.Reflection;
using System.Runtime.InteropServices;

namespace Infra.Cli;

/// <summary>What <c>infra --version</c> prints: the version, the commit it was built from, and the runtime it runs on.</summary>
internal static class CliVersion
{
    public static IEnumerable<string> Lines()
    {
        var informational = typeof(CliVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        // The SDK appends the source revision ('+<commit>') that ./infra passes as SourceRevisionId.
        var (version, commit) = informational.Split('+', 2) is [var v, var c] ? (v, c.Length > 12 ? c[..12] : c) : (informational, "unknown");
        yield return $"infra {version}";
        yield return $"commit {commit}";
        yield return $"runtime {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})";
    }
}

using Infra.TestSupport;

namespace Infra.Docs.Tests.Site;

/// <summary>Puts <c>infra</c> on a reader's PATH, as the docs tell a reader to do with their checkout.</summary>
public static class CommandOnPath
{
    /// <summary>
    /// Writes an <c>infra</c> wrapper into <paramref name="bin"/>. Not a symbolic link: the script finds the repository
    /// from its own path, which a link would point into <paramref name="bin"/>.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static void Write(string bin)
    {
        var path = Path.Combine(bin, "infra");
        File.WriteAllText(path, $"#!/usr/bin/env bash\nexec '{CliRunner.Script}' \"$@\"\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }
}

using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>
/// Compares output with a checked-in file under <c>tests/Infra.Cli.Tests/expected/</c>, so a change to it is a
/// deliberate one; run with <c>INFRA_UPDATE_SNAPSHOTS=1</c> to rewrite the files, then review the diff.
/// </summary>
internal static class Snapshot
{
    public static async Task MatchAsync(string name, string actual)
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "Infra.Cli.Tests", "expected", name);
        // Spectre pads table cells; trailing blanks are not part of what a reader sees, and editors strip them.
        var normalized = string.Join('\n', actual.ReplaceLineEndings("\n").Split('\n').Select(static line => line.TrimEnd()));
        if (Environment.GetEnvironmentVariable("INFRA_UPDATE_SNAPSHOTS") == "1")
        {
            await File.WriteAllTextAsync(path, normalized);
            return;
        }

        Assert.True(File.Exists(path), $"no snapshot {path}; run the test with INFRA_UPDATE_SNAPSHOTS=1 to write it.");
        Assert.Equal(await File.ReadAllTextAsync(path), normalized);
    }
}

using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>
/// Compares generated text with a checked-in file under <c>tests/Infra.Cli.Tests/expected/</c>. With
/// <c>INFRA_UPDATE_SNAPSHOTS=1</c> the file is rewritten from the actual text instead (review it, then commit it).
/// </summary>
internal static class TextSnapshot
{
    public const string UpdateVariable = "INFRA_UPDATE_SNAPSHOTS";

    public static void AssertMatches(string name, string actual)
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "Infra.Cli.Tests", "expected", name);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"no expected file {path}; run the test with {UpdateVariable}=1 to write it, then review and commit it.");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}

using System.Text;
using System.Text.RegularExpressions;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Support;

/// <summary>
/// Compares a stack's GitOps folder with checked-in expected files (<c>tests/Infra.Tenants.Tests/Kubernetes/expected/</c>),
/// byte for byte after scrubbing what differs on every run: sealed ciphertext (a fresh session key each time) and the
/// test server's database address and port. A mismatch fails with a unified diff per file. With
/// <c>INFRA_UPDATE_SNAPSHOTS=1</c> the expected files are rewritten from what was rendered instead.
/// </summary>
public static partial class ManifestSnapshot
{
    public const string UpdateVariable = "INFRA_UPDATE_SNAPSHOTS";

    public static string ExpectedRoot => Path.Combine(RepositoryPaths.Root, "tests", "Infra.Tenants.Tests", "Kubernetes", "expected");

    /// <summary>Every file under <paramref name="folder"/>, scrubbed, by relative path with '/'.</summary>
    public static SortedDictionary<string, string> Read(string folder) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(file => Path.GetRelativePath(folder, file).Replace('\\', '/'), file => Scrub(Path.GetFileName(file), File.ReadAllText(file))),
            StringComparer.Ordinal);

    public static void AssertMatches(string name, IReadOnlyDictionary<string, string> actual)
    {
        var expectedFolder = Path.Combine(ExpectedRoot, name);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            if (Directory.Exists(expectedFolder))
            {
                Directory.Delete(expectedFolder, recursive: true);
            }

            foreach (var (file, text) in actual)
            {
                var path = Path.Combine(expectedFolder, file);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, text);
            }

            return;
        }

        Assert.True(Directory.Exists(expectedFolder), $"no expected files in {expectedFolder}; run the test with {UpdateVariable}=1 to write them, then review and commit them.");
        var expected = Read(expectedFolder);
        var problems = new StringBuilder();
        foreach (var file in expected.Keys.Except(actual.Keys, StringComparer.Ordinal))
        {
            problems.AppendLine($"missing: {file} is expected but was not rendered");
        }

        foreach (var file in actual.Keys.Except(expected.Keys, StringComparer.Ordinal))
        {
            problems.AppendLine($"unexpected: {file} was rendered but is not expected");
        }

        foreach (var (file, text) in actual)
        {
            if (expected.TryGetValue(file, out var want) && want != text)
            {
                problems.Append(LineDiff.Unified($"{name}/{file}", want, text));
            }
        }

        Assert.True(problems.Length == 0,
            $"the rendered manifests of '{name}' differ from {expectedFolder} (if the change is intended, rerun with {UpdateVariable}=1 and commit the files):\n{problems}");
    }

    private static string Scrub(string fileName, string text)
    {
        if (fileName.StartsWith("sealedsecret-", StringComparison.Ordinal))
        {
            return SealedValue().Replace(text, "${key}<sealed>");
        }

        if (fileName == "networkpolicy-allow-database.yaml")
        {
            return DatabasePort().Replace(DatabaseCidr().Replace(text, "${key}<database-cidr>"), "${key}<database-port>");
        }

        return text;
    }

    // A sealed value is base64 of at least the RSA-encrypted session key (256 bytes or more).
    [GeneratedRegex(@"(?<key>^\s+[A-Za-z0-9_.-]+: )[A-Za-z0-9+/]{300,}=*$", RegexOptions.Multiline)]
    private static partial Regex SealedValue();

    [GeneratedRegex(@"(?<key>^\s+cidr: ).+$", RegexOptions.Multiline)]
    private static partial Regex DatabaseCidr();

    [GeneratedRegex(@"(?<key>^\s+- port: )\d+$", RegexOptions.Multiline)]
    private static partial Regex DatabasePort();
}

using System.Text;
using Infra.TestSupport;

namespace Infra.Kubernetes.Tests.Support;

/// <summary>
/// Looks for secret values anywhere in a GitOps tree: every file of the work tree, and every version of every file
/// in its history (git objects are compressed, so history is read through git itself). A value is also looked for
/// in base64, the form a plain Secret's data would take.
/// </summary>
public static class SecretScan
{
    public static async Task AssertNowhereAsync(string gitOpsPath, params string[] secrets)
    {
        var haystacks = new List<(string Where, string Text)>();
        foreach (var file in Directory.EnumerateFiles(gitOpsPath, "*", SearchOption.AllDirectories))
        {
            haystacks.Add((file, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file))));
        }

        var history = await RepositoryTools.RunAsync("git", gitOpsPath, "log", "--all", "-p", "--format=%H %s%n%b");
        Assert.True(history.ExitCode == 0, $"git log in {gitOpsPath}: {history.Error}");
        haystacks.Add(("git history", history.Output));
        Assert.True(haystacks.Count > 2, "the scan must see the files it is meant to check");
        foreach (var secret in secrets)
        {
            var forms = new[] { secret, Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)) };
            foreach (var (where, text) in haystacks)
            {
                foreach (var form in forms)
                {
                    Assert.False(text.Contains(form, StringComparison.Ordinal), $"a secret value was found in {where}");
                }
            }
        }
    }
}

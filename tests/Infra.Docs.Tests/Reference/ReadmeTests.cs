using Infra.TestSupport;

namespace Infra.Docs.Tests.Reference;

/// <summary>The README is the entry point: the two commands and links; the CLI reference lives in docs/cli.md.</summary>
public sealed class ReadmeTests
{
    private static string Readme => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));

    [Fact]
    public void The_readme_gives_the_two_commands_and_links_the_cli_reference_instead_of_repeating_it()
    {
        var readme = Readme;
        Assert.Contains("scripts/demo.sh", readme, StringComparison.Ordinal);
        Assert.Contains("scripts/test.sh", readme, StringComparison.Ordinal);
        Assert.Contains("(docs/cli.md)", readme, StringComparison.Ordinal);
        var tableRows = readme.Split('\n').Where(line => line.StartsWith("| `stack ", StringComparison.Ordinal) || line.StartsWith("| `preview", StringComparison.Ordinal));
        Assert.Empty(tableRows);
    }

    [Fact]
    public void Every_relative_link_in_the_readme_and_the_community_files_leads_to_a_file()
    {
        var broken = new List<string>();
        foreach (var file in new[] { "README.md", "SUPPORT.md", "SECURITY.md", "CONTRIBUTING.md", "CODE_OF_CONDUCT.md" })
        {
            var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, file));
            foreach (System.Text.RegularExpressions.Match link in System.Text.RegularExpressions.Regex.Matches(text, @"\]\((?<target>[^)#\s]+)(#[^)]*)?\)"))
            {
                var target = link.Groups["target"].Value;
                if (!target.Contains("://", StringComparison.Ordinal) && !target.StartsWith("mailto:", StringComparison.Ordinal)
                    && !Path.Exists(Path.Combine(RepositoryPaths.Root, target)))
                {
                    broken.Add($"{file}: {target}");
                }
            }
        }

        Assert.Empty(broken);
    }
}

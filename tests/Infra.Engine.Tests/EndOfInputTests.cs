using System.Text.RegularExpressions;
using Infra.Automation;
using Infra.State.Postgres;
using Infra.TestSupport;

namespace Infra.Engine.Tests;

/// <summary>
/// Names and identifiers match to the true end of their text: in .NET, <c>$</c> also matches before a final newline,
/// so <c>^[a-z]+$</c> accepts <c>"acme\n"</c>; <c>\z</c> does not.
/// </summary>
public partial class EndOfInputTests
{
    [Fact]
    public void A_type_token_with_a_trailing_newline_is_refused()
    {
        var error = Assert.Throws<InfraException>(() => new Typed("test:index:Resource\n"));

        Assert.Contains(@"'test:index:Resource\n' is not a valid type token", error.Message, StringComparison.Ordinal);
        // The same token without the newline passes the type check and fails only for being outside a program.
        Assert.Throws<InvalidOperationException>(() => new Typed("test:index:Resource"));
    }

    [Fact]
    public void A_stack_name_with_a_trailing_newline_is_refused()
    {
        var error = Assert.Throws<InfraException>(() => Workspace.ValidateStackName("dev\n"));

        Assert.Contains(@"'dev\n' is not a valid stack name", error.Message, StringComparison.Ordinal);
        Workspace.ValidateStackName("dev");
    }

    [Fact]
    public void A_backend_schema_with_a_trailing_newline_is_refused()
    {
        var error = Assert.Throws<InfraException>(() => PostgresUrl.Parse("postgres://infra@127.0.0.1/infra?schema=state%0A"));

        Assert.Contains(@"schema 'state\n'", error.Message, StringComparison.Ordinal);
        Assert.Equal("state", PostgresUrl.Parse("postgres://infra@127.0.0.1/infra?schema=state").Schema);
    }

    [Fact]
    public void Every_generated_regex_in_the_product_anchors_at_the_true_end()
    {
        var offenders = new List<string>();
        var scanned = 0;
        foreach (var folder in new[] { "engine", "providers", "components", "stacks", "policies", "cli", "services" })
        {
            var path = Path.Combine(RepositoryPaths.Root, folder);
            if (!Directory.Exists(path))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(path, "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match match in GeneratedRegexPattern().Matches(File.ReadAllText(file)))
                {
                    // '$' ends a pattern, or a lookahead such as (?=.{1,40}$), only as an anchor.
                    var pattern = match.Groups["pattern"].Value;
                    scanned++;
                    if (pattern.EndsWith('$') || pattern.Contains("$)", StringComparison.Ordinal))
                    {
                        offenders.Add($"{Path.GetRelativePath(RepositoryPaths.Root, file)}: {pattern}");
                    }
                }
            }
        }

        Assert.True(scanned >= 15, $"found only {scanned} generated regexes; has the attribute's form changed?");
        Assert.Empty(offenders);
    }

    [GeneratedRegex("""\[GeneratedRegex\(@?"(?<pattern>(?:[^"]|"")*)"[,)]""")]
    private static partial Regex GeneratedRegexPattern();

    private sealed class Typed(string type) : CustomResource(type, "x", null);
}

namespace Infra.Docs.Tests.Reference;

/// <summary>The CLI reference (docs/cli.md) names exactly the commands and flags that <c>./infra --help</c> shows.</summary>
public sealed class CliReferenceTests
{
    [Fact]
    public async Task Every_command_and_flag_in_the_cli_help_is_in_the_reference_and_the_reference_names_nothing_else()
    {
        var help = await CliHelp.ReadAllAsync();
        var reference = CliReference.Read();

        Assert.True(help.Count >= 20, $"the help walk found only {help.Count} commands: " + string.Join(", ", help.Select(c => c.Path)));
        var problems = Compare(help, reference);
        Assert.True(problems.Count == 0, "docs/cli.md and ./infra --help disagree:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void The_comparison_reports_a_command_or_flag_missing_on_either_side()
    {
        HelpCommand[] help = [new("up", Flags("--yes", "--plan")), new("cancel", Flags("--yes"))];
        HelpCommand[] reference = [new("up", Flags("--yes", "--target")), new("stack ls", Flags())];

        var problems = Compare(help, reference);

        Assert.Equal(
            [
                "command 'infra cancel' is in the help but not in docs/cli.md",
                "command 'infra stack ls' is in docs/cli.md but not in the help",
                "flag '--plan' of 'infra up' is in the help but not in docs/cli.md",
                "flag '--target' of 'infra up' is in docs/cli.md but not in the help",
            ],
            problems);
    }

    private static HashSet<string> Flags(params string[] flags) => new(flags, StringComparer.Ordinal);

    private static List<string> Compare(IReadOnlyList<HelpCommand> help, IReadOnlyList<HelpCommand> reference)
    {
        var problems = new List<string>();
        var duplicates = reference.GroupBy(c => c.Path, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key);
        problems.AddRange(duplicates.Select(path => $"command 'infra {path}' has more than one section in docs/cli.md"));

        var documented = reference.GroupBy(c => c.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var shown = help.ToDictionary(c => c.Path, StringComparer.Ordinal);
        problems.AddRange(shown.Keys.Except(documented.Keys).Order(StringComparer.Ordinal).Select(path => $"command 'infra {path}' is in the help but not in docs/cli.md"));
        problems.AddRange(documented.Keys.Except(shown.Keys).Order(StringComparer.Ordinal).Select(path => $"command 'infra {path}' is in docs/cli.md but not in the help"));
        foreach (var path in shown.Keys.Intersect(documented.Keys).Order(StringComparer.Ordinal))
        {
            problems.AddRange(shown[path].Flags.Except(documented[path].Flags).Order(StringComparer.Ordinal)
                .Select(flag => $"flag '{flag}' of 'infra {path}' is in the help but not in docs/cli.md"));
            problems.AddRange(documented[path].Flags.Except(shown[path].Flags).Order(StringComparer.Ordinal)
                .Select(flag => $"flag '{flag}' of 'infra {path}' is in docs/cli.md but not in the help"));
        }

        return problems;
    }
}

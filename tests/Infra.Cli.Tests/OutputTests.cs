using System.Text.RegularExpressions;
using Infra.Cli.Rendering;
using Infra.Deployment;
using Infra.TestSupport;
using Infra.Values;

namespace Infra.Cli.Tests;

/// <summary>Issue 14 §5: history, refresh, diffs and errors that read well.</summary>
public sealed partial class OutputTests : IDisposable
{
    private readonly CliProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Stack_history_shows_changes_as_counts_and_the_duration_up_printed()
    {
        await InProcessTenant.InitSyntheticAsync(_project, 3);
        var up = await InProcessTenant.OkAsync(_project, "up", "--yes");

        var history = await InProcessTenant.OkAsync(_project, "stack", "history");
        var json = await InProcessTenant.OkAsync(_project, "stack", "history", "--json");

        var duration = DurationLine().Match(up.Stdout);
        Assert.True(duration.Success, up.Stdout);
        Assert.Contains("+3 ~0 -0", history.Stdout, StringComparison.Ordinal);
        Assert.Contains($" {duration.Groups[1].Value} ", history.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("{", history.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, System.Text.Json.JsonDocument.Parse(json.Stdout).RootElement[0].GetProperty("changes").GetProperty("create").GetInt32());
    }

    [Fact]
    public async Task Refresh_without_drift_says_so_with_the_read_glyph()
    {
        await InProcessTenant.InitSyntheticAsync(_project, 2);
        await InProcessTenant.OkAsync(_project, "up", "--yes");

        var refresh = await InProcessTenant.OkAsync(_project, "refresh", "--yes");

        Assert.Contains("> No drift: all 2 resource(s) match their state.", refresh.Stdout, StringComparison.Ordinal);
        Assert.Contains("> 2 read", refresh.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("~", refresh.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_drifted_resource_is_named_once_with_what_drifted()
    {
        var step = new PlannedStep { Urn = "urn:infra:dev::p::synthetic:index:Thing::a", Type = "synthetic:index:Thing", Op = StepOp.Refresh, Reason = "drift", Changed = ["size"] };

        var line = Spectre.Console.Markup.Remove(StepText.Line(step, preview: false));

        Assert.Equal(1, Regex.Count(line, "drift"));
        Assert.Contains("> read", line, StringComparison.Ordinal);
        Assert.Contains("drifted: size", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_of_a_json_document_in_a_property_shows_only_the_changed_keys()
    {
        var step = Update("values",
            """{"branding":{"primaryColor":"#0055ff","logoUrl":"https://a/logo.svg"},"replicas":2}""",
            """{"branding":{"primaryColor":"#ff0000","logoUrl":"https://a/logo.svg"},"replicas":2,"domain":"x.example.com"}""");

        var lines = StepText.Diff(step).Select(Spectre.Console.Markup.Remove).ToList();

        Assert.Equal(new[] { "      ~ values.branding.primaryColor: \"#0055ff\" => \"#ff0000\"", "      + values.domain: \"x.example.com\"" }, lines);
    }

    [Fact]
    public void Diff_of_a_yaml_document_in_a_property_shows_only_the_changed_lines()
    {
        var step = Update("values", "branding:\n  primaryColor: '#0055ff'\n  logoUrl: https://a/logo.svg\nreplicas: 2\n", "branding:\n  primaryColor: '#ff0000'\n  logoUrl: https://a/logo.svg\nreplicas: 2\n");

        var lines = StepText.Diff(step).Select(Spectre.Console.Markup.Remove).ToList();

        Assert.Equal(new[] { "      ~ values:", "        -   primaryColor: '#0055ff'", "        +   primaryColor: '#ff0000'" }, lines);
    }

    [Fact]
    public async Task An_error_before_any_output_is_one_line_without_a_heading()
    {
        await InProcessTenant.OkAsync(_project, "stack", "init", "dev");
        await InProcessTenant.OkAsync(_project, "config", "set", "infra:kind", "tenant");

        foreach (var command in new[] { new[] { "preview" }, ["up", "--yes"] })
        {
            var result = await InProcessTenant.RunAsync(_project, command);

            Assert.Equal(1, result.ExitCode);
            Assert.Equal(string.Empty, result.Stdout);
            Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    [Fact]
    public async Task Stack_output_help_says_the_argument_is_an_output_name()
    {
        var help = await CliRunner.RunAsync(_project.Directory, _project.Environment, "stack", "output", "--help");

        Assert.Contains("The name of one stack output", help.Stdout, StringComparison.Ordinal);
    }

    private static PlannedStep Update(string property, string before, string after) => new()
    {
        Urn = "urn:infra:dev::p::helm:index:Release::app",
        Type = "helm:index:Release",
        Op = StepOp.Update,
        OldInputs = PropertyMap.CreateBuilder().Add(property, PropertyValue.Create(before)).ToPropertyMap(),
        NewInputs = PropertyMap.CreateBuilder().Add(property, PropertyValue.Create(after)).ToPropertyMap(),
    };

    [GeneratedRegex(@"Duration: (\S+)")]
    private static partial Regex DurationLine();
}

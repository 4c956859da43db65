using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Infra.Architecture.Tests;

/// <summary>Layers point one way, and docs/architecture.md draws the same layers this test enforces.</summary>
public sealed partial class LayerTests
{
    private const string Diagram = "docs/architecture.md";

    [Fact]
    public void Every_project_belongs_to_a_layer_or_is_a_test_or_benchmark()
    {
        Assert.NotEmpty(ProjectFiles.All);
        Assert.All(ProjectFiles.All, static p => Layers.Of(p.Path));
    }

    [Fact]
    public void No_project_references_a_layer_it_must_not_reach()
    {
        Assert.Empty(LayerRules.Violations(ProjectFiles.All));
    }

    [Fact]
    public void The_engine_core_and_the_state_backends_are_where_the_rules_expect_them()
    {
        var core = Assert.Single(ProjectFiles.All, static p => p.Path == "engine/Infra.Engine/Infra.Engine.csproj");
        var postgres = Assert.Single(ProjectFiles.All, static p => p.Path == "engine/Infra.State.Postgres/Infra.State.Postgres.csproj");
        var sqlite = Assert.Single(ProjectFiles.All, static p => p.Path == "engine/Infra.State.Sqlite/Infra.State.Sqlite.csproj");

        Assert.Empty(core.ProjectReferences);
        Assert.DoesNotContain(core.PackageReferences, Layers.Drivers.Contains);
        Assert.Contains("Npgsql", postgres.PackageReferences);
        Assert.Contains("Microsoft.Data.Sqlite", sqlite.PackageReferences);
        Assert.Equal(Layers.Conventions, Layers.Of(Assert.Single(ProjectFiles.All, static p => p.Path.EndsWith(Layers.ConventionsProject, StringComparison.Ordinal)).Path));
    }

    [Theory]
    [InlineData("providers/Infra.Providers.X/Infra.Providers.X.csproj", "stacks/Infra.Stacks/Infra.Stacks.csproj")]
    [InlineData("providers/Infra.Providers.X/Infra.Providers.X.csproj", "components/Infra.Components/Infra.Components.csproj")]
    [InlineData("components/Infra.Components.X/Infra.Components.X.csproj", "services/Infra.Hosting/Infra.Hosting.csproj")]
    [InlineData("components/Infra.Components.X/Infra.Components.X.csproj", "policies/Infra.Policies/Infra.Policies.csproj")]
    [InlineData("stacks/Infra.Stacks/Infra.Stacks.csproj", "cli/Infra.Cli/Infra.Cli.csproj")]
    [InlineData("engine/Infra.State.X/Infra.State.X.csproj", "providers/Infra.Providers.Postgres/Infra.Providers.Postgres.csproj")]
    [InlineData("policies/Infra.Policies.X/Infra.Policies.X.csproj", "providers/Infra.Providers.Helm/Infra.Providers.Helm.csproj")]
    [InlineData("engine/Infra.Engine/Infra.Engine.csproj", "engine/Infra.State.Sql/Infra.State.Sql.csproj")]
    [InlineData("components/Infra.Tenancy/Infra.Tenancy.csproj", "engine/Infra.Engine/Infra.Engine.csproj")]
    [InlineData("cli/Infra.Cli/Infra.Cli.csproj", "tests/Infra.TestSupport/Infra.TestSupport.csproj")]
    public void A_reference_that_reaches_up_or_out_is_reported_naming_both_projects(string project, string reference)
    {
        var violation = Assert.Single(LayerRules.Violations([new ProjectFile(project, [reference], [])]));

        Assert.Contains(project, violation, StringComparison.Ordinal);
        Assert.Contains(reference, violation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_in_the_conventions_is_reported()
    {
        var violation = Assert.Single(LayerRules.Violations([new ProjectFile("components/Infra.Tenancy/Infra.Tenancy.csproj", [], ["YamlDotNet"])]));

        Assert.Contains("YamlDotNet", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_database_driver_in_the_engine_core_is_reported()
    {
        var violation = Assert.Single(LayerRules.Violations([new ProjectFile("engine/Infra.Engine/Infra.Engine.csproj", [], ["YamlDotNet", "Npgsql"])]));

        Assert.Contains("Npgsql", violation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stacks/Infra.Stacks/Infra.Stacks.csproj", "components/Infra.Components.Kubernetes/Infra.Components.Kubernetes.csproj")]
    [InlineData("stacks/Infra.Stacks/Infra.Stacks.csproj", "engine/Infra.Engine/Infra.Engine.csproj")]
    [InlineData("providers/Infra.Providers.Infra/Infra.Providers.Infra.csproj", "components/Infra.Tenancy/Infra.Tenancy.csproj")]
    [InlineData("services/Infra.Hosting/Infra.Hosting.csproj", "policies/Infra.Policies.Compliance/Infra.Policies.Compliance.csproj")]
    [InlineData("engine/Infra.State.Postgres/Infra.State.Postgres.csproj", "engine/Infra.State.Sql/Infra.State.Sql.csproj")]
    [InlineData("tests/Infra.Cli.Tests/Infra.Cli.Tests.csproj", "cli/Infra.Cli/Infra.Cli.csproj")]
    public void A_reference_down_the_layers_passes(string project, string reference)
    {
        Assert.Empty(LayerRules.Violations([new ProjectFile(project, [reference], [])]));
    }

    [Fact]
    public void The_diagram_in_docs_architecture_md_draws_exactly_the_layers_this_test_enforces()
    {
        var text = File.ReadAllText(Path.Combine(ProjectFiles.Root, Diagram));
        var block = MermaidBlock().Match(text);
        Assert.True(block.Success, $"{Diagram} has no ```mermaid block");

        var drawn = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (Match edge in Edge().Matches(block.Groups["body"].Value))
        {
            var (from, to) = (edge.Groups["from"].Value, edge.Groups["to"].Value);
            drawn.TryAdd(to, []);
            (drawn.TryGetValue(from, out var targets) ? targets : drawn[from] = []).Add(to);
        }

        Assert.Equal(
            Layers.Edges.OrderBy(static e => e.Key, StringComparer.Ordinal).Select(static e => $"{e.Key} -> {string.Join(", ", e.Value.Order(StringComparer.Ordinal))}"),
            drawn.OrderBy(static e => e.Key, StringComparer.Ordinal).Select(static e => $"{e.Key} -> {string.Join(", ", e.Value.Order(StringComparer.Ordinal))}"));
    }

    [Fact]
    public void Every_project_is_built_by_the_solution()
    {
        var solution = File.ReadAllText(Path.Combine(ProjectFiles.Root, "Infra.sln"));
        var inSolution = SolutionProject().Matches(solution).Select(static m => m.Groups["path"].Value.Replace('\\', '/')).ToImmutableSortedSet(StringComparer.Ordinal);

        Assert.Equal(ProjectFiles.All.Select(static p => p.Path).ToImmutableSortedSet(StringComparer.Ordinal), inSolution);
    }

    [GeneratedRegex("```mermaid\\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex MermaidBlock();

    [GeneratedRegex(@"(?<from>\w+)(\[[^\]]*\])?\s*(-->|-\.->)\s*(?<to>\w+)")]
    private static partial Regex Edge();

    [GeneratedRegex("Project\\(\"\\{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC\\}\"\\) = \"[^\"]+\", \"(?<path>[^\"]+\\.csproj)\"")]
    private static partial Regex SolutionProject();
}

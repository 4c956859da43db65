using System.Text.Json;
using Infra.Providers.Synthetic;
using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>
/// Issue 12 §4: <c>stack rollback --program --to N</c> builds update N's git commit in a temporary work tree and rolls
/// back with that build. The repository here is real (git), and so is the build (dotnet build); its program host is a
/// tiny project (Pulumi.yaml's <c>main</c>) that references the CLI already built for these tests, because a build of
/// this product's whole CLI at an older commit takes minutes. That full build is what the same code does by default.
/// </summary>
public sealed class StackRollbackProgramTests : IDisposable
{
    private const string ProgramV1 = """_ = new SyntheticResource("web", new SyntheticResourceArgs { Length = 8 });""";

    private const string ProgramV2 = """
        _ = new SyntheticResource("web", new SyntheticResourceArgs { Length = 16 });
        _ = new SyntheticResource("worker", new SyntheticResourceArgs { Length = 4 });
        """;

    private readonly CliProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Rollback_with_program_builds_update_1s_commit_and_its_program_declares_the_resources_again()
    {
        await InitRepositoryAsync();
        var commit1 = await CommitProgramAsync(ProgramV1);
        await UpAsync(V1);
        await CommitProgramAsync(ProgramV2);
        await UpAsync(V2);
        Assert.Equal([("web", 16), ("worker", 4)], await ResourcesAsync());

        var result = await InProcessCli.RunAsync(_project, args: ["stack", "rollback", "--to", "1", "--program", "--yes"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Building the program of update 1 (commit {commit1[..12]})", result.Stderr, StringComparison.Ordinal);
        Assert.Equal([("web", 8)], await ResourcesAsync());
        var newest = await NewestUpdateAsync();
        Assert.Equal("rollback", newest.GetProperty("kind").GetString());
        Assert.Equal(commit1, newest.GetProperty("programVersion").GetString());
        Assert.Single(await WorkTreesAsync());
    }

    [Fact]
    public async Task Rollback_with_program_prints_the_compiler_errors_of_a_commit_that_does_not_build_and_changes_nothing()
    {
        await InitRepositoryAsync();
        await CommitProgramAsync("_ = new SyntheticResource(\"web\", new SyntheticResourceArgs { Length = 8 }) // no semicolon");
        await UpAsync(V1);
        await CommitProgramAsync(ProgramV2);
        await UpAsync(V2);

        var result = await InProcessCli.RunAsync(_project, args: ["stack", "rollback", "--to", "1", "--program", "--yes"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("app/Program.cs(6,", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("error CS1002", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("error: the program 'app' at commit", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("does not build", result.Stderr, StringComparison.Ordinal);
        Assert.Equal([("web", 16), ("worker", 4)], await ResourcesAsync());
        Assert.Single(await WorkTreesAsync());
    }

    [Fact]
    public async Task Rollback_with_program_outside_a_git_work_tree_says_so()
    {
        await InitStackAsync();
        await UpAsync(V1);

        var error = await RollbackFailsAsync();

        Assert.Contains("is not in a git work tree", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_with_program_to_an_update_that_recorded_no_commit_says_so()
    {
        await InitStackAsync();
        await UpAsync(V1);
        await InitRepositoryAsync();
        await CommitProgramAsync(ProgramV1);

        var error = await RollbackFailsAsync();

        Assert.Contains("update 1 recorded no program version", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_with_program_to_a_commit_the_repository_does_not_have_says_so()
    {
        await InitRepositoryAsync();
        var lost = await CommitProgramAsync(ProgramV1);
        await UpAsync(V1);
        Directory.Delete(Path.Combine(_project.Directory, ".git"), recursive: true);
        await InitRepositoryAsync();
        await CommitProgramAsync(ProgramV2);

        var error = await RollbackFailsAsync();

        Assert.Contains($"update 1's program version {lost} is not a commit of the repository", error, StringComparison.Ordinal);
    }

    private static void V1(StackContext context) => _ = new SyntheticResource("web", new SyntheticResourceArgs { Length = 8 });

    private static void V2(StackContext context)
    {
        _ = new SyntheticResource("web", new SyntheticResourceArgs { Length = 16 });
        _ = new SyntheticResource("worker", new SyntheticResourceArgs { Length = 4 });
    }

    private static string PackageVersion(string package) =>
        System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == package).Attribute("Version")!.Value;

    private async Task InitStackAsync() => await InProcessTenant.OkAsync(_project, "stack", "init", "dev");

    /// <summary>Runs the rollback to update 1 with its program, expecting exit 1 and a one-line error; returns that line.</summary>
    private async Task<string> RollbackFailsAsync()
    {
        var result = await InProcessCli.RunAsync(_project, args: ["stack", "rollback", "--to", "1", "--program", "--yes"]);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(result.ExitCode == 1 && lines.Length == 1, result.ToString());
        return lines[0];
    }

    /// <summary>
    /// The project as a git repository whose program host is <c>app/</c>: a console project that runs the infra command
    /// line with its own program, referencing the CLI assemblies these tests run.
    /// </summary>
    private async Task InitRepositoryAsync()
    {
        if (!File.Exists(_project.SettingsPath("dev")))
        {
            await InitStackAsync();
        }

        var pulumi = Path.Combine(_project.Directory, "Pulumi.yaml");
        if (!File.ReadAllText(pulumi).Contains("\nmain: app\n", StringComparison.Ordinal))
        {
            File.AppendAllText(pulumi, "\nmain: app\n");
        }

        var app = Path.Combine(_project.Directory, "app");
        Directory.CreateDirectory(app);
        var references = string.Concat(new[] { "infra", "Infra.Engine", "Infra.Providers.Synthetic" }
            .Select(name => $"""    <Reference Include="{name}" HintPath="{Path.Combine(AppContext.BaseDirectory, name + ".dll")}" />{"\n"}"""));
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
            {references}  </ItemGroup>
              <ItemGroup>
                <!-- The state backend's native SQLite library, which a plain assembly reference does not bring. -->
                <PackageReference Include="Microsoft.Data.Sqlite" Version="{PackageVersion("Microsoft.Data.Sqlite")}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(_project.Directory, ".gitignore"), ".infra/\nbin/\nobj/\n");
        await GitAsync("init", "--quiet", "--initial-branch", "main");
    }

    /// <summary>Commits <c>app/Program.cs</c> declaring <paramref name="resources"/>, with the stack's settings; returns the commit.</summary>
    private async Task<string> CommitProgramAsync(string resources)
    {
        File.WriteAllText(Path.Combine(_project.Directory, "app", "Program.cs"), $$"""
            using Infra;
            using Infra.Providers.Synthetic;

            return await Infra.Cli.InfraCommandLine.RunAsync(args, (_, _) => StackProgram.FromDelegate(context =>
            {
                {{resources}}
            }));
            """);
        await GitAsync("add", "-A");
        await GitAsync("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", "program");
        return (await GitAsync("rev-parse", "HEAD")).Trim();
    }

    /// <summary>An up with the same program as the commit's <c>app/Program.cs</c>, run in-process: only the rollback pays for a build.</summary>
    private Task UpAsync(Action<StackContext> program) =>
        AssertOkAsync(InProcessCli.RunAsync(_project, (_, _) => StackProgram.FromDelegate(program), args: ["up", "--yes", "-s", "dev"]));

    private static async Task AssertOkAsync(Task<CliResult> run)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private async Task<List<(string Name, int Length)>> ResourcesAsync()
    {
        var export = await InProcessTenant.OkAsync(_project, "stack", "export", "-s", "dev");
        using var document = JsonDocument.Parse(export.Stdout);
        return document.RootElement.GetProperty("resources").EnumerateArray()
            .Where(static r => r.GetProperty("type").GetString() == SyntheticResource.TypeToken)
            .Select(static r => (r.GetProperty("urn").GetString()!.Split("::")[^1], r.GetProperty("inputs").GetProperty("length").GetInt32()))
            .Order()
            .ToList();
    }

    private async Task<JsonElement> NewestUpdateAsync()
    {
        var history = await InProcessTenant.OkAsync(_project, "stack", "history", "--json", "-s", "dev");
        using var document = JsonDocument.Parse(history.Stdout);
        return document.RootElement.EnumerateArray().MaxBy(static u => u.GetProperty("id").GetInt64()).Clone();
    }

    private async Task<string[]> WorkTreesAsync() =>
        (await GitAsync("worktree", "list", "--porcelain")).Split('\n').Where(static l => l.StartsWith("worktree ", StringComparison.Ordinal)).ToArray();

    private async Task<string> GitAsync(params string[] arguments)
    {
        var (exitCode, output, error) = await RepositoryTools.RunAsync("git", _project.Directory, arguments);
        Assert.True(exitCode == 0, $"git {string.Join(' ', arguments)}: {error}");
        return output;
    }
}

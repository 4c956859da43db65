using Infra.Docs.Tests.Site;
using Infra.TestSupport;

namespace Infra.Docs.Tests.Tutorials;

/// <summary>
/// Runs every tutorial in docs/tutorials from an empty folder, block by block, as a reader would: writing each file
/// block, running each shell block in one shell, and comparing each output block with what its step printed.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TutorialTests
{
    private static string TutorialDirectory => Path.Combine(RepositoryPaths.Root, "docs", "tutorials");

    public static TheoryData<string> Tutorials()
    {
        var data = new TheoryData<string>();
        foreach (var page in Directory.EnumerateFiles(TutorialDirectory, "*.md").Order(StringComparer.Ordinal))
        {
            if (!char.IsAsciiDigit(Path.GetFileName(page)[0]))
            {
                continue;
            }

            data.Add(Path.GetFileName(page));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Tutorials))]
    public async Task The_tutorial_runs_from_an_empty_folder_and_prints_what_it_shows(string page)
    {
        var blocks = TutorialScript.Parse(await File.ReadAllTextAsync(Path.Combine(TutorialDirectory, page)));
        Assert.Contains(blocks, block => block.Kind == BlockKind.Shell);

        var folder = Directory.CreateTempSubdirectory("infra-tutorial-");
        // Readable by the 'postgres' user, which runs the tutorial's own PostgreSQL server when tests run as root.
        File.SetUnixFileMode(folder.FullName, (UnixFileMode)0b111_101_101);
        var bin = Directory.CreateDirectory(Path.Combine(folder.FullName, ".bin"));
        CommandOnPath.Write(bin.FullName);
        var work = Directory.CreateDirectory(Path.Combine(folder.FullName, "work"));
        File.SetUnixFileMode(work.FullName, (UnixFileMode)0b111_101_101);
        var script = Path.Combine(folder.FullName, "tutorial.sh");
        await File.WriteAllTextAsync(script, TutorialScript.ToBash(blocks));
        try
        {
            var result = await Commands.RunAsync(work.FullName, "bash", [script], Environment(bin.FullName), TimeSpan.FromMinutes(5));
            Check(page, blocks, result);
        }
        finally
        {
            // A tutorial that failed half-way may have left the onboarding service (tutorial 7) and its PostgreSQL
            // server running.
            LeftoverProcesses.Stop(work.FullName);
            foreach (var data in Directory.EnumerateDirectories(work.FullName, "data", SearchOption.AllDirectories)
                         .Where(dir => File.Exists(Path.Combine(dir, "postmaster.pid"))))
            {
                await Commands.RunAsync(RepositoryPaths.Root, "bash", ["scripts/postgres.sh", "stop", Path.GetDirectoryName(data)!]);
            }

            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_output_block_matches_with_wildcards_for_parts_of_lines_and_whole_lines()
    {
        Assert.True(TutorialOutput.Matches("Outputs:\n    count: ...\n...\nDuration: ...s", "Outputs:\n    count: 3  \n  a\n  b\nDuration: 1.2s\n"));
        Assert.True(TutorialOutput.Matches("a\n...", "a\nb\nc"));
        Assert.True(TutorialOutput.Matches("...\nconfig:\n  count: 3\n...", "salt: x\nconfig:\n  count: 3"));
        Assert.True(TutorialOutput.Matches("...\nb", "b"));
        Assert.False(TutorialOutput.Matches("Outputs:\n    count: 3", "Outputs:\n    count: 4"));
        Assert.False(TutorialOutput.Matches("a\nb", "a\nb\nc"));
    }

    [Fact]
    public void A_csharp_block_without_a_file_name_is_refused_rather_than_skipped()
    {
        var error = Assert.Throws<FormatException>(() => TutorialScript.Parse("text\n\n```csharp\nclass A {}\n```\n"));
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    private static void Check(string page, IReadOnlyList<TutorialBlock> blocks, CommandResult result)
    {
        var (outputs, lastStarted) = TutorialScript.Split(result.Output);
        if (result.ExitCode != 0)
        {
            var failed = lastStarted is int index ? blocks[index] : null;
            Assert.Fail($"{page}: the step at line {failed?.Line} exited {result.ExitCode}.\n--- step\n{failed?.Text}\n--- it printed\n"
                + (lastStarted is int i && outputs.TryGetValue(i, out var printed) ? printed : result.Output));
        }

        for (var index = 1; index < blocks.Count; index++)
        {
            if (blocks[index].Kind != BlockKind.Output)
            {
                continue;
            }

            var step = blocks[index - 1];
            var actual = outputs.GetValueOrDefault(index - 1, string.Empty);
            Assert.True(TutorialOutput.Matches(blocks[index].Text, actual),
                $"{page}: the output of the step at line {step.Line} differs from the page (line {blocks[index].Line}).\n"
                + $"--- step\n{step.Text}\n--- the page shows\n{blocks[index].Text}\n--- it printed\n{TutorialOutput.Normalize(actual)}");
        }
    }

    private static Dictionary<string, string?> Environment(string bin)
    {
        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = bin + ":" + System.Environment.GetEnvironmentVariable("PATH"),
            ["INFRA_HOME"] = RepositoryPaths.Root,
            ["PG_PORT"] = LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SERVICE_PORT"] = LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NO_COLOR"] = "1",
            ["TERM"] = "dumb",
        };
        // The reader's shell has none of the suite's settings: every tutorial starts on the embedded defaults.
        foreach (var key in System.Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(key => key.StartsWith("INFRA_", StringComparison.Ordinal) && key != "INFRA_HOME"))
        {
            environment[key] = null;
        }

        return environment;
    }
}

using System.Text.RegularExpressions;
using Infra.Docs.Tests.Site;
using Infra.TestSupport;

namespace Infra.Docs.Tests.Training;

/// <summary>
/// Every training exercise's checker fails on the untouched starting state and passes on the reference solution, so
/// neither an exercise nor the exam can drift from the product.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class TrainingExerciseTests
{
    private static string ExerciseDirectory => Path.Combine(RepositoryPaths.Root, "docs", "training", "exercises");

    public static TheoryData<string> Exercises()
    {
        var data = new TheoryData<string>();
        foreach (var folder in Directory.EnumerateDirectories(ExerciseDirectory).Where(d => File.Exists(Path.Combine(d, "check.sh"))).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(folder));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Exercises))]
    public async Task The_checker_fails_the_starting_state_and_passes_the_reference_solution(string exercise)
    {
        var root = Directory.CreateTempSubdirectory("infra-training-");
        var work = Path.Combine(root.FullName, "work");
        var environment = Environment(root.FullName);
        try
        {
            var started = await Commands.RunAsync(root.FullName, "bash", [Path.Combine(ExerciseDirectory, "start.sh"), exercise, work], environment);
            Assert.True(started.ExitCode == 0, $"start.sh {exercise} failed:\n{started.Output}");

            var before = await CheckAsync(exercise, work, environment);
            Assert.True(before.ExitCode != 0, $"{exercise}: the checker passed the untouched starting state:\n{before.Output}");
            Assert.Contains("FAIL ", before.Output, StringComparison.Ordinal);

            var solved = await Commands.RunAsync(work, "bash", [Path.Combine(ExerciseDirectory, exercise, "solution", "solve.sh")], environment);
            Assert.True(solved.ExitCode == 0, $"{exercise}: the reference solution failed:\n{solved.Output}");

            var after = await CheckAsync(exercise, work, environment);
            var score = Score().Match(after.Output);
            Assert.True(after.ExitCode == 0 && score.Success && score.Groups["passed"].Value == score.Groups["total"].Value,
                $"{exercise}: the checker did not pass the reference solution:\n{after.Output}");
            Assert.DoesNotContain("FAIL ", after.Output, StringComparison.Ordinal);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_exam_grades_only_exercises_that_exist_with_their_checkers_number_of_checks()
    {
        var exam = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "training", "exam.md"));
        var tasks = ExamTask().Matches(exam).ToList();
        Assert.NotEmpty(tasks);
        foreach (Match task in tasks)
        {
            var checker = Path.Combine(ExerciseDirectory, task.Groups["exercise"].Value, "check.sh");
            Assert.True(File.Exists(checker), $"exam.md grades '{task.Groups["exercise"].Value}', which has no check.sh");
            var checks = File.ReadLines(checker).Count(line => line.StartsWith("check ", StringComparison.Ordinal) || line.StartsWith("equals ", StringComparison.Ordinal));
            Assert.Equal(int.Parse(task.Groups["checks"].Value, System.Globalization.CultureInfo.InvariantCulture), checks);
        }
    }

    private static Task<CommandResult> CheckAsync(string exercise, string work, IReadOnlyDictionary<string, string?> environment) =>
        Commands.RunAsync(work, "bash", [Path.Combine(ExerciseDirectory, exercise, "check.sh")], environment);

    private static Dictionary<string, string?> Environment(string root)
    {
        var bin = Directory.CreateDirectory(Path.Combine(root, ".bin"));
        CommandOnPath.Write(bin.FullName);
        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = bin.FullName + ":" + System.Environment.GetEnvironmentVariable("PATH"),
            ["INFRA_HOME"] = RepositoryPaths.Root,
            ["INFRA_CONFIG_PASSPHRASE"] = "training",
            ["NO_COLOR"] = "1",
        };
        foreach (var key in System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
                     .Where(key => key.StartsWith("INFRA_", StringComparison.Ordinal) && !environment.ContainsKey(key)))
        {
            environment[key] = null;
        }

        return environment;
    }

    [GeneratedRegex(@"^score (?<passed>\d+)/(?<total>\d+)$", RegexOptions.Multiline)]
    private static partial Regex Score();

    [GeneratedRegex(@"^\| \d+ \| `(?<exercise>[a-z0-9-]+)` \| [^|]+ \| one per check \((?<checks>\d+)\)", RegexOptions.Multiline)]
    private static partial Regex ExamTask();
}

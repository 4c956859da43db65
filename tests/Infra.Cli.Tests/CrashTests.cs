using System.Text.Json;
using Infra.TestSupport;
using Xunit.Abstractions;

namespace Infra.Cli.Tests;

/// <summary>
/// SIGKILL the real CLI at a random point of an up, many times, on a synthetic stack whose resources live in a
/// simulated cloud folder. After every kill the next up must converge with no flags: state and the cloud agree
/// exactly, nothing is pending, and a preview finds nothing to do.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Trials = 20;
    private readonly CliProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Up_converges_after_sigkill_at_a_random_point_in_every_trial()
    {
        await _project.RunOkAsync("stack", "init", "crash");
        await _project.RunOkAsync("config", "set", "infra:kind", "synthetic");
        await _project.RunOkAsync("config", "set", "synthetic:shape", "tree");
        await _project.RunOkAsync("config", "set", "synthetic:latencyMs", "15");
        await _project.RunOkAsync("config", "set", "synthetic:cloudDir", "cloud");
        var random = new Random(20261126);
        var killedDuringApply = 0;

        for (var trial = 0; trial < Trials; trial++)
        {
            // Alternate growth, shrinkage and replacement so kills land in creates, deletes and replacements.
            var count = trial % 3 == 2 ? 60 : 120 + (trial * 7 % 40);
            await _project.RunOkAsync("config", "set", "synthetic:count", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await _project.RunOkAsync("config", "set", "--secret", "synthetic:secret", $"rotation-{trial}");

            var delay = TimeSpan.FromMilliseconds(random.Next(0, 700));
            var killed = await KillDuringApplyAsync(delay);
            killedDuringApply += killed ? 1 : 0;

            var recovery = await _project.RunAsync("up", "--yes");
            Assert.True(recovery.ExitCode == 0, $"trial {trial}: recovery up failed\n{recovery}");
            await AssertConvergedAsync(trial);
        }

        output.WriteLine($"{killedDuringApply} of {Trials} kills landed while resources were being applied");
        Assert.True(killedDuringApply >= Trials / 2, $"only {killedDuringApply} kills landed during apply; the trials test too little");
    }

    private async Task<bool> KillDuringApplyAsync(TimeSpan delay)
    {
        using var process = _project.Start("up", "--yes");
        var applying = new TaskCompletionSource();
        var stdout = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("Applying", StringComparison.Ordinal))
                {
                    applying.TrySetResult();
                }
            }

            applying.TrySetResult();
        });
        _ = process.StandardError.ReadToEndAsync();
        await applying.Task;
        await Task.Delay(delay);
        var wasRunning = !process.HasExited;
        if (wasRunning)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        await stdout;
        return wasRunning;
    }

    private async Task AssertConvergedAsync(int trial)
    {
        var export = await _project.RunOkAsync("stack", "export");
        using var document = JsonDocument.Parse(export.Stdout);
        var root = document.RootElement;
        Assert.Equal(0, root.GetProperty("pendingOperations").GetArrayLength());

        var stateIds = root.GetProperty("resources").EnumerateArray()
            .Where(r => r.GetProperty("type").GetString() == "synthetic:index:Resource")
            .Select(r => (Id: r.GetProperty("id").GetString()!, Urn: r.GetProperty("urn").GetString()!))
            .ToList();
        var cloud = Directory.Exists(Path.Combine(_project.Directory, "cloud"))
            ? Directory.GetFiles(Path.Combine(_project.Directory, "cloud")).Select(f => (Id: Path.GetFileName(f), Urn: File.ReadAllLines(f)[0])).ToList()
            : [];

        Assert.True(stateIds.OrderBy(x => x.Id).SequenceEqual(cloud.OrderBy(x => x.Id)),
            $"trial {trial}: state has {stateIds.Count} resources, the cloud {cloud.Count}; " +
            $"only in state: {string.Join(", ", stateIds.Except(cloud).Take(3))}; only in cloud: {string.Join(", ", cloud.Except(stateIds).Take(3))}");

        var preview = await _project.RunAsync("preview", "--expect-no-changes");
        Assert.True(preview.ExitCode == 0, $"trial {trial}: preview after recovery still has changes\n{preview}");
    }
}

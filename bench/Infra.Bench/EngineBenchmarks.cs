using System.Diagnostics;
using Infra.Automation;
using Infra.Deployment;
using Infra.Hosting;

namespace Infra.Bench;

/// <summary>
/// The synthetic-stack benchmarks of the engine, in-process through the Automation API on the embedded SQLite
/// backend with every step journaled, exactly as <c>./infra up</c> runs them.
/// </summary>
internal static class EngineBenchmarks
{
    public static async Task<int> RunAsync(bool quick, bool cli)
    {
        var large = quick ? 2_000 : 10_000;
        var small = large / 10;
        var directory = Path.Combine(Path.GetTempPath(), "infra-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(directory, "environments"));
        File.Copy(Path.Combine(FindRoot(), "Pulumi.yaml"), Path.Combine(directory, "Pulumi.yaml"));
        Environment.SetEnvironmentVariable("INFRA_CONFIG_PASSPHRASE", "bench");
        Figure.Print("machine.cores", Environment.ProcessorCount, "cores");
        Figure.Print("engine.parallel.default", OperationOptions.DefaultParallel, "operations");
        try
        {
            await using var workspace = await Workspace.OpenAsync(new WorkspaceOptions
            {
                ProjectDirectory = directory,
                Providers = ProviderCatalog.All,
                StateBackends = StateBackendCatalog.All,
                ProgramResolver = StackKinds.Resolve,
            }).ConfigureAwait(false);

            // Warm the JIT on a small stack so the figures measure the engine, not first-call compilation.
            await MeasureStackAsync(workspace, "warmup", 200, "wide", 0, print: null).ConfigureAwait(false);

            var smallUp = await MeasureStackAsync(workspace, "small", small, "wide", 0, print: $"synthetic.{Label(small)}").ConfigureAwait(false);
            var largeUp = await MeasureStackAsync(workspace, "large", large, "wide", 0, print: $"synthetic.{Label(large)}").ConfigureAwait(false);
            Figure.Print($"synthetic.peak_rss.{Label(large)}", Figure.PeakRssMegabytes(), "MB");
            Figure.Print($"synthetic.scaling.first_up.{Label(small)}_to_{Label(large)}", largeUp.FirstUp / smallUp.FirstUp, "x");
            Figure.Print($"synthetic.scaling.preview_nochange.{Label(small)}_to_{Label(large)}", largeUp.Preview / smallUp.Preview, "x");

            var latency = await MeasureLatencyAsync(workspace, quick ? 200 : 1_000, 20).ConfigureAwait(false);
            Figure.Seconds($"synthetic.up.{Label(quick ? 200 : 1_000)}.wide.latency_20ms", latency);

            if (cli)
            {
                await MeasureCliAsync(directory, "large", Label(large), largeUp.Preview).ConfigureAwait(false);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        return 0;
    }

    private static async Task<(double FirstUp, double Preview)> MeasureStackAsync(
        Workspace workspace, string name, int count, string shape, int latencyMs, string? print)
    {
        var stack = await workspace.CreateStackAsync(name).ConfigureAwait(false);
        await stack.SetConfigAsync("infra:kind", "synthetic").ConfigureAwait(false);
        await stack.SetConfigAsync("synthetic:count", count.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
        await stack.SetConfigAsync("synthetic:shape", shape).ConfigureAwait(false);
        await stack.SetConfigAsync("synthetic:latencyMs", latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);

        var clock = Stopwatch.StartNew();
        var first = await stack.UpAsync().ConfigureAwait(false);
        var firstUp = clock.Elapsed;
        Check(first.Summary[StepOp.Create] == count, $"first up created {first.Summary[StepOp.Create]} of {count}");

        clock.Restart();
        var preview = await stack.PreviewAsync().ConfigureAwait(false);
        var previewTime = clock.Elapsed;
        Check(!preview.HasChanges, "the no-change preview found changes");

        clock.Restart();
        var again = await stack.UpAsync().ConfigureAwait(false);
        var noChangeUp = clock.Elapsed;
        Check(again.Summary.Changes == 0, "the no-change up changed something");

        if (print is not null)
        {
            Figure.Seconds($"{print}.up.first", firstUp);
            Figure.Seconds($"{print}.preview.nochange", previewTime);
            Figure.Seconds($"{print}.up.nochange", noChangeUp);
        }

        return (firstUp.TotalSeconds, previewTime.TotalSeconds);
    }

    private static async Task<TimeSpan> MeasureLatencyAsync(Workspace workspace, int count, int latencyMs)
    {
        var stack = await workspace.CreateStackAsync("latency").ConfigureAwait(false);
        await stack.SetConfigAsync("infra:kind", "synthetic").ConfigureAwait(false);
        await stack.SetConfigAsync("synthetic:count", count.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
        await stack.SetConfigAsync("synthetic:latencyMs", latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var result = await stack.UpAsync().ConfigureAwait(false);
        Check(result.Summary[StepOp.Create] == count, "the latency up did not create every resource");
        return clock.Elapsed;
    }

    /// <summary>
    /// The real ./infra as a fresh process, as people run it (targets: --version at most 150 ms, the no-change preview
    /// of 10,000 resources at most 1 s), beside the in-process preview of the same stack in the same run. Medians of
    /// several runs, after one run that publishes the CLI if it is stale.
    /// </summary>
    private static async Task MeasureCliAsync(string directory, string stack, string label, double inProcessPreview)
    {
        var infra = Path.Combine(FindRoot(), "infra");
        await RunAsync(infra, directory, "--help").ConfigureAwait(false);
        var version = await MedianAsync(10, () => RunAsync(infra, directory, "--version")).ConfigureAwait(false);
        Figure.Print("cli.version.fresh_process", version.TotalMilliseconds, "ms");
        var preview = await MedianAsync(3, () => RunAsync(infra, directory, "preview", "-s", stack)).ConfigureAwait(false);
        Figure.Seconds($"cli.preview.{label}.nochange.fresh_process", preview);
        Figure.Print($"cli.preview.{label}.nochange.in_process", inProcessPreview, "s");
    }

    private static async Task<TimeSpan> MedianAsync(int runs, Func<Task> run)
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await run().ConfigureAwait(false);
            times.Add(clock.Elapsed);
        }

        return times.Order().ElementAt(runs / 2);
    }

    private static async Task RunAsync(string file, string directory, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        Check(process.ExitCode == 0, $"./infra {string.Join(' ', args)} failed: {await error.ConfigureAwait(false)}");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("benchmark invalid: " + message);
        }
    }

    private static string Label(int count) => count >= 1000 && count % 1000 == 0 ? $"{count / 1000}k" : count.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Infra.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmarks from inside the repository.");
    }
}

using Infra.TestSupport;

namespace Infra.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class LockContentionTests : IDisposable
{
    private readonly CliProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Two_concurrent_ups_exactly_one_proceeds_and_the_other_fails_fast_naming_the_holder()
    {
        await _project.RunOkAsync("stack", "init", "dev");
        await _project.RunOkAsync("config", "set", "infra:kind", "synthetic");
        await _project.RunOkAsync("config", "set", "synthetic:count", "40");
        await _project.RunOkAsync("config", "set", "synthetic:latencyMs", "500");

        using var first = _project.Start("up", "--yes", "--parallel", "4");
        using var second = _project.Start("up", "--yes", "--parallel", "4");
        var outputs = new[] { first, second }.Select(p => (Out: p.StandardOutput.ReadToEndAsync(), Err: p.StandardError.ReadToEndAsync())).ToArray();
        var firstExit = first.WaitForExitAsync();
        var secondExit = second.WaitForExitAsync();
        var loserDone = await Task.WhenAny(firstExit, secondExit);
        var (loser, winner, loserIndex) = loserDone == firstExit ? (first, second, 0) : (second, first, 1);
        var winnerStillRunning = !winner.HasExited;
        await Task.WhenAll(firstExit, secondExit);

        Assert.True(winnerStillRunning, "the refused update should end while the other is still applying");
        Assert.Equal(1, loser.ExitCode);
        Assert.Equal(0, winner.ExitCode);
        var error = await outputs[loserIndex].Err;
        Assert.Contains("stack 'dev' is locked by", error, StringComparison.Ordinal);
        Assert.Contains($"(pid {winner.Id},", error, StringComparison.Ordinal);
        var history = await _project.RunOkAsync("stack", "history", "--json");
        Assert.Single(System.Text.Json.JsonDocument.Parse(history.Stdout).RootElement.EnumerateArray(), u => u.GetProperty("result").GetString() == "succeeded");
    }
}

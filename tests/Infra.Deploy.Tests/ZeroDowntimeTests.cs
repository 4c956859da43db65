using Infra.TestSupport.ZeroDowntime;

namespace Infra.Deploy.Tests;

/// <summary>
/// The zero-downtime proof where no cluster exists: two versions of a real HTTP service (Debian's nginx) behind
/// Debian's HAProxy, switched blue to green through HAProxy's runtime API while a load generator sends requests
/// without pause. Reduced here (4 workers, about 2 s); <c>bench/Infra.Bench.Deploy</c> runs it full size.
/// </summary>
public sealed class ZeroDowntimeTests
{
    [Fact]
    public async Task Switching_blue_to_green_under_load_fails_and_drops_no_request_and_green_serves_everything_after()
    {
        await using var rig = await BlueGreenRig.StartAsync();
        await using var load = new LoadGenerator(rig.Front, workers: 4);

        load.Start();
        await Task.Delay(1000);
        await rig.SwitchAsync("blue", "green");
        await rig.Blue.StopGracefullyAsync();
        await Task.Delay(1000);
        var result = await load.StopAsync();

        Assert.True(result.Sent > 200, $"only {result.Sent} requests were sent");
        Assert.Equal(0, result.Failed);
        Assert.Equal(0, result.Dropped);
        Assert.Equal(result.Sent, result.ByBody.Values.Sum());
        Assert.True(result.ByBody.GetValueOrDefault("blue") > 0, "blue served nothing before the switch");
        Assert.True(result.ByBody.GetValueOrDefault("green") > 0, "green served nothing after the switch");
        Assert.All(result.Last, body => Assert.Equal("green", body));
        Assert.False(rig.Blue.IsRunning);
        Assert.Equal("MAINT", (await rig.Haproxy.ServerAsync("blue")).Status);
    }

    [Fact]
    public async Task A_green_that_fails_its_health_check_is_never_switched_to_and_blue_keeps_serving()
    {
        await using var rig = await BlueGreenRig.StartAsync(greenHealthy: false);
        await using var load = new LoadGenerator(rig.Front, workers: 2);

        load.Start();
        var refused = await Assert.ThrowsAsync<SwitchRefusedException>(() => rig.SwitchAsync("blue", "green"));
        await Task.Delay(300);
        var result = await load.StopAsync();

        Assert.Contains("'green' answered 503", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, result.Failed + result.Dropped);
        Assert.Equal(["blue"], result.ByBody.Keys);
        Assert.Equal("MAINT", (await rig.Haproxy.ServerAsync("green")).Status);
        Assert.Equal("UP", (await rig.Haproxy.ServerAsync("blue")).Status);
    }
}

using System.Diagnostics;
using System.Globalization;
using Infra.TestSupport.ZeroDowntime;

// Blue-green switches under load (docs/benchmarks.md). Prints one figure per line: name value unit.
//   gated:    the product's way: green's health check, then HAProxy's checks, then drain blue, then maintenance;
//             the old version is stopped gracefully once it serves nothing.
//   baseline: the careless way, in the same run: the old version is killed and the new one enabled at once.
// Each switch goes back and forth (blue to green, green to blue), restarting the stopped version in between.
var switches = args.Contains("--quick") ? 4 : 20;
const int Workers = 16;

await using (var rig = await BlueGreenRig.StartAsync())
{
    var (result, seconds) = await RunAsync(rig, switches, gated: true);
    Print("bluegreen.gated.switches", switches, "switches");
    Print("bluegreen.gated.requests_total", result.Sent, "requests");
    Print("bluegreen.gated.requests_failed", result.Failed, "requests");
    Print("bluegreen.gated.requests_dropped", result.Dropped, "requests");
    Print("bluegreen.gated.switch_mean", seconds / switches, "s"); // health gate, HAProxy checks (rise 2 x 100 ms), drain
}

await using (var rig = await BlueGreenRig.StartAsync())
{
    var (result, _) = await RunAsync(rig, switches, gated: false);
    Print("bluegreen.baseline.requests_total", result.Sent, "requests");
    Print("bluegreen.baseline.requests_failed", result.Failed, "requests");
    Print("bluegreen.baseline.requests_dropped", result.Dropped, "requests");
}

static async Task<(LoadResult Result, double SwitchSeconds)> RunAsync(BlueGreenRig rig, int switches, bool gated)
{
    await using var load = new LoadGenerator(rig.Front, Workers);
    load.Start();
    await Task.Delay(500);
    var switching = new Stopwatch();
    var (live, idle) = (rig.Blue, rig.Green);
    for (var i = 0; i < switches; i++)
    {
        if (!idle.IsRunning)
        {
            await idle.StartAsync();
        }

        var (from, to) = (live.Version, idle.Version);
        if (gated)
        {
            switching.Start();
            await rig.SwitchAsync(from, to);
            switching.Stop();
            await live.StopGracefullyAsync();
        }
        else
        {
            live.Kill();
            await rig.Haproxy.CommandAsync($"set server {HaproxyFront.Backend}/{from} state maint");
            await rig.Haproxy.CommandAsync($"set server {HaproxyFront.Backend}/{to} state ready");
        }

        (live, idle) = (idle, live);
        await Task.Delay(250);
    }

    var seconds = switching.Elapsed.TotalSeconds;
    return (await load.StopAsync(), seconds);
}

static void Print(string name, double value, string unit) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {value:0.###} {unit}"));

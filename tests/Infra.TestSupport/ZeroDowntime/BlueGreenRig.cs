namespace Infra.TestSupport.ZeroDowntime;

/// <summary>
/// Two versions of a service (nginx "blue", serving, and nginx "green") behind one HAProxy, started and waited for
/// until HAProxy sees blue up; disposing stops all three.
/// </summary>
public sealed class BlueGreenRig : IAsyncDisposable
{
    private BlueGreenRig(NginxVersion blue, NginxVersion green, HaproxyFront haproxy) => (Blue, Green, Haproxy) = (blue, green, haproxy);

    public NginxVersion Blue { get; }

    public NginxVersion Green { get; }

    public HaproxyFront Haproxy { get; }

    /// <summary>Where clients send requests: HAProxy's front.</summary>
    public Uri Front => new($"http://127.0.0.1:{Haproxy.Port}/");

    public static async Task<BlueGreenRig> StartAsync(bool greenHealthy = true, CancellationToken cancellationToken = default)
    {
        var blue = new NginxVersion("blue");
        var green = new NginxVersion("green", greenHealthy);
        var rig = new BlueGreenRig(blue, green, new HaproxyFront(blue.Port, green.Port));
        try
        {
            await blue.StartAsync(cancellationToken).ConfigureAwait(false);
            await green.StartAsync(cancellationToken).ConfigureAwait(false);
            await rig.Haproxy.StartAsync(cancellationToken).ConfigureAwait(false);
            await rig.WaitForAsync("blue", "UP", TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The gated switch from <paramref name="from"/> to <paramref name="to"/> (see <see cref="BlueGreenSwitch"/>).</summary>
    public Task SwitchAsync(string from, string to, CancellationToken cancellationToken = default)
    {
        var target = to == "green" ? Green : Blue;
        return BlueGreenSwitch.SwitchAsync(Haproxy, from, to, new Uri($"http://127.0.0.1:{target.Port}/healthz"), TimeSpan.FromSeconds(10), cancellationToken);
    }

    /// <summary>Waits until HAProxy reports <paramref name="status"/> for <paramref name="server"/>.</summary>
    public async Task WaitForAsync(string server, string status, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        string seen;
        while ((seen = (await Haproxy.ServerAsync(server, cancellationToken).ConfigureAwait(false)).Status) != status)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"haproxy reports {server} {seen}, not {status}, after {timeout.TotalSeconds:0.#} s");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Haproxy.DisposeAsync().ConfigureAwait(false);
        await Green.DisposeAsync().ConfigureAwait(false);
        await Blue.DisposeAsync().ConfigureAwait(false);
    }
}

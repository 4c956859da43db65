namespace Infra.TestSupport.ZeroDowntime;

/// <summary>
/// Moves traffic from the live server to the idle one through HAProxy's runtime API, the way a blue-green release
/// does: nothing changes unless the new version passes its health check, first our own request to its
/// <c>/healthz</c>, then HAProxy's checks once it leaves maintenance; only then is the old version drained (no new
/// requests, those in flight finish) and put in maintenance. A failed gate puts the new version back in
/// maintenance, so the old one never stops serving.
/// </summary>
public static class BlueGreenSwitch
{
    public static async Task SwitchAsync(HaproxyFront haproxy, string from, string to, Uri health, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(haproxy);
        using (var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) })
        {
            using var response = await client.GetAsync(health, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new SwitchRefusedException($"'{to}' answered {(int)response.StatusCode} at {health}; traffic stays on '{from}'.");
            }
        }

        await RunAsync(haproxy, $"enable server {HaproxyFront.Backend}/{to}", cancellationToken).ConfigureAwait(false);
        if (!await WaitForAsync(haproxy, to, static s => s.Status == "UP", timeout, cancellationToken).ConfigureAwait(false))
        {
            await RunAsync(haproxy, $"disable server {HaproxyFront.Backend}/{to}", cancellationToken).ConfigureAwait(false);
            throw new SwitchRefusedException($"'{to}' did not pass HAProxy's health checks within {timeout.TotalSeconds:0.#} s; traffic stays on '{from}'.");
        }

        await RunAsync(haproxy, $"set server {HaproxyFront.Backend}/{from} state drain", cancellationToken).ConfigureAwait(false);
        await WaitForAsync(haproxy, from, static s => s.Sessions == 0, timeout, cancellationToken).ConfigureAwait(false);
        await RunAsync(haproxy, $"set server {HaproxyFront.Backend}/{from} state maint", cancellationToken).ConfigureAwait(false);
    }

    private static async Task RunAsync(HaproxyFront haproxy, string command, CancellationToken cancellationToken)
    {
        var answer = await haproxy.CommandAsync(command, cancellationToken).ConfigureAwait(false);
        if (answer.Length > 0)
        {
            throw new InvalidOperationException($"haproxy refused '{command}': {answer}");
        }
    }

    private static async Task<bool> WaitForAsync(
        HaproxyFront haproxy, string server, Func<(string Status, int Sessions), bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition(await haproxy.ServerAsync(server, cancellationToken).ConfigureAwait(false)))
            {
                return true;
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }
}

/// <summary>The switch did not happen because the new version is not healthy; the old one still serves.</summary>
public sealed class SwitchRefusedException(string message) : Exception(message);

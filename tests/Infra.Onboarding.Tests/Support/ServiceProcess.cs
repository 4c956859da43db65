using Infra.TestSupport;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Infra.Onboarding.Tests.Support;

/// <summary>
/// The service as a real process (<c>dotnet Infra.Onboarding.dll</c>), for what only a process shows: SIGKILL in the
/// middle of a burst, SIGTERM, and a restart that picks up the dead worker's jobs.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process, Uri url, ConcurrentQueue<string> output)
    {
        _process = process;
        Url = url;
        Output = output;
    }

    public Uri Url { get; }

    public ConcurrentQueue<string> Output { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The service's process id (the bench reads its peak RSS from /proc).</summary>
    public int ProcessId => _process.Id;

    /// <param name="setup">The instance's database and project.</param>
    /// <param name="workers">Operations run at once.</param>
    /// <param name="port">The port; a free one by default.</param>
    /// <param name="settings">Settings over the setup's (configuration keys, <c>Onboarding:Section:Key</c>).</param>
    public static async Task<ServiceProcess> StartAsync(OnboardingSetup setup, int workers = 6, int? port = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var url = new Uri($"http://127.0.0.1:{port ?? LoopbackPort.Free()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = setup.Project.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Infra.Onboarding.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url.ToString().TrimEnd('/'));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment.Remove("INFRA_BACKEND_URL");
        foreach (var (key, value) in setup.Settings(workers).Concat(settings ?? new Dictionary<string, string?>()))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var output = new ConcurrentQueue<string>();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new ServiceProcess(process, url, output);
        await service.WaitReadyAsync(TimeSpan.FromSeconds(90));
        return service;
    }

    public HttpClient ClientFor(string scope, string subject)
    {
        var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OnboardingSetup.Token(scope, subject));
        return client;
    }

    /// <summary>SIGKILL: no shutdown, no cleanup, connections cut.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then waits for the graceful shutdown; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the service exited with {_process.ExitCode}: {string.Join('\n', Output.TakeLast(30))}");
            }

            try
            {
                if ((await client.GetAsync("/healthz/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the service was not ready in {timeout}: {string.Join('\n', Output.TakeLast(30))}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Infra.Observability.Tests.Support;

/// <summary>A webhook receiver on 127.0.0.1 that keeps every Alertmanager notification it gets, by path.</summary>
public sealed class WebhookListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public WebhookListener()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUrl.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    public ConcurrentQueue<(string Path, JsonObject Body)> Received { get; } = new();

    /// <summary>The alerts received at <paramref name="path"/>, each as its labels.</summary>
    public IEnumerable<JsonObject> AlertsAt(string path) =>
        Received.Where(r => r.Path == path).SelectMany(static r => r.Body["alerts"]!.AsArray()).Select(static a => a!["labels"]!.AsObject());

    public void Dispose()
    {
        _listener.Close();
        _ = _loop;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using (var reader = new StreamReader(context.Request.InputStream))
            {
                if (JsonNode.Parse(await reader.ReadToEndAsync()) is JsonObject body)
                {
                    Received.Enqueue((context.Request.Url!.AbsolutePath, body));
                }
            }

            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using Infra.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Infra.Onboarding.Tests.Support;

/// <summary>
/// The service in-process (WebApplicationFactory) against the real PostgreSQL, real helm and real git, shared by
/// every in-process test: Hangfire keeps its configuration in static state, so one process hosts one instance. It
/// records every log line and every span (with its tags, for the secrets scan, and its links, for the trace test).
/// </summary>
public sealed class ServiceFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly ActivityListener _listener;
    private PostgresServer? _server;
    private OnboardingSetup? _setup;

    public ServiceFactory()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = static _ => true,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                Spans.Add(string.Join(' ', a.DisplayName, string.Join(' ', a.TagObjects.Select(static t => $"{t.Key}={t.Value}"))));
                Activities.Add(a);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public ConcurrentQueue<string> Logs { get; } = new();

    public ConcurrentBag<string> Spans { get; } = [];

    /// <summary>Every span that ended, as the in-process exporter an OpenTelemetry pipeline would be handed.</summary>
    public ConcurrentBag<Activity> Activities { get; } = [];

    public OnboardingSetup Setup => _setup ?? throw new InvalidOperationException("not started");

    public HttpClient ClientFor(string scope, string subject)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OnboardingSetup.Token(scope, subject));
        return client;
    }

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        _setup = await OnboardingSetup.CreateAsync(_server);
        _ = Server; // start now, so the first test does not pay for it
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in Setup.Settings())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddLogging(logging => logging.AddProvider(new RecordingLoggerProvider(Logs))));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        _listener.Dispose();
        if (_setup is not null)
        {
            await _setup.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private sealed class RecordingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider? _scopes;

        public ILogger CreateLogger(string categoryName) => new Recorder(lines, () => _scopes);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Recorder(ConcurrentQueue<string> lines, Func<IExternalScopeProvider?> scopes) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => scopes()?.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scopeText = new System.Text.StringBuilder();
                scopes()?.ForEachScope((scope, builder) => builder.Append(' ').Append(scope), scopeText);
                lines.Enqueue($"{logLevel} {formatter(state, exception)} {exception}{scopeText}");
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class OnboardingCollection : ICollectionFixture<ServiceFactory>
{
    public const string Name = "onboarding service";
}

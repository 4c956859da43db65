using System.Diagnostics;
using System.Text.Json;
using Infra.Hosting.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Infra.Cli.Tests;

/// <summary>Issue 11 §3: the hosts' JSON logs carry Elastic Common Schema field names, so no Elasticsearch mapping is needed.</summary>
public sealed class EcsLogFormatTests
{
    [Fact]
    public void A_log_entry_is_one_json_line_with_ecs_field_names_trace_and_tenant()
    {
        using var activity = new Activity("onboard").Start();
        var scopes = new LoggerExternalScopeProvider();
        using var scope = scopes.Push(new Dictionary<string, object?> { ["TenantId"] = "acme" });
        var output = new StringWriter();
        var entry = new LogEntry<string>(LogLevel.Warning, "Infra.Onboarding", default, "database is 85% full", new InvalidOperationException("boom"), static (s, _) => s);

        new EcsConsoleFormatter().Write(entry, scopes, output);

        var line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var json = JsonDocument.Parse(line).RootElement;
        Assert.True(DateTimeOffset.TryParse(json.GetProperty("@timestamp").GetString(), out _));
        Assert.Equal("warn", json.GetProperty("log.level").GetString());
        Assert.Equal("database is 85% full", json.GetProperty("message").GetString());
        Assert.Equal(activity.TraceId.ToHexString(), json.GetProperty("trace.id").GetString());
        Assert.Equal("acme", json.GetProperty("tenant.id").GetString());
        Assert.Equal("boom", json.GetProperty("error.message").GetString());
        Assert.Equal("Infra.Onboarding", json.GetProperty("log.logger").GetString());
    }
}

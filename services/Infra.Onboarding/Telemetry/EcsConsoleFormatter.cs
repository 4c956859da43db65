using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Infra.Onboarding.Telemetry;

/// <summary>
/// One JSON object per line with Elastic Common Schema field names: <c>@timestamp</c>, <c>log.level</c>,
/// <c>message</c>, <c>log.logger</c>, <c>trace.id</c> and <c>span.id</c> of the current activity, <c>tenant.id</c>
/// from the scope or the message's <c>Tenant</c> value, and <c>error.type</c>/<c>error.message</c>. Messages are
/// built from templates whose values are ids and reasons; the service never logs a connection string or a token.
/// </summary>
internal sealed class EcsConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "ecs";

    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            writer.WriteStartObject();
            writer.WriteString("@timestamp", DateTimeOffset.UtcNow);
            writer.WriteString("log.level", Level(logEntry.LogLevel));
            writer.WriteString("message", message);
            writer.WriteString("log.logger", logEntry.Category);
            writer.WriteString("ecs.version", "8.11.0");
            if (Activity.Current is { } activity)
            {
                writer.WriteString("trace.id", activity.TraceId.ToHexString());
                writer.WriteString("span.id", activity.SpanId.ToHexString());
            }

            if (TenantOf(logEntry.State, scopeProvider) is { } tenant)
            {
                writer.WriteString("tenant.id", tenant);
            }

            if (logEntry.Exception is { } exception)
            {
                writer.WriteString("error.type", exception.GetType().FullName);
                writer.WriteString("error.message", exception.Message);
            }

            writer.WriteEndObject();
        }

        textWriter.Write(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        textWriter.Write('\n');
    }

    private static string? TenantOf<TState>(TState state, IExternalScopeProvider? scopes)
    {
        string? tenant = null;
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
        {
            tenant = values.FirstOrDefault(static kv => kv.Key is "Tenant" or "tenant.id").Value?.ToString();
        }

        scopes?.ForEachScope((scope, _) =>
        {
            if (tenant is null && scope is IEnumerable<KeyValuePair<string, object>> pairs)
            {
                tenant = pairs.FirstOrDefault(static kv => kv.Key == "tenant.id").Value?.ToString();
            }
        }, (object?)null);
        return tenant;
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };
}

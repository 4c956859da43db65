using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Infra.Hosting.Logging;

/// <summary>
/// Writes each log entry as one JSON line with Elastic Common Schema field names (<c>@timestamp</c>,
/// <c>log.level</c>, <c>log.logger</c>, <c>message</c>, <c>trace.id</c>, <c>span.id</c>, <c>tenant.id</c>,
/// <c>error.*</c>), so Fluent Bit can ship it to Elasticsearch without a mapping. A scope value named
/// <c>TenantId</c> or <c>tenant.id</c> becomes <c>tenant.id</c>; the current activity gives the trace and span.
/// Register it with <c>logging.AddConsole(o =&gt; o.FormatterName = EcsConsoleFormatter.FormatterName).AddConsoleFormatter&lt;EcsConsoleFormatter, ConsoleFormatterOptions&gt;()</c>.
/// </summary>
public sealed class EcsConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    /// <summary>The formatter's name, for <c>ConsoleLoggerOptions.FormatterName</c>.</summary>
    public const string FormatterName = "ecs";

    /// <summary>The ECS version the field names follow.</summary>
    public const string EcsVersion = "8.11.0";

    /// <inheritdoc/>
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception) ?? logEntry.State?.ToString() ?? string.Empty;
        string? tenant = null;
        scopeProvider?.ForEachScope((scope, _) => tenant = TenantOf(scope) ?? tenant, (object?)null);
        tenant = TenantOf(logEntry.State) ?? tenant;
        textWriter.WriteLine(Line(DateTimeOffset.UtcNow, Level(logEntry.LogLevel), logEntry.Category, message, tenant, logEntry.Exception, Activity.Current));
    }

    /// <summary>One ECS log line, for hosts that log without Microsoft.Extensions.Logging.</summary>
    public static string Line(DateTimeOffset timestamp, string level, string? logger, string message, string? tenantId, Exception? exception, Activity? activity)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("@timestamp", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("log.level", level);
            if (logger is not null)
            {
                json.WriteString("log.logger", logger);
            }

            json.WriteString("message", message);
            json.WriteString("ecs.version", EcsVersion);
            if (activity is not null)
            {
                json.WriteString("trace.id", activity.TraceId.ToHexString());
                json.WriteString("span.id", activity.SpanId.ToHexString());
            }

            if (tenantId is not null)
            {
                json.WriteString("tenant.id", tenantId);
            }

            if (exception is not null)
            {
                json.WriteString("error.type", exception.GetType().FullName);
                json.WriteString("error.message", exception.Message);
                json.WriteString("error.stack_trace", exception.ToString());
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The ECS <c>log.level</c> of a .NET level.</summary>
    public static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        LogLevel.Critical => "fatal",
        _ => "none",
    };

    private static string? TenantOf(object? state) =>
        state is IEnumerable<KeyValuePair<string, object?>> values
            ? values.FirstOrDefault(static kv => kv.Key is "TenantId" or "tenant.id").Value?.ToString()
            : null;
}

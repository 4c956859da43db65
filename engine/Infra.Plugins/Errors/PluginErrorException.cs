using System.Collections.Immutable;
using System.Text.Json;
using Infra.Plugins.Protocol;
using Infra.Providers;

namespace Infra.Plugins;

/// <summary>
/// A plugin answered a call with a JSON-RPC error (see <see cref="PluginErrorCodes"/>): the call did not happen.
/// The message reads <c>plugin 'dns': create: conflict: the record www A exists with another value</c>.
/// </summary>
public sealed class PluginErrorException : PluginException
{
    /// <summary>Creates the error for <paramref name="method"/>'s answer.</summary>
    public PluginErrorException(string plugin, string method, int code, string message, JsonElement? data, Exception? innerException = null)
        : base(plugin, $"{method}: {PluginErrorCodes.NameOf(code)}: {OneLine(message)}{Details(code, data)}", innerException)
    {
        Method = method;
        Code = code;
        PluginMessage = message;
        ErrorData = data;
    }

    /// <summary>The method that failed.</summary>
    public string Method { get; }

    /// <summary>The error code, one of <see cref="PluginErrorCodes"/> or the plugin's own.</summary>
    public int Code { get; }

    /// <summary>The plugin's own message.</summary>
    public string PluginMessage { get; }

    /// <summary>The error's <c>data</c>, if any.</summary>
    public JsonElement? ErrorData { get; }

    /// <summary>For <see cref="PluginErrorCodes.CheckFailed"/>: the failures in <c>data.failures</c>.</summary>
    public ImmutableArray<CheckFailure> CheckFailures =>
        ErrorData is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty("failures", out var failures) && failures.ValueKind == JsonValueKind.Array
            ? [.. failures.EnumerateArray().Select(static f => f.Deserialize<CheckFailure>(PluginJson.Options)!)]
            : [];

    private static string Details(int code, JsonElement? data)
    {
        if (code != PluginErrorCodes.CheckFailed || data is not { ValueKind: JsonValueKind.Object } d ||
            !d.TryGetProperty("failures", out var failures) || failures.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        var text = failures.EnumerateArray()
            .Select(static f => f.TryGetProperty("property", out var p) && f.TryGetProperty("reason", out var r) ? $"{p.GetString()}: {r.GetString()}" : null)
            .Where(static t => t is not null);
        return " (" + string.Join("; ", text) + ")";
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}

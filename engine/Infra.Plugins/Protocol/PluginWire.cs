using System.Text.Json;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Infra.Plugins.Protocol;

/// <summary>
/// The framing both sides use: one JSON-RPC 2.0 message per line (newline-delimited, <c>\n</c>), UTF-8, through
/// StreamJsonRpc with System.Text.Json and <see cref="PluginJson.Options"/>.
/// </summary>
public static class PluginWire
{
    /// <summary>A formatter for one connection (formatters hold per-connection state, so each connection gets its own).</summary>
    public static SystemTextJsonFormatter CreateFormatter() => new()
    {
        JsonSerializerOptions = new JsonSerializerOptions(PluginJson.Options),
    };

    /// <summary>A newline-delimited JSON-RPC connection over <paramref name="output"/> (written) and <paramref name="input"/> (read).</summary>
    public static JsonRpc Connect(Stream output, Stream input)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(input);
        var handler = new NewLineDelimitedMessageHandler(output, input, CreateFormatter())
        {
            NewLine = NewLineDelimitedMessageHandler.NewLineStyle.Lf,
        };
        return new PluginRpc(handler);
    }

    /// <summary>Answers params that do not bind to a method's message as <c>invalid params</c>, as the protocol says, not as a generic failure.</summary>
    private sealed class PluginRpc(IJsonRpcMessageHandler handler) : JsonRpc(handler)
    {
        protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
        {
            var details = base.CreateErrorDetails(request, exception);
            if (exception is JsonException || exception.InnerException is JsonException)
            {
                details.Code = (JsonRpcErrorCode)PluginErrorCodes.InvalidParams;
                details.Message = (exception.InnerException as JsonException ?? exception).Message;
                details.Data = null;
            }

            return details;
        }
    }
}

using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Infra.Plugins.Protocol;

/// <summary>Params of <c>batch</c>: several provider calls in one message, for a plugin that announced <see cref="PluginProtocol.BatchCapability"/>.</summary>
/// <param name="Calls">The calls, each answered in the result at the same position.</param>
public sealed record BatchRequest(ImmutableArray<BatchCall> Calls);

/// <summary>One call inside a <c>batch</c>.</summary>
/// <param name="Method">A provider resource method: <c>check</c>, <c>diff</c>, <c>create</c>, <c>read</c>, <c>update</c> or <c>delete</c>.</param>
/// <param name="Params">Its params, as that method alone would take them (read back as a <c>JsonElement</c>).</param>
public sealed record BatchCall(string Method, object Params);

/// <summary>Result of <c>batch</c>: one entry per call, in the calls' order.</summary>
/// <param name="Results">Each a <see cref="BatchItemResult"/> or a <see cref="BatchItemError"/> (read back as a <c>JsonElement</c>).</param>
public sealed record BatchResponse(ImmutableArray<object> Results);

/// <summary>A call of the batch that succeeded: its result as the method alone would return it (<c>null</c> for <c>delete</c>).</summary>
/// <param name="Result">The method's result.</param>
public sealed record BatchItemResult(object? Result);

/// <summary>A call of the batch that failed, with the error object the method alone would have answered; the other calls are not affected.</summary>
/// <param name="Error">The JSON-RPC error object.</param>
public sealed record BatchItemError(PluginErrorObject Error);

/// <summary>A JSON-RPC error object (<c>docs/plugins/schema/error.json</c>).</summary>
/// <param name="Code">One of <see cref="PluginErrorCodes"/> or the plugin's own.</param>
/// <param name="Message">What went wrong.</param>
/// <param name="Data">Details, per code.</param>
public sealed record PluginErrorObject(int Code, string Message, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Data = null);

namespace Infra.Plugins.Protocol;

/// <summary>
/// The <c>error.code</c> values of the protocol. The negative ones are JSON-RPC 2.0's own or in its range for
/// server errors; the positive ones are provider outcomes. Every error that a plugin answers means the call did
/// not happen; a call whose outcome is unknown (a crash, a hang) has no answer at all.
/// </summary>
public static class PluginErrorCodes
{
    /// <summary>JSON-RPC: the request was not valid JSON.</summary>
    public const int ParseError = -32700;

    /// <summary>JSON-RPC: the request was not a valid request object.</summary>
    public const int InvalidRequest = -32600;

    /// <summary>JSON-RPC: the plugin does not serve the method (a policy pack asked for <c>create</c>).</summary>
    public const int MethodNotFound = -32601;

    /// <summary>JSON-RPC: the params do not match the method's schema. <c>data.property</c> may name the field.</summary>
    public const int InvalidParams = -32602;

    /// <summary>JSON-RPC: the plugin failed; the call did not happen. <c>data.type</c> may name the error's type.</summary>
    public const int Internal = -32603;

    /// <summary>Handshake: the plugin does not speak the engine's protocol. <c>data.supported</c> lists what it speaks.</summary>
    public const int ProtocolMismatch = -32010;

    /// <summary>A resource call arrived before <c>configure</c>.</summary>
    public const int NotConfigured = -32011;

    /// <summary>Create or update refused inputs that check let through. <c>data.failures</c> holds check failures.</summary>
    public const int CheckFailed = 1000;

    /// <summary>Create found the object already there but different; nothing was overwritten. <c>data.id</c> names it.</summary>
    public const int Conflict = 1001;

    /// <summary>Update found no object with the ID. <c>data.id</c> names it.</summary>
    public const int NotFound = 1002;

    /// <summary>The name of a code as used in messages and docs, e.g. <c>conflict</c>.</summary>
    public static string NameOf(int code) => code switch
    {
        ParseError => "parse error",
        InvalidRequest => "invalid request",
        MethodNotFound => "method not found",
        InvalidParams => "invalid params",
        Internal => "internal",
        ProtocolMismatch => "protocol mismatch",
        NotConfigured => "not configured",
        CheckFailed => "check failed",
        Conflict => "conflict",
        NotFound => "not found",
        _ => $"error {code}",
    };
}

using Infra.Providers;

namespace Infra.Plugins;

/// <summary>How a plugin failed to answer.</summary>
public enum PluginFault
{
    /// <summary>The process exited, or closed its stdout, with calls in flight.</summary>
    Crashed,

    /// <summary>The call got no answer within the per-call timeout.</summary>
    TimedOut,

    /// <summary>The plugin wrote something on stdout that is not a JSON-RPC message, so the connection was dropped.</summary>
    MalformedOutput,

    /// <summary>The plugin's answer is JSON-RPC but not the message the method returns.</summary>
    MalformedAnswer,
}

/// <summary>
/// A call to a plugin got no usable answer: the plugin crashed, hung past the per-call timeout, or wrote malformed
/// output. The plugin may or may not have done the work, so the engine keeps the operation pending (see
/// <see cref="ProviderOutcomeUnknownException"/>). Only the calls the plugin was serving fail; the next call starts a
/// fresh process. The message is one line that starts with the plugin's name.
/// </summary>
public sealed class PluginFaultException : ProviderOutcomeUnknownException
{
    /// <summary>Creates the error for a call of <paramref name="method"/> to <paramref name="plugin"/>.</summary>
    public PluginFaultException(string plugin, string method, PluginFault fault, string detail, Exception? innerException = null)
        : base($"plugin '{plugin}': {method}: {detail}", innerException)
    {
        Plugin = plugin;
        Method = method;
        Fault = fault;
        Detail = detail;
    }

    /// <summary>What went wrong, without the plugin's name and the method.</summary>
    public string Detail { get; }

    /// <summary>The plugin's name.</summary>
    public string Plugin { get; }

    /// <summary>The method that got no answer.</summary>
    public string Method { get; }

    /// <summary>What went wrong.</summary>
    public PluginFault Fault { get; }
}

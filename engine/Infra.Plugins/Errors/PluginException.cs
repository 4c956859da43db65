namespace Infra.Plugins;

/// <summary>
/// A plugin could not be used: it did not start, refused the handshake, speaks another protocol, or answered a call
/// with an error. The message is one line that starts with the plugin's name. Errors a plugin answers mean the call
/// did not happen; calls that got no answer at all are <see cref="PluginFaultException"/>s.
/// </summary>
public class PluginException : InfraException
{
    /// <summary>Creates an error about the plugin <paramref name="plugin"/>.</summary>
    public PluginException(string plugin, string message, Exception? innerException = null)
        : base($"plugin '{plugin}': {message}", innerException)
    {
        Plugin = plugin;
        Reason = message;
    }

    /// <summary>The plugin's name.</summary>
    public string Plugin { get; }

    /// <summary>The message without the plugin's name.</summary>
    public string Reason { get; }
}

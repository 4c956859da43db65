using Infra.Plugins.Protocol;
using StreamJsonRpc;

namespace Infra.Plugins.Serving;

/// <summary>
/// Serves a plugin written in C# on stdin and stdout: the other end of <see cref="Runtime.PluginProcess"/>. Anything the
/// plugin's code writes to <see cref="Console.Out"/> is sent to stderr instead, so a stray log line cannot corrupt the
/// protocol. Calls are dispatched concurrently, as the protocol requires.
/// </summary>
public static class PluginServer
{
    /// <summary>Serves <paramref name="target"/> (e.g. a <see cref="ProviderPluginTarget"/>) on the process's stdin and stdout until stdin closes.</summary>
    public static async Task ServeStdioAsync(object target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var stdout = Console.OpenStandardOutput();
        var stdin = Console.OpenStandardInput();
        Console.SetOut(Console.Error);
        await ServeAsync(target, stdout, stdin, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves <paramref name="target"/>, writing to <paramref name="output"/> and reading from <paramref name="input"/>, until the input ends.</summary>
    public static async Task ServeAsync(object target, Stream output, Stream input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var rpc = PluginWire.Connect(output, input);
        rpc.AddLocalRpcTarget(target, new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true });
        rpc.StartListening();
        using (cancellationToken.Register(rpc.Dispose))
        {
            try
            {
                await rpc.Completion.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException or OperationCanceledException)
            {
                // The engine went away: nothing left to serve.
            }
        }
    }

    /// <summary>An error answer with a protocol code, for plugin code that wants to return one.</summary>
    public static LocalRpcException Error(int code, string message, object? data = null) =>
        new(message) { ErrorCode = code, ErrorData = data };
}

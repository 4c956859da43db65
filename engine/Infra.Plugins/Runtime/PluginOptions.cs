namespace Infra.Plugins.Runtime;

/// <summary>How to run one plugin: its command, the launcher that may sandbox it, timeouts and where its log goes.</summary>
public sealed record PluginOptions
{
    /// <summary>The plugin's name as the user knows it (its manifest name), used in every message.</summary>
    public required string Name { get; init; }

    /// <summary>The command that starts the plugin.</summary>
    public required PluginCommand Command { get; init; }

    /// <summary>Turns <see cref="Command"/> into what is executed; the seam for a sandbox.</summary>
    public IPluginLauncher Launcher { get; init; } = DirectPluginLauncher.Instance;

    /// <summary>How long the process may take to start and answer the handshake.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one call may go unanswered before it fails (the plugin may still finish it).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Receives each line the plugin writes on stderr, its log; none by default.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>The engine version sent in the handshake.</summary>
    public string EngineVersion { get; init; } = typeof(IPluginLauncher).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}

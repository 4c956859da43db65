namespace Infra.Plugins.Runtime;

/// <summary>The last lines a plugin wrote on stderr, so a crash can be explained by what the plugin last said.</summary>
internal sealed class PluginLogTail(Action<string>? sink)
{
    private const int Capacity = 20;
    private readonly Queue<string> _lines = new();
    private readonly Lock _lock = new();

    public void Add(string line)
    {
        lock (_lock)
        {
            if (_lines.Count == Capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }

        sink?.Invoke(line);
    }

    /// <summary>The last non-empty line, shortened to fit a one-line message, or <see langword="null"/>.</summary>
    public string? LastLine()
    {
        lock (_lock)
        {
            var line = _lines.LastOrDefault(static l => !string.IsNullOrWhiteSpace(l))?.Trim();
            return line is { Length: > 200 } ? line[..200] + "…" : line;
        }
    }
}

using Infra.Configuration;
using Infra.Providers;

namespace Infra.Cli;

/// <summary>
/// Where a CLI run reads and writes, and what it runs. The real process uses the console and the built-in stack
/// kinds; tests run the same commands in-process with captured writers and their own programs.
/// </summary>
internal sealed record CliHost
{
    private static readonly AsyncLocal<CliHost?> s_current = new();

    public static CliHost Process { get; } = new()
    {
        In = Console.In,
        Out = Console.Out,
        Error = Console.Error,
        Interactive = !Console.IsInputRedirected && !Console.IsOutputRedirected,
        Redirected = Console.IsOutputRedirected,
    };

    /// <summary>The host of the current run (flows with its async calls).</summary>
    public static CliHost Current => s_current.Value ?? Process;

    public TextReader In { get; init; } = TextReader.Null;

    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>True when a person is at a terminal, so questions may be asked.</summary>
    public bool Interactive { get; init; }

    /// <summary>True when stdout is not a terminal (no live view, no wrapping).</summary>
    public bool Redirected { get; init; } = true;

    /// <summary>Overrides the stack-kind program resolver.</summary>
    public Func<string, StackConfig, StackProgram>? ProgramResolver { get; init; }

    /// <summary>Overrides the provider catalog.</summary>
    public IReadOnlyList<IProviderFactory>? Providers { get; init; }

    public IDisposable Enter()
    {
        var previous = s_current.Value;
        s_current.Value = this;
        return new Restore(previous);
    }

    private sealed class Restore(CliHost? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}

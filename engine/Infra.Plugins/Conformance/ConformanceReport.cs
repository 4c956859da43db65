using System.Collections.Immutable;

namespace Infra.Plugins.Conformance;

/// <summary>One check of the conformance suite.</summary>
/// <param name="Name">What the check proves, e.g. <c>create adopts an identical object after a crash</c>.</param>
/// <param name="Passed">True when the plugin behaved as the protocol requires.</param>
/// <param name="Detail">What was seen: a figure on success, the discrepancy on failure.</param>
public sealed record ConformanceCheck(string Name, bool Passed, string Detail);

/// <summary>What the conformance suite found for one plugin.</summary>
/// <param name="Plugin">The plugin's name and version.</param>
/// <param name="Checks">Every check, in the order run.</param>
public sealed record ConformanceReport(string Plugin, ImmutableArray<ConformanceCheck> Checks)
{
    /// <summary>True when every check passed.</summary>
    public bool Passed => Checks.All(static c => c.Passed);

    /// <summary>The report as lines for people: one per check, then a closing <c>N passed, N failed</c>.</summary>
    public IEnumerable<string> Lines()
    {
        foreach (var check in Checks)
        {
            yield return $"{(check.Passed ? "ok  " : "FAIL")} {check.Name}{(check.Detail.Length == 0 ? string.Empty : $": {check.Detail}")}";
        }

        yield return $"{Plugin}: {Checks.Count(static c => c.Passed)} passed, {Checks.Count(static c => !c.Passed)} failed";
    }
}

/// <summary>How the suite runs.</summary>
public sealed record ConformanceOptions
{
    /// <summary>Run the manifest's build steps first (for a source folder from a clean clone).</summary>
    public bool Build { get; init; } = true;

    /// <summary>Receives build output and the plugin's log.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>How many calls the concurrency check keeps in flight at once.</summary>
    public int Concurrency { get; init; } = 24;

    /// <summary>The per-call timeout while testing.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Turns the plugin's command into what is executed (a sandbox).</summary>
    public Runtime.IPluginLauncher Launcher { get; init; } = Runtime.DirectPluginLauncher.Instance;
}

/// <summary>Records checks as they run; a check fails by throwing.</summary>
internal sealed class CheckList
{
    private readonly ImmutableArray<ConformanceCheck>.Builder _checks = ImmutableArray.CreateBuilder<ConformanceCheck>();

    public ImmutableArray<ConformanceCheck> Checks => _checks.ToImmutable();

    public async Task<bool> RunAsync(string name, Func<Task<string>> check)
    {
        try
        {
            _checks.Add(new ConformanceCheck(name, true, await check().ConfigureAwait(false)));
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || ex is PluginFaultException)
        {
            _checks.Add(new ConformanceCheck(name, false, ex is ConformanceFailure ? ex.Message : $"{ex.GetType().Name}: {ex.Message}".ReplaceLineEndings(" ")));
            return false;
        }
    }

    public void Fail(string name, string detail) => _checks.Add(new ConformanceCheck(name, false, detail));
}

/// <summary>A check's expectation that did not hold.</summary>
internal sealed class ConformanceFailure(string message) : Exception(message)
{
    public static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new ConformanceFailure(message);
        }
    }
}

using System.Diagnostics;
using System.Globalization;

namespace Infra.Bench.Tenants;

/// <summary>
/// One side of a fleet comparison (the GitOps render, or plain <c>helm template</c>), prepared beforehand (stacks
/// created, JIT and caches warm) and then timed in stretches, each a range of the fleet run <see cref="Parallel"/> at a
/// time. Taking turns in stretches puts both sides through the same moments of a noisy machine, where one side's whole
/// fleet and then the other's put each through its own.
/// </summary>
internal abstract class FleetSide : IAsyncDisposable
{
    /// <summary>How many tenants run at once, on every side.</summary>
    public const int Parallel = 8;

    /// <param name="figure">The fleet figure's name.</param>
    /// <param name="title">How standard error names the side.</param>
    /// <param name="children">What the side's child processes are, for standard error.</param>
    /// <param name="fleet">How many tenants the fleet has.</param>
    protected FleetSide(string figure, string title, string children, int fleet)
    {
        Figure = figure;
        Title = title;
        Children = children;
        Fleet = fleet;
    }

    /// <summary>The fleet figure's name, such as <c>helm_template.tenants500.parallel8</c>.</summary>
    public string Figure { get; }

    /// <summary>How standard error names the side.</summary>
    public string Title { get; }

    /// <summary>What the side's child processes are (their CPU is in <see cref="ProcessCpu.Children"/>).</summary>
    public string Children { get; }

    /// <summary>How many tenants the fleet has.</summary>
    public int Fleet { get; }

    /// <summary>The wall time of every stretch run so far, added up.</summary>
    public TimeSpan Wall { get; private set; }

    /// <summary>The CPU this process and its children spent in those stretches, added up.</summary>
    public ProcessCpu Spent { get; private set; }

    /// <summary>Each stretch's wall time, in the order they ran.</summary>
    public List<TimeSpan> Stretches { get; } = [];

    /// <summary>Runs tenants <paramref name="from"/> to <paramref name="to"/> (excluded) and adds their time to <see cref="Wall"/> and <see cref="Spent"/>.</summary>
    public async Task TimeAsync(int from, int to)
    {
        var cpu = ProcessCpu.Now();
        var clock = Stopwatch.StartNew();
        await InParallelAsync(Enumerable.Range(from, to - from), RunAsync);
        Wall += clock.Elapsed;
        Spent += ProcessCpu.Now() - cpu;
        Stretches.Add(clock.Elapsed);
    }

    /// <summary>
    /// Prints the fleet figure (all stretches' wall time, in seconds); on standard error, the CPU spent and each
    /// stretch's seconds.
    /// </summary>
    public async Task ReportAsync()
    {
        Figures.Print(Figure, Wall.TotalSeconds, "s");
        await Console.Error.WriteLineAsync($"{Title}: {Fleet} fleet tenants, {Spent.Describe(Wall)} (children: {Children}); " +
            $"stretches {string.Join(' ', Stretches.Select(static s => s.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)))} s");
    }

    /// <summary>Renders tenant <paramref name="index"/> of the fleet.</summary>
    protected abstract Task RunAsync(int index);

    public abstract ValueTask DisposeAsync();

    /// <summary>Runs <paramref name="work"/> for every item, <see cref="Parallel"/> at a time.</summary>
    public static async Task InParallelAsync<T>(IEnumerable<T> items, Func<T, Task> work)
    {
        using var slots = new SemaphoreSlim(Parallel);
        await Task.WhenAll(items.Select(async item =>
        {
            await slots.WaitAsync();
            try
            {
                await work(item);
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    /// <summary>
    /// Runs every side's whole fleet in <paramref name="stretches"/> stretches, the sides taking turns and the first
    /// place passing round from one stretch to the next, so that no side always runs first, right after the set-up, or
    /// right after a given other side.
    /// </summary>
    public static async Task InTurnsAsync(IReadOnlyList<FleetSide> sides, int stretches)
    {
        var fleet = sides[0].Fleet;
        stretches = Math.Clamp(stretches, 1, fleet);
        for (var stretch = 0; stretch < stretches; stretch++)
        {
            var (from, to) = (stretch * fleet / stretches, (stretch + 1) * fleet / stretches);
            for (var turn = 0; turn < sides.Count; turn++)
            {
                await sides[(stretch + turn) % sides.Count].TimeAsync(from, to);
            }
        }
    }
}

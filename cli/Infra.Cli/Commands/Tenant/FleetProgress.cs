using System.Globalization;
using Infra.Hosting;
using Spectre.Console;

namespace Infra.Cli.Commands.Tenant;

/// <summary>
/// The progress lines of a command that works through every tenant stack (<c>tenant backup --all</c>,
/// <c>dr drill --tenants</c>): <c>[i/n] stack: outcome</c>, and the counts for its summary.
/// </summary>
internal sealed class FleetProgress
{
    public int Done { get; private set; }

    public int Skipped { get; private set; }

    public int Failed { get; private set; }

    /// <summary>
    /// Works through <paramref name="entries"/> in order. A stack the listing skipped gets its note; one it could not
    /// read fails with its error; every other goes to <paramref name="step"/> with its line's prefix. One stack's
    /// failure (an engine, I/O or PostgreSQL error) is its line, and the run goes on with the next stack.
    /// </summary>
    public async Task RunAsync(IReadOnlyList<TenantStackEntry> entries, Func<TenantStackEntry, string, Task> step)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var prefix = Prefix(i, entries.Count, entry.Stack);
            if (entry.Skipped is { } note)
            {
                Skip(prefix, note + ".");
                continue;
            }

            try
            {
                if (entry.Error is { } error)
                {
                    throw new InfraException(error);
                }

                await step(entry, prefix).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InfraException or IOException or Npgsql.NpgsqlException)
            {
                Fail(prefix, "failed", ": " + Markup.Escape(ex.Message));
            }
        }
    }

    /// <summary>The escaped <c>[i/n] stack:</c> prefix of the line for stack number <paramref name="index"/> (from 0).</summary>
    public static string Prefix(int index, int total, string stack) =>
        Markup.Escape($"[{(index + 1).ToString(CultureInfo.InvariantCulture)}/{total.ToString(CultureInfo.InvariantCulture)}] {stack}:");

    /// <summary>A stack done: <paramref name="word"/> in green, then <paramref name="detail"/> (markup, escaped by the caller).</summary>
    public void Ok(string prefix, string word, string detail)
    {
        Done++;
        CliConsole.Out.MarkupLine($"{prefix} [green]{word}[/]{detail}");
    }

    /// <summary>A stack skipped, with the reason (plain text).</summary>
    public void Skip(string prefix, string note)
    {
        Skipped++;
        CliConsole.Out.MarkupLine($"{prefix} [yellow]skipped[/]: {Markup.Escape(note)}");
    }

    /// <summary>A stack failed: <paramref name="word"/> in red, then <paramref name="detail"/> (markup, escaped by the caller).</summary>
    public void Fail(string prefix, string word, string detail)
    {
        Failed++;
        CliConsole.Out.MarkupLine($"{prefix} [red]{word}[/]{detail}");
    }
}

using System.Globalization;
using Infra.Deployment;
using Infra.Values;
using Spectre.Console;

namespace Infra.Cli.Rendering;

/// <summary>How steps, diffs and summaries look in human output. Secrets always print as <c>[secret]</c>.</summary>
internal static class StepText
{
    public static string Symbol(StepOp op) => op switch
    {
        StepOp.Create => "[green]+[/]",
        StepOp.Update => "[yellow]~[/]",
        StepOp.Replace => "[magenta]+-[/]",
        StepOp.Delete => "[red]-[/]",
        StepOp.Import => "[cyan]=>[/]",
        // Refresh only reads; the update glyph would suggest it changed something.
        StepOp.Refresh => "[blue]>[/]",
        StepOp.Forget => "[red]x[/]",
        _ => " ",
    };

    public static string Verb(StepOp op, bool preview) => (op, preview) switch
    {
        (StepOp.Create, true) => "create",
        (StepOp.Create, false) => "created",
        (StepOp.Update, true) => "update",
        (StepOp.Update, false) => "updated",
        (StepOp.Replace, true) => "replace",
        (StepOp.Replace, false) => "replaced",
        (StepOp.Delete, true) => "delete",
        (StepOp.Delete, false) => "deleted",
        (StepOp.Import, true) => "import",
        (StepOp.Import, false) => "imported",
        (StepOp.Refresh, _) => "read",
        (StepOp.Forget, true) => "forget",
        (StepOp.Forget, false) => "forgotten",
        _ => "unchanged",
    };

    public static string Line(PlannedStep step, bool preview, TimeSpan? duration = null)
    {
        var name = Markup.Escape(Urn.NameOf(step.Urn));
        var type = Markup.Escape(step.Type);
        var reason = step.Reason is null ? string.Empty : $" [grey]({Markup.Escape(step.Reason)})[/]";
        var time = duration is { } d && d > TimeSpan.Zero ? $" [grey]{Seconds(d)}[/]" : string.Empty;
        if (step.Op == StepOp.Refresh && !step.Changed.IsDefaultOrEmpty)
        {
            // The drift is the news: name it once, with what drifted, instead of a reason and a tag that both say "drift".
            reason = $" [yellow]drifted: {Markup.Escape(string.Join(", ", step.Changed))}[/]";
        }

        return $"  {Symbol(step.Op)} {Verb(step.Op, preview),-9} {type} [bold]{name}[/]{reason}{time}";
    }

    /// <summary>Property-level diff lines for <c>--diff</c>.</summary>
    public static IEnumerable<string> Diff(PlannedStep step) =>
        Changes(step).Select(static change => change.Kind switch
        {
            '+' => $"      [green]{Markup.Escape(change.Text)}[/]",
            '-' => $"      [red]{Markup.Escape(change.Text)}[/]",
            _ => $"      [yellow]{Markup.Escape(change.Text)}[/]",
        });

    /// <summary>
    /// A step's property changes as plain lines (<c>+ path: value</c>, <c>- path: value</c>, <c>~ path: old =&gt; new</c>),
    /// secrets shown as <c>[secret]</c>; every output format builds on these, so all mask the same way.
    /// </summary>
    public static IEnumerable<(char Kind, string Text)> Changes(PlannedStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var before = step.OldInputs ?? PropertyMap.Empty;
        var after = step.NewInputs ?? (step.Op is StepOp.Delete or StepOp.Forget ? PropertyMap.Empty : before);
        if (step.Op == StepOp.Refresh)
        {
            foreach (var path in step.Changed)
            {
                yield return ('~', $"~ {path}");
            }

            yield break;
        }

        foreach (var change in PropertyDiff.Compare(before, after))
        {
            if (change.Kind == PropertyChangeKind.Update &&
                change.Old is { Kind: PropertyValueKind.String } oldText && change.New is { Kind: PropertyValueKind.String } newText &&
                DocumentDiff.Lines(change.Path.ToString(), oldText.AsString, newText.AsString) is { } documentLines)
            {
                foreach (var line in documentLines)
                {
                    yield return line;
                }

                continue;
            }

            var path = change.Path.ToString();
            yield return change.Kind switch
            {
                PropertyChangeKind.Add => ('+', $"+ {path}: {PlainValue(change.New)}"),
                PropertyChangeKind.Delete => ('-', $"- {path}: {PlainValue(change.Old)}"),
                _ => ('~', $"~ {path}: {PlainValue(change.Old)} => {PlainValue(change.New)}"),
            };
        }
    }

    public static string Value(PropertyValue? value) => Markup.Escape(PlainValue(value));

    /// <summary>A value as one line of text: strings quoted, secrets <c>[secret]</c> at any depth, unknowns <c>[unknown]</c>.</summary>
    public static string PlainValue(PropertyValue? value) => value is null
        ? "null"
        : value.Kind switch
        {
            PropertyValueKind.String => $"\"{value.AsString}\"",
            PropertyValueKind.Secret => "[secret]",
            PropertyValueKind.Unknown => "[unknown]",
            _ => PropertyJson.ToDisplayJson(value),
        };

    public static IEnumerable<string> Summary(ChangeSummary summary, bool preview)
    {
        yield return "Resources:";
        var any = false;
        foreach (var op in new[] { StepOp.Create, StepOp.Update, StepOp.Replace, StepOp.Delete, StepOp.Import, StepOp.Forget, StepOp.Refresh })
        {
            if (summary[op] > 0)
            {
                any = true;
                var suffix = op == StepOp.Refresh ? "read" : preview ? $"to {Verb(op, true)}" : Verb(op, false);
                yield return $"    {Symbol(op)} {summary[op].ToString(CultureInfo.InvariantCulture)} {suffix}";
            }
        }

        if (summary[StepOp.Same] > 0 || !any)
        {
            yield return $"    {summary[StepOp.Same].ToString(CultureInfo.InvariantCulture)} unchanged";
        }
    }

    public static string Seconds(TimeSpan duration) =>
        duration.TotalSeconds < 10
            ? duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + "s"
            : duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";

    /// <summary>The line naming the policy packs that ran, e.g. <c>Policy packs: compliance 1.0.0</c>.</summary>
    public static string PolicyPacks(Policies.PolicyPackSet packs) => packs.Packs.IsEmpty
        ? "[grey]Policy packs: none[/]"
        : $"Policy packs: {string.Join(", ", packs.Packs.Select(static p => $"{Markup.Escape(p.Pack.Name)} {Markup.Escape(p.Version)}"))}";

    /// <summary>
    /// An update's change counts as people scan them: <c>+23 ~1 -0</c> (created, updated, deleted), with replaced
    /// (<c>+-2</c>), imported (<c>=&gt;1</c>) and forgotten (<c>x1</c>) only when there were any.
    /// </summary>
    public static string Changes(string countsJson)
    {
        using var document = System.Text.Json.JsonDocument.Parse(countsJson);
        int Count(StepOp op) => document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object &&
            document.RootElement.TryGetProperty(StepOps.Name(op), out var count) && count.TryGetInt32(out var value) ? value : 0;
        string Figure(StepOp op) => Count(op).ToString(CultureInfo.InvariantCulture);
        var text = $"+{Figure(StepOp.Create)} ~{Figure(StepOp.Update)} -{Figure(StepOp.Delete)}";
        foreach (var (op, sign) in new[] { (StepOp.Replace, "+-"), (StepOp.Import, "=>"), (StepOp.Forget, "x") })
        {
            if (Count(op) > 0)
            {
                text += $" {sign}{Figure(op)}";
            }
        }

        return text;
    }
}

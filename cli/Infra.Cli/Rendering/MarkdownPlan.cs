using System.Globalization;
using System.Text;
using Infra.Automation;
using Infra.Deployment;
using Infra.Policy;

namespace Infra.Cli.Rendering;

/// <summary>
/// A preview as a GitHub pull-request comment (<c>infra preview --format markdown</c>): a marker line that CI finds the
/// sticky comment by, the counts by action, the policy violations, then one collapsible <c>&lt;details&gt;</c> per
/// changed resource with its property diff. Secrets print as <c>[secret]</c> (<see cref="StepText.Changes(Infra.Deployment.PlannedStep)"/>). The
/// text never exceeds <c>maxChars</c>: resources that do not fit are left out and a note says how many and how to
/// see them, so the summary and the violations always arrive.
/// </summary>
internal static class MarkdownPlan
{
    /// <summary>GitHub refuses comments over 65,536 characters; the default leaves room for CI's own lines.</summary>
    public const int DefaultMaxChars = 60_000;

    /// <summary>The smallest cap: the heading, the counts and the note must always fit.</summary>
    public const int MinMaxChars = 2_000;

    /// <summary>The HTML comment that opens every stack's section; CI finds and updates its sticky comment by it.</summary>
    public const string Marker = "<!-- infra-preview -->";

    private static readonly StepOp[] s_order = [StepOp.Create, StepOp.Update, StepOp.Replace, StepOp.Delete, StepOp.Import, StepOp.Forget, StepOp.Refresh];

    public static string Render(PreviewResult preview, int maxChars = DefaultMaxChars)
    {
        ArgumentNullException.ThrowIfNull(preview);
        var plan = preview.Plan;
        var head = new StringBuilder();
        head.Append(Marker).Append('\n');
        head.Append(CultureInfo.InvariantCulture, $"### Preview of stack `{Code(plan.Stack)}`\n\n");
        AppendSummary(head, preview.Summary);
        var steps = plan.Steps.Where(static s => StepOps.IsChange(s.Op) || (s.Op == StepOp.Refresh && !s.Changed.IsDefaultOrEmpty)).ToList();

        var body = new StringBuilder();
        var budget = new Budget(maxChars - head.Length - NoteReserve);
        var hiddenViolations = AppendViolations(body, preview.Violations, budget);
        var hiddenSteps = 0;
        if (steps.Count > 0)
        {
            body.Append("#### Changes\n\n");
            foreach (var step in steps)
            {
                var section = Section(step);
                if (hiddenSteps > 0 || !budget.TryTake(section.Length))
                {
                    hiddenSteps++;
                    continue;
                }

                body.Append(section);
            }
        }

        var text = head.Append(body);
        if (hiddenSteps > 0 || hiddenViolations > 0)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"> **Cut to stay under {maxChars.ToString("N0", CultureInfo.InvariantCulture)} characters:** {Hidden(hiddenSteps, "resource")}{(hiddenSteps > 0 && hiddenViolations > 0 ? " and " : string.Empty)}{Hidden(hiddenViolations, "policy violation")} not shown. " +
                $"Run `infra preview -s {Code(plan.Stack)} --diff` for the whole plan.\n");
        }

        return text.ToString();
    }

    // The cut note's length at most (two six-digit counts and a 100-character stack name).
    private const int NoteReserve = 320;

    private static string Hidden(int count, string noun) => count switch
    {
        0 => string.Empty,
        1 => $"1 {noun}",
        _ => $"{count.ToString(CultureInfo.InvariantCulture)} {noun}s",
    };

    private static void AppendSummary(StringBuilder text, ChangeSummary summary)
    {
        text.Append("| Action | Resources |\n| --- | ---: |\n");
        foreach (var op in s_order.Where(op => summary[op] > 0))
        {
            text.Append(CultureInfo.InvariantCulture, $"| {Symbol(op)} {Verb(op)} | {summary[op]} |\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"| unchanged | {summary[StepOp.Same]} |\n\n");
        if (summary.Changes == 0)
        {
            text.Append("No changes.\n\n");
        }
    }

    private static int AppendViolations(StringBuilder text, IReadOnlyCollection<PolicyViolation> violations, Budget budget)
    {
        if (violations.Count == 0)
        {
            return 0;
        }

        var mandatory = violations.Count(static v => v.Level == EnforcementLevel.Mandatory || v.IsPolicyError);
        var heading = $"#### Policy violations: {violations.Count} ({mandatory} mandatory{(mandatory > 0 ? ", blocking" : string.Empty)})\n\n" +
                      "| Level | Policy | Resource | Message |\n| --- | --- | --- | --- |\n";
        budget.TryTake(heading.Length);
        text.Append(heading);
        var hidden = 0;
        foreach (var v in violations.OrderBy(static v => v.Level == EnforcementLevel.Mandatory ? 0 : 1).ThenBy(static v => v.Urn ?? string.Empty, StringComparer.Ordinal))
        {
            var level = v.IsPolicyError ? "policy error" : v.Level.ToString().ToLowerInvariant();
            var icon = v.Level == EnforcementLevel.Mandatory || v.IsPolicyError ? ":x:" : ":warning:";
            var resource = v.Urn is null ? "(stack)" : $"`{Code(Urn.NameOf(v.Urn))}`";
            var row = $"| {icon} {level} | `{Code(v.Pack)}@{Code(v.PackVersion)}/{Code(v.Policy)}` | {resource} | {Cell(v.Message)} |\n";
            if (hidden > 0 || !budget.TryTake(row.Length))
            {
                hidden++;
                continue;
            }

            text.Append(row);
        }

        text.Append('\n');
        return hidden;
    }

    private static string Section(PlannedStep step)
    {
        var lines = StepText.Changes(step).Select(static c => c.Text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).ToList();
        var reason = step.Reason is null ? string.Empty : $" ({Html(step.Reason)})";
        var drift = step.Op == StepOp.Refresh ? " drift" : string.Empty;
        var section = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<details><summary>{Symbol(step.Op)} {Verb(step.Op)}{drift} <code>{Html(step.Type)}</code> <b>{Html(Urn.NameOf(step.Urn))}</b>{reason}</summary>\n\n");
        if (lines.Count == 0)
        {
            section.Append("No property changes.\n\n");
        }
        else
        {
            // A fence longer than any run of backticks in the values, so no value can close it early.
            var fence = new string('`', Math.Max(3, lines.Max(LongestBacktickRun) + 1));
            section.Append(fence).Append("diff\n");
            foreach (var line in lines)
            {
                section.Append(line).Append('\n');
            }

            section.Append(fence).Append("\n\n");
        }

        return section.Append("</details>\n\n").ToString();
    }

    private static int LongestBacktickRun(string text)
    {
        int longest = 0, run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }

    private static string Symbol(StepOp op) => op switch
    {
        StepOp.Create => ":heavy_plus_sign:",
        StepOp.Update => ":pencil2:",
        StepOp.Replace => ":recycle:",
        StepOp.Delete => ":heavy_minus_sign:",
        StepOp.Import => ":inbox_tray:",
        StepOp.Forget => ":wastebasket:",
        StepOp.Refresh => ":mag:",
        _ => string.Empty,
    };

    private static string Verb(StepOp op) => StepText.Verb(op, preview: true);

    // Only what HTML would read as markup: quotes stay readable in table cells.
    private static string Html(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    // Inside inline code a backtick would end the span; no identifier we print needs one.
    private static string Code(string text) => text.Replace('`', '\'');

    private static string Cell(string text) => Html(text.ReplaceLineEndings(" ")).Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>Characters left for optional parts; once one part does not fit, the rest are cut too.</summary>
    private sealed class Budget(int chars)
    {
        private int _left = chars;

        public bool TryTake(int length)
        {
            if (length > _left)
            {
                _left = 0;
                return false;
            }

            _left -= length;
            return true;
        }
    }
}

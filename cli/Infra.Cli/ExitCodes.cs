namespace Infra.Cli;

/// <summary>The CLI's exit codes, documented in docs/cli.md.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>An error: bad input, a failed resource, a locked stack…</summary>
    public const int Error = 1;

    /// <summary>Changes are pending (with <c>--detailed-exitcode</c> or <c>--expect-no-changes</c>).</summary>
    public const int ChangesPending = 2;

    /// <summary>A mandatory policy failed; nothing was changed.</summary>
    public const int PolicyViolation = 3;

    /// <summary>Interrupted with Ctrl+C.</summary>
    public const int Cancelled = 130;
}

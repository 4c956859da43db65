using System.ComponentModel;
using Infra.Automation;
using Infra.Cli.Rendering;
using Infra.State;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands.Rollback;

internal sealed class StackRollbackSettings : ConfirmedOperationSettings
{
    [CommandOption("--to <UPDATE>")]
    [Description("The update to go back to: its ID in 'infra stack history' (the 'id' of --json).")]
    public long? To { get; set; }

    [CommandOption("--program")]
    [Description("Also run update N's program: build its recorded git commit in a temporary work tree and apply with that build.")]
    public bool Program { get; set; }

    public override ValidationResult Validate() =>
        To is null or < 1 ? ValidationResult.Error("--to UPDATE is required: the ID of the update to go back to, from 'infra stack history'.")
        : base.Validate();
}

/// <summary>
/// <c>infra stack rollback --to N</c>: previews update N's config with the current program, then applies it as a new
/// update. Databases keep their data; the note after the plan says so and points to restore. With <c>--program</c>,
/// the program is update N's too: its commit is built in a temporary work tree and that build does the rollback.
/// </summary>
internal sealed class StackRollbackCommand : AsyncCommand<StackRollbackSettings>
{
    /// <summary>Printed with every rollback plan: what a rollback never touches, and where to go for it.</summary>
    public const string DataNote =
        "Databases keep their data: a rollback changes settings and resources, never rows. To bring data back, restore a backup " +
        "('infra tenant restore', docs/admin/runbooks/dr.md).";

    public override async Task<int> ExecuteAsync(CommandContext context, StackRollbackSettings settings, CancellationToken cancellationToken)
    {
        Confirmation.RequireYesOrTerminal(settings.Yes || settings.ExpectNoChanges, "stack rollback");
        if (settings.Program)
        {
            return await WithOlderProgramAsync(settings, cancellationToken).ConfigureAwait(false);
        }

        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var target = await stack.RollbackTargetAsync(settings.To!.Value, cancellationToken).ConfigureAwait(false);
        var renderer = new OperationRenderer(settings.Json, settings.Diff);
        renderer.Heading($"Previewing rollback of stack '{stack.Name}' to update {target.Id} ({target.Started.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z) with the current program:");
        var options = CliWorkspace.Apply(new RollbackOptions { ToUpdate = target.Id }, settings, renderer.OnEvent) with
        {
            Confirm = (preview, ct) =>
            {
                if (!settings.Json)
                {
                    CliConsole.Out.MarkupLine($"[grey]{Markup.Escape(DataNote)}[/]");
                }

                return UpCommand.ConfirmAsync(renderer, preview, settings, ct);
            },
        };

        var (exitCode, result) = await UpCommand.ApplyAndReportAsync(renderer, settings, () => stack.RollbackAsync(options, cancellationToken)).ConfigureAwait(false);
        if (result is null)
        {
            return exitCode;
        }

        if (!settings.Json)
        {
            CliConsole.Out.MarkupLine($"Rolled back to update {target.Id} as update {result.UpdateId}; {Markup.Escape(Path.GetRelativePath(workspace.Project.Directory, stack.SettingsPath))} holds its config again.");
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// Checks out and builds update N's program, then has that build roll the stack back, so the preview, the
    /// confirmation and the new update are the older program's own. The new update records the older commit.
    /// </summary>
    private static async Task<int> WithOlderProgramAsync(StackRollbackSettings settings, CancellationToken cancellationToken)
    {
        string projectDirectory, stackName;
        UpdateRecord target;
        await using (var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false))
        {
            var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
            target = await stack.RollbackTargetAsync(settings.To!.Value, cancellationToken).ConfigureAwait(false);
            (projectDirectory, stackName) = (workspace.Project.Directory, stack.Name);
        }

        var host = CliHost.Current;
        await using var program = await OlderProgram.CheckOutAsync(projectDirectory, target.Id, target.ProgramVersion, cancellationToken).ConfigureAwait(false);
        await host.Error.WriteLineAsync($"Building the program of update {target.Id} (commit {program.ShortCommit}) in a temporary work tree…").ConfigureAwait(false);
        var entry = await program.BuildAsync(host.Error, cancellationToken).ConfigureAwait(false);
        await host.Error.WriteLineAsync($"Built; commit {program.ShortCommit}'s program rolls stack '{stackName}' back:").ConfigureAwait(false);
        var exitCode = await program.RunAsync(entry, OlderProgramArguments(settings, stackName, projectDirectory), host).ConfigureAwait(false);
        await WarnIfRecordedOtherwiseAsync(settings, program.Commit, cancellationToken).ConfigureAwait(false);
        return exitCode;
    }

    /// <summary>
    /// A build from before <see cref="OlderProgram.VersionVariable"/> existed records the work tree's commit instead of
    /// its own; the history then names the wrong program, and the user is told which update that is.
    /// </summary>
    private static async Task WarnIfRecordedOtherwiseAsync(StackRollbackSettings settings, string commit, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var newest = (await stack.GetHistoryAsync(cancellationToken).ConfigureAwait(false)).MaxBy(static u => u.Id);
        if (newest is { Kind: "rollback" } && newest.ProgramVersion != commit)
        {
            await CliHost.Current.Error.WriteLineAsync(
                $"warning: update {newest.Id} ran the program of commit {commit} but records {newest.ProgramVersion ?? "none"}: that build predates recording it.").ConfigureAwait(false);
        }
    }

    /// <summary>The same rollback, for the older build: every option given, with the stack and project made explicit.</summary>
    private static List<string> OlderProgramArguments(StackRollbackSettings settings, string stack, string projectDirectory)
    {
        List<string> arguments = ["stack", "rollback", "--to", settings.To!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "--stack", stack, "--cwd", projectDirectory];
        foreach (var (flag, set) in new[]
        {
            ("--yes", settings.Yes), ("--expect-no-changes", settings.ExpectNoChanges), ("--json", settings.Json), ("--diff", settings.Diff),
            ("--refresh", settings.Refresh), ("--target-dependents", settings.TargetDependents), ("--clear-pending", settings.ClearPending),
        })
        {
            if (set)
            {
                arguments.Add(flag);
            }
        }

        if (settings.Parallel is { } parallel)
        {
            arguments.AddRange(["--parallel", parallel.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        arguments.AddRange(settings.Targets.SelectMany(static t => new[] { "--target", t }));
        arguments.AddRange(settings.PolicyPacks.SelectMany(static p => new[] { "--policy-pack", p }));
        arguments.AddRange(settings.ImportPending.SelectMany(static p => new[] { "--import-pending", p }));
        return arguments;
    }
}

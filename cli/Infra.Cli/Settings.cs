using System.ComponentModel;
using Spectre.Console.Cli;

namespace Infra.Cli;

/// <summary>Options every command takes.</summary>
internal class GlobalSettings : CommandSettings
{
    [CommandOption("-s|--stack <NAME>")]
    [Description("The stack to operate on (default: the selected stack).")]
    public string? Stack { get; set; }

    [CommandOption("-C|--cwd <DIR>")]
    [Description("The project folder (default: the nearest folder with a Pulumi.yaml).")]
    public string? Cwd { get; set; }
}

/// <summary>Options of commands that can print JSON.</summary>
internal class JsonSettings : GlobalSettings
{
    [CommandOption("--json")]
    [Description("Print machine-readable JSON.")]
    public bool Json { get; set; }
}

/// <summary>Options shared by preview, up, refresh and destroy.</summary>
internal class OperationSettings : JsonSettings
{
    [CommandOption("--parallel <N>")]
    [Description("Maximum concurrent provider operations (default: 4 x cores).")]
    public int? Parallel { get; set; }

    [CommandOption("--target <URN>")]
    [Description("Only change this resource (repeatable).")]
    public string[] Targets { get; set; } = [];

    [CommandOption("--target-dependents")]
    [Description("With --target: also change resources that depend on the targets.")]
    public bool TargetDependents { get; set; }

    [CommandOption("--refresh")]
    [Description("Read every resource back before planning.")]
    public bool Refresh { get; set; }

    [CommandOption("--diff")]
    [Description("Show property-level diffs.")]
    public bool Diff { get; set; }

    [CommandOption("--policy-pack <PACK>")]
    [Description("Enforce this policy pack: a built-in name or a path to a pack assembly (repeatable).")]
    public string[] PolicyPacks { get; set; } = [];

    [CommandOption("--clear-pending")]
    [Description("Forget interrupted operations that no provider can read back.")]
    public bool ClearPending { get; set; }

    [CommandOption("--import-pending <URN=ID>")]
    [Description("Adopt an interrupted create with this provider ID (repeatable).")]
    public string[] ImportPending { get; set; } = [];

    public override Spectre.Console.ValidationResult Validate()
    {
        if (Parallel is < 1)
        {
            return Spectre.Console.ValidationResult.Error($"--parallel must be at least 1, got {Parallel}.");
        }

        foreach (var pair in ImportPending)
        {
            if (pair.Split('=', 2) is not [{ Length: > 0 }, { Length: > 0 }])
            {
                return Spectre.Console.ValidationResult.Error($"--import-pending '{pair}' must be URN=ID.");
            }
        }

        return base.Validate();
    }
}

/// <summary>Options of commands that change things after a confirmation.</summary>
internal class ConfirmedOperationSettings : OperationSettings
{
    [CommandOption("-y|--yes")]
    [Description("Proceed without asking. Required when stdin is not a terminal.")]
    public bool Yes { get; set; }

    [CommandOption("--expect-no-changes")]
    [Description("Exit 2 if the operation would change anything (nothing is changed).")]
    public bool ExpectNoChanges { get; set; }
}

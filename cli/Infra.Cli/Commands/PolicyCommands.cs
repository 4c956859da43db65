using System.ComponentModel;
using System.Text.Json;
using Infra.Cli.Rendering;
using Infra.Configuration;
using Infra.Deployment;
using Infra.Hosting;
using Infra.Policies;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands;

internal class PolicySettingsBase : JsonSettings
{
    [CommandOption("--policy-pack <PACK>")]
    [Description("A built-in pack name or a path to a pack assembly (repeatable).")]
    public string[] PolicyPacks { get; set; } = [];
}

internal sealed class PolicyListCommand : AsyncCommand<PolicySettingsBase>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PolicySettingsBase settings, CancellationToken cancellationToken)
    {
        var (project, stackSettings) = await PolicyStackSettings.LoadAsync(settings, planStack: null, cancellationToken).ConfigureAwait(false);
        var requested = settings.PolicyPacks.Length > 0 ? settings.PolicyPacks : [.. PolicyCatalogHook.BuiltInNames];
        var packs = PolicyCatalogHook.Packs(requested, stackSettings, project);
        var policySettings = stackSettings is null ? PolicySettings.Empty : PolicySettings.FromStackSettings(stackSettings);
        var catalog = PolicyCatalog.Describe(packs, policySettings);
        if (settings.Json)
        {
            CliConsole.StdOut.WriteLine(JsonSerializer.Serialize(catalog.Select(static p => new
            {
                name = p.Name,
                version = p.Version,
                source = p.Source,
                description = p.Description,
                policies = p.Policies.Select(static policy => new
                {
                    name = policy.Name,
                    kind = policy.Kind.ToString().ToLowerInvariant(),
                    selects = policy.Selects,
                    level = EnforcementLevels.Name(policy.Level),
                    defaultLevel = EnforcementLevels.Name(policy.DefaultLevel),
                    canRemediate = policy.CanRemediate,
                    description = policy.Description,
                }),
            }), CliJson.Options));
            return ExitCodes.Success;
        }

        foreach (var pack in catalog)
        {
            CliConsole.Out.MarkupLine($"[bold]{Markup.Escape(pack.Name)}[/] {Markup.Escape(pack.Version)} [grey]({Markup.Escape(pack.Source)})[/]");
            var table = new Table().AddColumns("POLICY", "KIND", "LEVEL", "DESCRIPTION");
            foreach (var policy in pack.Policies)
            {
                table.AddRow(
                    Markup.Escape(policy.Name),
                    policy.Kind.ToString().ToLowerInvariant(),
                    Markup.Escape(EnforcementLevels.Name(policy.Level)),
                    Markup.Escape(policy.Description));
            }

            CliConsole.Out.Write(table);
        }

        return ExitCodes.Success;
    }
}

internal sealed class PolicyTestSettings : PolicySettingsBase
{
    [CommandOption("--plan <FILE>")]
    [Description("A plan saved by 'preview --save-plan'.")]
    public string Plan { get; set; } = string.Empty;

    public override ValidationResult Validate() =>
        string.IsNullOrEmpty(Plan) ? ValidationResult.Error("policy test needs --plan FILE.") : base.Validate();
}

internal sealed class PolicyTestCommand : AsyncCommand<PolicyTestSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PolicyTestSettings settings, CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.Plan))
        {
            throw new InfraException($"plan file '{settings.Plan}' does not exist.");
        }

        // No stack is opened and no passphrase is needed: secrets in the plan stay sealed, and only that they are secret matters.
        var plan = PlanJson.Deserialize(await File.ReadAllTextAsync(settings.Plan, cancellationToken).ConfigureAwait(false), null, settings.Plan);
        var (project, stackSettings) = await PolicyStackSettings.LoadAsync(settings, plan.Stack, cancellationToken).ConfigureAwait(false);
        // The same packs as preview: those asked for, the project's defaults for the stack's kind, and those its settings configure.
        var packs = PolicyCatalogHook.Packs(settings.PolicyPacks, stackSettings, project);
        if (packs.Packs.IsEmpty)
        {
            throw new InfraException($"no policy packs to run: pass --policy-pack ({string.Join(", ", PolicyCatalogHook.BuiltInNames)} or a pack assembly) or configure 'policies' in the stack settings.");
        }

        if (!settings.Json)
        {
            CliConsole.Out.MarkupLine(StepText.PolicyPacks(packs));
        }

        var report = await PlanPolicyRunner.RunAsync(plan, packs, stackSettings is null ? PolicySettings.Empty : PolicySettings.FromStackSettings(stackSettings), cancellationToken)
            .ConfigureAwait(false);
        if (settings.Json)
        {
            var stream = new MemoryStream();
            await using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteString("plan", settings.Plan);
                writer.WriteString("stack", plan.Stack);
                writer.WriteStartArray("violations");
                foreach (var violation in report.Violations)
                {
                    PlanJson.WriteViolation(writer, violation);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            CliConsole.StdOut.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        }
        else
        {
            new OperationRenderer(json: false, diff: false).PrintViolations(report.Violations);
            CliConsole.Out.MarkupLine(report.Violations.IsEmpty
                ? $"\n[green]No policy violations[/] in {plan.Steps.Length} resource(s) of {Markup.Escape(settings.Plan)}."
                : $"\n{report.Violations.Length} violation(s) in {Markup.Escape(settings.Plan)}.");
        }

        return report.HasMandatoryViolations ? ExitCodes.PolicyViolation : ExitCodes.Success;
    }
}

/// <summary>The project and the stack's settings file (for its policy section and kind), when there is a project and a stack to read them from.</summary>
internal static class PolicyStackSettings
{
    public static Task<(ProjectFile? Project, StackSettingsFile? Settings)> LoadAsync(GlobalSettings settings, string? planStack, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var stack = settings.Stack ?? planStack;
        if (stack is null)
        {
            return Task.FromResult<(ProjectFile?, StackSettingsFile?)>((null, null));
        }

        ProjectFile project;
        try
        {
            project = ProjectFile.Find(settings.Cwd ?? Directory.GetCurrentDirectory());
        }
        catch (InfraException) when (settings.Stack is null)
        {
            return Task.FromResult<(ProjectFile?, StackSettingsFile?)>((null, null));
        }

        return Task.FromResult<(ProjectFile?, StackSettingsFile?)>((project, StackSettingsFile.Load(project.StackSettingsPath(stack))));
    }
}

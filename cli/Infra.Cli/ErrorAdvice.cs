using Infra.Automation;
using Infra.Configuration;
using Infra.Deployment;
using Infra.Hosting;
using Infra.Locks;
using Infra.State;

namespace Infra.Cli;

/// <summary>
/// The CLI's wording of engine errors. The engine says what is wrong in its own terms and carries, in typed errors,
/// what a fix needs; the CLI names the command or flag that makes that fix.
/// </summary>
internal static class ErrorAdvice
{
    private static readonly Dictionary<string, string> s_flags = new(StringComparer.Ordinal)
    {
        [nameof(OperationOptions.Parallel)] = "--parallel",
        [nameof(OperationOptions.Targets)] = "--target",
        [nameof(OperationOptions.Replaces)] = "--replace",
        [nameof(OperationOptions.ImportPending)] = "--import-pending",
        [nameof(OperationOptions.ClearPending)] = "--clear-pending",
    };

    /// <summary>The one-line message for <paramref name="exception"/>.</summary>
    public static string Text(Exception exception) => exception switch
    {
        OperationOptionException option => $"{Flag(option.Option)} {option.Problem}",
        MissingConfigException config => ConfigSet(config),
        ProjectNotFoundException project => $"{Sentence(project.Message)}; run infra from a project folder or pass --cwd.",
        StackNotFoundException missing => $"{Sentence(missing.Message)}; create it with 'infra stack init {missing.Stack}'.",
        StackExistsException exists => $"{Sentence(exists.Message)}; select it with 'infra stack select {exists.Stack}'.",
        StackNotEmptyException notEmpty =>
            $"stack '{notEmpty.Stack}' still has {notEmpty.ResourceCount} resource(s); run 'infra destroy -s {notEmpty.Stack}' first, or pass --force to forget them.",
        StackLockedException { Holder: { } holder } locked =>
            $"stack '{locked.Stack}' is locked by {holder.Describe()}; wait for it to finish, or if it is gone run 'infra cancel -s {locked.Stack}'.",
        MissingOutputException output => $"stack '{output.Stack}' has no output '{output.Output}'; run 'infra up -s {output.Stack}' first.",
        PendingOperationsException pending => $"stack '{pending.Stack}' has {pending.Operations.Length} interrupted operation(s) the providers cannot read back " +
            $"({string.Join(", ", pending.Operations.Select(static o => $"{o.Kind} {o.Urn}"))}); " +
            "rerun with --clear-pending to forget them, or --import-pending URN=ID to adopt what was created.",
        PlanMismatchException or PlanOutdatedException => $"{Sentence(exception.Message)}; run preview --save-plan again.",
        UntargetedDependencyException untargeted =>
            $"{untargeted.Urn}: it depends on '{untargeted.Dependency}', which is not targeted and does not exist yet; add --target {untargeted.Dependency}.",
        UnknownPolicyPackException pack => $"--policy-pack '{pack.Name}' is neither a built-in pack ({string.Join(", ", pack.BuiltIn)}) nor a pack assembly file.",
        DeleteBlockedException blocked => $"{blocked.Urn}: {blocked.Blocker}, then run 'infra destroy' again; nothing was deleted.",
        UpdateFailedException failed => UpdateFailedException.Describe(failed.Stack, failed.Operation, failed.Failures, Text) +
            (failed.Failures.Length > 1 ? "; then: " + string.Join("; ", failed.Failures.Skip(1).Select(Text)) : string.Empty),
        ResourceConflictException conflict => $"{conflict.Urn}: {conflict.Existing}; nothing was changed. " +
            $"Adopt it as it is with 'infra import {conflict.Type} <name> {conflict.ImportId}', or change it (or the declaration) so they match.",
        // A resource's error that wraps another (a provider that refused, or could not be configured) carries that error's advice.
        ResourceException { InnerException: InfraException inner } wrapped when Text(inner) is var advised && advised != inner.Message =>
            wrapped.Message.Replace(WithoutUrn(inner.Message, inner), WithoutUrn(advised, inner), StringComparison.Ordinal),
        _ => exception.Message,
    };

    /// <summary>The flag that sets an <see cref="OperationOptions"/> property.</summary>
    public static string Flag(string option) => s_flags.GetValueOrDefault(option) ?? option;

    private static string ConfigSet(MissingConfigException config)
    {
        var secret = config.Secret ? "--secret " : string.Empty;
        var stack = config.Stack is null ? string.Empty : $" -s {config.Stack}";
        var choices = config.Choices.IsEmpty ? string.Empty : $" with one of {string.Join(", ", config.Choices)}";
        return $"{config.File}: config key '{config.Key}': {config.Problem}; run 'infra config set {secret}{config.Key} <{config.ValueHint}>{stack}'{choices}.";
    }

    private static string Sentence(string message) => message.TrimEnd('.');

    private static string WithoutUrn(string text, InfraException error) =>
        error is ResourceException resource && text.StartsWith(resource.Urn + ": ", StringComparison.Ordinal) ? text[(resource.Urn.Length + 2)..] : text;
}

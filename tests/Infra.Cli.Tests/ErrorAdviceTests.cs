using Infra.Automation;
using Infra.Configuration;
using Infra.Deployment;
using Infra.Hosting;
using Infra.Locks;
using Infra.State;
using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>
/// The engine raises typed errors in its own terms; the CLI prints them with the command or flag that fixes them,
/// in the words it always used.
/// </summary>
public sealed class ErrorAdviceTests
{
    private const string Settings = "environments/Pulumi.dev.yaml";
    private const string A = "urn:infra:dev::platform::test:index:Resource::a";
    private const string B = "urn:infra:dev::platform::test:index:Resource::b";

    [Fact]
    public void A_missing_stack_is_created_with_stack_init()
    {
        Assert.Equal("stack 'nope' does not exist in file:///p/state.db; create it with 'infra stack init nope'.",
            ErrorAdvice.Text(new StackNotFoundException("nope", "file:///p/state.db")));
        Assert.Equal("stack 'dev' already exists in file:///p/state.db; select it with 'infra stack select dev'.",
            ErrorAdvice.Text(new StackExistsException("dev", "file:///p/state.db")));
        Assert.Equal("stack 'dev' still has 3 resource(s); run 'infra destroy -s dev' first, or pass --force to forget them.",
            ErrorAdvice.Text(new StackNotEmptyException("dev", 3)));
    }

    [Fact]
    public void A_locked_stack_names_the_holder_and_the_cancel_command()
    {
        var holder = new LockInfo { LockId = "l", Owner = "alice", Host = "build-7", Pid = 4211, Acquired = DateTimeOffset.UnixEpoch, Expires = DateTimeOffset.UnixEpoch };

        var text = ErrorAdvice.Text(new StackLockedException("dev", holder));

        Assert.Equal($"stack 'dev' is locked by {holder.Describe()}; wait for it to finish, or if it is gone run 'infra cancel -s dev'.", text);
    }

    [Fact]
    public void A_missing_config_key_is_set_with_config_set_naming_the_stack_the_secret_flag_and_the_choices()
    {
        Assert.Equal(
            $"{Settings}: config key 'tenant:plan': is required but not set; run 'infra config set tenant:plan <plan> -s tenant-acme' with one of enterprise, free, standard.",
            ErrorAdvice.Text(new MissingConfigException(Settings, "tenant:plan", stack: "tenant-acme", valueHint: "plan", choices: ["enterprise", "free", "standard"])));
        Assert.Equal(
            $"{Settings}: config key 'app:secret': is required but not set; run 'infra config set --secret app:secret <value>'.",
            ErrorAdvice.Text(new MissingConfigException(Settings, "app:secret", secret: true)));
    }

    [Fact]
    public void Operation_options_are_named_by_their_flags()
    {
        Assert.Equal("--parallel must be at least 1, got 0.", ErrorAdvice.Text(new OperationOptionException(nameof(OperationOptions.Parallel), "must be at least 1, got 0.")));
        Assert.StartsWith("--import-pending names ID", ErrorAdvice.Text(new OperationOptionException(nameof(OperationOptions.ImportPending), "names ID 'x' ...")), StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_interrupted_operations_are_settled_with_clear_pending_or_import_pending()
    {
        var text = ErrorAdvice.Text(new PendingOperationsException("dev", [("create", A)]));

        Assert.Equal($"stack 'dev' has 1 interrupted operation(s) the providers cannot read back (create {A}); " +
                     "rerun with --clear-pending to forget them, or --import-pending URN=ID to adopt what was created.", text);
    }

    [Fact]
    public void A_failed_update_carries_the_advice_of_its_first_failure()
    {
        var failed = new UpdateFailedException("dev", "update", [new UntargetedDependencyException(B, A)], null);

        Assert.Equal($"update of stack 'dev' failed: {B}: it depends on '{A}', which is not targeted and does not exist yet; add --target {A}.", ErrorAdvice.Text(failed));
        Assert.Equal("the state of stack 'dev' has moved since the plan was made (serial 1, now 2); run preview --save-plan again.",
            ErrorAdvice.Text(new PlanOutdatedException("the state of stack 'dev' has moved since the plan was made (serial 1, now 2).")));
    }

    [Fact]
    public void A_delete_a_destroy_found_blocked_before_it_began_names_the_blocker_and_running_destroy_again()
    {
        var failed = new UpdateFailedException("dev", "destroy", [new DeleteBlockedException(A, "role 'x' has objects in database 'y'; drop that database")], null);

        Assert.Equal($"{A}: its delete would fail: role 'x' has objects in database 'y'; drop that database; nothing was deleted.", failed.Failures[0].Message);
        Assert.Equal($"destroy of stack 'dev' failed: {A}: role 'x' has objects in database 'y'; drop that database, then run 'infra destroy' again; nothing was deleted.",
            ErrorAdvice.Text(failed));
    }

    [Fact]
    public void A_conflict_a_provider_found_during_create_is_adopted_with_infra_import()
    {
        var conflict = new ResourceConflictException(A, "role 'x' already exists and differs from the declaration (login: false)", "postgres:index:Role", "x");
        var failure = new ResourceException(A, $"create failed: {conflict.Reason}", conflict);

        var text = ErrorAdvice.Text(failure);

        Assert.Equal($"{A}: create failed: role 'x' already exists and differs from the declaration (login: false); nothing was changed. " +
                     "Adopt it as it is with 'infra import postgres:index:Role <name> x', or change it (or the declaration) so they match.", text);
    }

    [Fact]
    public void Hosting_errors_name_the_cli_s_flags_and_commands()
    {
        Assert.Equal("--policy-pack 'acme' is neither a built-in pack (compliance) nor a pack assembly file.",
            ErrorAdvice.Text(new UnknownPolicyPackException("acme", ["compliance"])));
        Assert.Equal("stack 'tenant-acme' has no output 'databaseName'; run 'infra up -s tenant-acme' first.",
            ErrorAdvice.Text(new MissingOutputException("tenant-acme", "databaseName")));
        Assert.Equal("No Pulumi.yaml found in '/tmp' or any folder above it; run infra from a project folder or pass --cwd.",
            ErrorAdvice.Text(new ProjectNotFoundException("/tmp")));
    }

    [Fact]
    public async Task A_stack_without_a_kind_is_told_the_config_set_command_and_the_kinds()
    {
        using var project = new CliProject();
        Assert.Equal(0, (await InProcessCli.RunAsync(project, args: ["stack", "init", "bare"])).ExitCode);

        var result = await InProcessCli.RunAsync(project, args: ["preview", "-s", "bare"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("config key 'infra:kind': is not set; run 'infra config set infra:kind <kind> -s bare' with one of platform, synthetic, tenant.", result.Stderr, StringComparison.Ordinal);
    }
}

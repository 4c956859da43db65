using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hangfire;
using Infra.Automation;
using Infra.Backups;
using Infra.Deployment;
using Infra.Hosting;
using Infra.Onboarding.Data;
using Infra.Onboarding.Hosting;
using Infra.Onboarding.Telemetry;
using Infra.Stacks.Kinds.Tenant;
using Infra.Values;
using Microsoft.Extensions.Options;

namespace Infra.Onboarding.Jobs;

/// <summary>
/// Runs one operation on a tenant's stack as a durable job. The operation's row is the truth: a job delivered twice
/// (a worker that stopped heartbeating, a restart) finds it finished and does nothing, and a job whose worker died
/// mid-operation runs it again, where the engine's pending-operation recovery finishes what the dead worker started.
/// Operations of one tenant run one at a time and in order: a job that finds an earlier one unfinished, or the
/// tenant's lock held, comes back a moment later instead of occupying a worker.
/// </summary>
internal sealed class TenantJobs(
    TenantStore store, TenantStacks stacks, TenantLocks locks, AuditLog audit, OnboardingMetrics metrics, ShutdownCoordinator shutdown,
    IBackgroundJobClient jobs, IOptions<OnboardingOptions> options, ILogger<TenantJobs> logger)
{
    private static readonly TimeSpan s_comeBack = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_lockedWait = TimeSpan.FromSeconds(5);

    /// <summary>Queues the operation's job and records its id.</summary>
    public static async Task EnqueueAsync(IBackgroundJobClient jobs, TenantStore store, Guid operationId, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var jobId = delay is { } wait
            ? jobs.Schedule<TenantJobs>(j => j.RunAsync(operationId, CancellationToken.None), wait)
            : jobs.Enqueue<TenantJobs>(j => j.RunAsync(operationId, CancellationToken.None));
        await store.SetJobAsync(operationId, jobId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The job: runs the operation once, unless it has finished already.</summary>
    /// <exception cref="TransientOperationException">A transient failure: the job is retried with backoff.</exception>
    [JobDisplayName("tenant operation {0}")]
    public async Task RunAsync(Guid operationId, CancellationToken jobCancellation)
    {
        _ = jobCancellation; // Hangfire's token fires as soon as the server stops; shutdown gives operations a grace period instead.
        var cancellationToken = shutdown.OperationToken;
        if (await store.LoadWorkAsync(operationId, cancellationToken).ConfigureAwait(false) is not var (operation, tenant) ||
            operation.Status is OperationStatus.Succeeded or OperationStatus.Failed)
        {
            return;
        }

        if (await store.HasEarlierUnfinishedAsync(operation, cancellationToken).ConfigureAwait(false))
        {
            jobs.Schedule<TenantJobs>(j => j.RunAsync(operationId, CancellationToken.None), s_comeBack);
            return;
        }

        await using var tenantLock = await locks.TryAcquireAsync(operation.TenantId, cancellationToken).ConfigureAwait(false);
        if (tenantLock is null)
        {
            jobs.Schedule<TenantJobs>(j => j.RunAsync(operationId, CancellationToken.None), s_comeBack);
            return;
        }

        // Read again under the lock: another delivery may have finished it meanwhile.
        (operation, tenant) = (await store.LoadWorkAsync(operationId, cancellationToken).ConfigureAwait(false))!.Value;
        if (operation.Status is OperationStatus.Succeeded or OperationStatus.Failed)
        {
            return;
        }

        using var activity = StartOperationActivity(operation);
        activity?.SetTag("tenant.id", tenant.Id);
        activity?.SetTag("operation.id", operation.Id);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["tenant.id"] = tenant.Id, ["operation.id"] = operation.Id });
        var attempt = await store.StartAttemptAsync(operation.Id, tenant.Id, StatusWhileRunning(operation.Kind), cancellationToken).ConfigureAwait(false);
        metrics.JobStarted(operation.Kind);
        logger.OperationStarted(operation.Kind, tenant.Id, attempt);
        var events = new ConcurrentDictionary<string, ResourceEvent>(StringComparer.Ordinal);
        try
        {
            var result = await ExecuteAsync(operation, tenant, events, cancellationToken).ConfigureAwait(false);
            await store.FinishAsync(operation.Id, OperationStatus.Succeeded, null, null, ResourcesJson(events), result?.ToJsonString(), CancellationToken.None)
                .ConfigureAwait(false);
            metrics.JobFinished(operation.Kind, OperationStatus.Succeeded, null, tenant.Plan);
            if (operation.Kind == OperationKind.Create)
            {
                metrics.OnboardingCompleted(DateTimeOffset.UtcNow - operation.Created, tenant.Plan);
            }

            await audit.WriteAsync("system", $"tenant.{operation.Kind}", tenant.Id, "succeeded", operation.Id.ToString(), CancellationToken.None).ConfigureAwait(false);
            logger.OperationSucceeded(operation.Kind, tenant.Id);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the engine stopped cleanly; the job goes back to the queue and the next worker resumes.
            await store.RecordRetryAsync(operation.Id, "the service stopped during the operation; it resumes on restart.", "shutdown", ResourcesJson(events), CancellationToken.None)
                .ConfigureAwait(false);
            logger.OperationInterrupted(operation.Kind, tenant.Id);
            throw;
        }
        catch (Exception ex)
        {
            var failure = OperationFailure.Classify(ex);
            activity?.SetStatus(ActivityStatusCode.Error, failure.Reason);
            if (failure.Reason == "locked" && attempt < options.Value.Jobs.MaxAttempts * 10)
            {
                // The stack's lock outlives a lost database connection until its lease ends (a minute); waiting for it
                // must not spend the retry budget meant for real failures.
                await store.RecordRetryAsync(operation.Id, failure.Message, failure.Reason, ResourcesJson(events), CancellationToken.None).ConfigureAwait(false);
                jobs.Schedule<TenantJobs>(j => j.RunAsync(operationId, CancellationToken.None), s_lockedWait);
                logger.OperationWaitingForLock(operation.Kind, tenant.Id, attempt, s_lockedWait.TotalSeconds, failure.Message);
                return;
            }

            if (failure.Transient && attempt < options.Value.Jobs.MaxAttempts)
            {
                await store.RecordRetryAsync(operation.Id, failure.Message, failure.Reason, ResourcesJson(events), CancellationToken.None).ConfigureAwait(false);
                metrics.JobFinished(operation.Kind, "retrying", failure.Reason);
                logger.OperationRetrying(operation.Kind, tenant.Id, failure.Reason, failure.Message);
                throw new TransientOperationException(failure.Message, ex);
            }

            await store.FinishAsync(operation.Id, OperationStatus.Failed, failure.Message, failure.Reason, ResourcesJson(events), null, CancellationToken.None)
                .ConfigureAwait(false);
            if (operation.Kind is OperationKind.Create or OperationKind.Update or OperationKind.Delete)
            {
                await store.SetTenantStatusAsync(tenant.Id, TenantStatus.Failed, null, CancellationToken.None).ConfigureAwait(false);
            }

            metrics.JobFinished(operation.Kind, OperationStatus.Failed, failure.Reason, tenant.Plan);
            await audit.WriteAsync("system", $"tenant.{operation.Kind}", tenant.Id, "failed", $"{operation.Id}: {failure.Message}", CancellationToken.None)
                .ConfigureAwait(false);
            logger.OperationFailed(operation.Kind, tenant.Id, failure.Reason, failure.Message);
        }
    }

    private async Task<JsonObject?> ExecuteAsync(OperationRow operation, TenantRow tenant, ConcurrentDictionary<string, ResourceEvent> events,
        CancellationToken cancellationToken)
    {
        switch (operation.Kind)
        {
            case OperationKind.Create or OperationKind.Update:
            {
                var stack = await stacks.PrepareAsync(tenant, cancellationToken).ConfigureAwait(false);
                var result = await stack.UpAsync(new UpOptions { OnEvent = e => Record(events, e) }, cancellationToken).ConfigureAwait(false);
                await store.SetTenantStatusAsync(tenant.Id, TenantStatus.Ready, PublicOutputs(result.Outputs), CancellationToken.None).ConfigureAwait(false);
                return null;
            }

            case OperationKind.Delete:
                await DeleteAsync(operation, tenant, events, cancellationToken).ConfigureAwait(false);
                await store.SetTenantStatusAsync(tenant.Id, TenantStatus.Deleted, "{}", CancellationToken.None).ConfigureAwait(false);
                return null;

            case OperationKind.Backup:
            {
                var stack = await stacks.FindAsync(tenant.Id, cancellationToken).ConfigureAwait(false)
                    ?? throw new InfraException($"tenant '{tenant.Id}' has no stack yet; back it up once it is ready.");
                var target = await TenantBackupTargets.ResolveAsync(stack, cancellationToken).ConfigureAwait(false);
                var (_, manifest) = await TenantBackups.BackupAsync(target, cancellationToken).ConfigureAwait(false);
                await store.AddBackupAsync(tenant.Id, operation.Id, manifest.DumpFile, manifest.SizeBytes, manifest.Sha256, manifest.CreatedAt, CancellationToken.None)
                    .ConfigureAwait(false);
                return new JsonObject { ["dumpFile"] = manifest.DumpFile, ["sizeBytes"] = manifest.SizeBytes, ["sha256"] = manifest.Sha256 };
            }

            case OperationKind.Restore:
            {
                var stack = await stacks.FindAsync(tenant.Id, cancellationToken).ConfigureAwait(false)
                    ?? throw new InfraException($"tenant '{tenant.Id}' has no stack; nothing to restore into.");
                var target = await TenantBackupTargets.ResolveAsync(stack, cancellationToken).ConfigureAwait(false);
                var dumpFile = operation.Parameters["dumpFile"]!.GetValue<string>();
                var database = await TenantBackups.RestoreAsync(target, Path.Combine(target.Location, tenant.Id, dumpFile), null, cancellationToken)
                    .ConfigureAwait(false);
                return new JsonObject { ["dumpFile"] = dumpFile, ["database"] = database };
            }

            default:
                throw new InfraException($"unknown operation kind '{operation.Kind}'.");
        }
    }

    private async Task DeleteAsync(OperationRow operation, TenantRow tenant, ConcurrentDictionary<string, ResourceEvent> events, CancellationToken cancellationToken)
    {
        if (await stacks.FindAsync(tenant.Id, cancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }

        var stack = await stacks.PrepareAsync(tenant, cancellationToken).ConfigureAwait(false);
        var result = await stack.DestroyAsync(new DestroyOptions { OnEvent = e => Record(events, e) }, cancellationToken).ConfigureAwait(false);
        if (!result.Kept.IsDefaultOrEmpty)
        {
            if (operation.Parameters["force"]?.GetValue<bool>() != true)
            {
                throw new InfraException($"tenant '{tenant.Id}' is on a protected plan; {result.Kept.Length} resource(s) were kept. Delete with force=true (admin).");
            }

            // A forced delete moves the tenant to a plan without protection first, so destroy may remove its data.
            var unprotected = TenantCatalog.Plans(Path.GetDirectoryName(stack.SettingsPath)!).First(static p => !p.Protect);
            await stack.SetConfigAsync("tenant:plan", unprotected.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            await stack.UpAsync(new UpOptions { OnEvent = e => Record(events, e) }, cancellationToken).ConfigureAwait(false);
            await stack.DestroyAsync(new DestroyOptions { OnEvent = e => Record(events, e) }, cancellationToken).ConfigureAwait(false);
        }

        await (await stacks.WorkspaceAsync(cancellationToken).ConfigureAwait(false)).RemoveStackAsync(stack.Name, force: false, cancellationToken).ConfigureAwait(false);
    }

    private static string? StatusWhileRunning(string kind) => kind switch
    {
        OperationKind.Create or OperationKind.Update => TenantStatus.Provisioning,
        OperationKind.Delete => TenantStatus.Deleting,
        _ => null,
    };

    private static void Record(ConcurrentDictionary<string, ResourceEvent> events, EngineEvent engineEvent)
    {
        switch (engineEvent)
        {
            case StepCompletedEvent completed:
                events[completed.Step.Urn] = new ResourceEvent(completed.Step.Urn, completed.Step.Type, OpName(completed.Step.Op), "succeeded",
                    (long)completed.Duration.TotalMilliseconds, null);
                break;
            case StepFailedEvent failed:
                events[failed.Step.Urn] = new ResourceEvent(failed.Step.Urn, failed.Step.Type, OpName(failed.Step.Op), "failed",
                    (long)failed.Duration.TotalMilliseconds, failed.Message);
                break;
        }
    }

    private static string OpName(StepOp op) => JsonNamingPolicy.CamelCase.ConvertName(op.ToString());

    private static string ResourcesJson(ConcurrentDictionary<string, ResourceEvent> events) =>
        JsonSerializer.Serialize(events.Values.OrderBy(static e => e.Urn, StringComparer.Ordinal).ToList(), Json.Web);

    /// <summary>The outputs a tenant may see in the API: every output holding no secret.</summary>
    private static string PublicOutputs(PropertyMap outputs)
    {
        var result = new JsonObject();
        foreach (var (key, value) in outputs)
        {
            if (!value.ContainsSecrets)
            {
                result[key] = JsonNode.Parse(PropertyJson.ToJson(value, PropertyJsonMode.Masked));
            }
        }

        return result.ToJsonString();
    }

    /// <summary>
    /// The operation's span, and under it the engine's operation and step spans. The job runs later than the request
    /// that queued it, possibly retried or in another instance, so it starts a trace of its own with a link to the
    /// request's span rather than hanging under a request that has long answered.
    /// </summary>
    private static Activity? StartOperationActivity(OperationRow operation)
    {
        Activity.Current = null;
        ActivityLink[] links = operation.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, null, out var request)
            ? [new ActivityLink(request)]
            : [];
        return OnboardingTelemetry.Source.StartActivity($"tenant.{operation.Kind}", ActivityKind.Consumer, default(ActivityContext), links: links);
    }
}

/// <summary>A transient failure of an operation: its job is retried with backoff.</summary>
public sealed class TransientOperationException(string message, Exception inner) : Exception(message, inner);

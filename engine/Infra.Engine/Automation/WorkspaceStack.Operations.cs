using System.Runtime.ExceptionServices;
using Infra.Configuration;
using Infra.Deployment;
using Infra.Locks;
using Infra.Providers;
using Infra.State;
using Infra.Values;

namespace Infra.Automation;

public sealed partial class WorkspaceStack
{
    /// <summary>Plans an update without changing anything: shows exactly what <see cref="UpAsync"/> will do.</summary>
    /// <exception cref="UpdateFailedException">The program or a provider reported errors.</exception>
    /// <exception cref="PolicyViolationException">A mandatory policy failed.</exception>
    public async Task<PreviewResult> PreviewAsync(PreviewOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PreviewOptions();
        await using var operation = await OpenAsync("preview", options, takeLock: false, cancellationToken).ConfigureAwait(false);
        operation.Events(new PreludeEvent(Name, Workspace.Project.Name, "preview", true, operation.Options.Parallel));
        var snapshot = operation.Snapshot;
        if (!snapshot.Pending.IsEmpty)
        {
            operation.Events(new DiagnosticEvent(DiagnosticSeverity.Warning,
                $"{snapshot.Pending.Length} interrupted operation(s) from an earlier update will be resolved by the next up, refresh or destroy."));
        }

        if (options.Refresh)
        {
            (snapshot, _) = await Refresher.RefreshAsync(snapshot, operation.Providers(preview: true), operation.Store, null,
                operation.Options.Parallel, operation.Events, cancellationToken).ConfigureAwait(false);
        }

        var preview = await PlanAsync(operation, snapshot, options.Program, cancellationToken).ConfigureAwait(false);
        operation.Events(new SummaryEvent(preview.Summary, preview.Duration, "succeeded"));
        return preview;
    }

    /// <summary>
    /// Converges the stack to its program: resolves interrupted operations, previews, asks <see cref="UpOptions.Confirm"/>,
    /// then applies exactly the previewed plan (or <see cref="UpOptions.Plan"/>).
    /// </summary>
    /// <exception cref="StackLockedException">Another run holds the stack.</exception>
    /// <exception cref="UpdateFailedException">Some steps failed; state records every step that succeeded.</exception>
    /// <exception cref="PolicyViolationException">A mandatory policy failed; nothing was changed.</exception>
    public async Task<UpdateResult> UpAsync(UpOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new UpOptions();
        await using var operation = await OpenAsync("update", options, takeLock: true, cancellationToken).ConfigureAwait(false);
        cancellationToken = operation.Cancellation;
        operation.Events(new PreludeEvent(Name, Workspace.Project.Name, "update", false, operation.Options.Parallel));
        var snapshot = await PrepareAsync(operation, options.Refresh, cancellationToken).ConfigureAwait(false);

        PreviewResult? preview = null;
        SavedPlan plan;
        if (options.Plan is { } saved)
        {
            // Checked before Confirm shows the plan: a stale plan is refused with nothing printed above the error.
            plan = CheckSavedPlan(saved, snapshot);
        }
        else
        {
            preview = await PlanAsync(operation, snapshot, options.Program, cancellationToken).ConfigureAwait(false);
            plan = preview.Plan;
        }

        if (options.Confirm is { } confirm && !await confirm(preview ?? new PreviewResult { Plan = plan }, cancellationToken).ConfigureAwait(false))
        {
            await operation.FinishAsync("cancelled", ChangeSummary.Of([])).ConfigureAwait(false);
            return new UpdateResult { Kind = "update", UpdateId = operation.UpdateId, Preview = preview, Declined = true };
        }

        var program = await RunProgramAsync(operation.Config, options.Program, cancellationToken).ConfigureAwait(false);
        var result = await ApplyAsync(operation, DeploymentKind.Update, snapshot, program, plan, cancellationToken)
            .ConfigureAwait(false);
        return result with { Preview = preview };
    }

    /// <summary>Reads every resource back and records drift in state.</summary>
    public async Task<UpdateResult> RefreshAsync(RefreshOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RefreshOptions();
        await using var operation = await OpenAsync("refresh", options, takeLock: true, cancellationToken).ConfigureAwait(false);
        cancellationToken = operation.Cancellation;
        operation.Events(new PreludeEvent(Name, Workspace.Project.Name, "refresh", false, operation.Options.Parallel));
        var snapshot = await PrepareAsync(operation, refresh: false, cancellationToken).ConfigureAwait(false);
        var (refreshed, steps) = await RefreshFencedAsync(operation, snapshot, cancellationToken).ConfigureAwait(false);
        var summary = ChangeSummary.Of(steps);
        var duration = await operation.FinishAsync("succeeded", summary).ConfigureAwait(false);
        operation.Events(new SummaryEvent(summary, duration, "succeeded"));
        return new UpdateResult { Kind = "refresh", UpdateId = operation.UpdateId, Steps = steps, Outputs = refreshed.Outputs, Duration = duration };
    }

    /// <summary>
    /// Deletes every resource except protected ones, what is attached to them (dependents and children: deleting a
    /// schema or a grant would change a protected database) and what those depend on. The kept resources are
    /// reported in <see cref="UpdateResult.Kept"/>; the CLI refuses with exit 1 when any are kept. Artifacts (see
    /// <see cref="ResourceState.Artifact"/>) are deleted before anything else. Before the first delete, each provider
    /// that can says whether one of its deletes would fail; any such blocker stops the destroy with nothing deleted.
    /// </summary>
    /// <exception cref="UpdateFailedException">A delete failed, or a blocker (<see cref="DeleteBlockedException"/>) stopped the destroy before it began.</exception>
    public async Task<UpdateResult> DestroyAsync(DestroyOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DestroyOptions();
        await using var operation = await OpenAsync("destroy", options, takeLock: true, cancellationToken).ConfigureAwait(false);
        cancellationToken = operation.Cancellation;
        operation.Events(new PreludeEvent(Name, Workspace.Project.Name, "destroy", false, operation.Options.Parallel));
        var snapshot = await PrepareAsync(operation, options.Refresh, cancellationToken).ConfigureAwait(false);
        var planned = await RunDeploymentAsync(operation, DeploymentKind.Destroy, dryRun: true, snapshot, program: null, plan: null, cancellationToken)
            .ConfigureAwait(false);
        var preview = new PreviewResult { Plan = ToPlan(snapshot, planned), Duration = planned.Duration };
        // A delete that would fail (DeleteBlockedException) stops the destroy here: before confirmation, nothing deleted.
        if (!planned.Failures.IsEmpty)
        {
            throw new UpdateFailedException(Name, "destroy", planned.Failures, null);
        }

        if (options.Confirm is { } confirm && !await confirm(preview, cancellationToken).ConfigureAwait(false))
        {
            await operation.FinishAsync("cancelled", ChangeSummary.Of([])).ConfigureAwait(false);
            return new UpdateResult { Kind = "destroy", UpdateId = operation.UpdateId, Preview = preview, Declined = true };
        }

        var result = await ApplyAsync(operation, DeploymentKind.Destroy, snapshot, program: null, preview.Plan, cancellationToken)
            .ConfigureAwait(false);
        return result with { Preview = preview, Kept = planned.Kept };
    }

    /// <summary>
    /// Adopts an existing resource into state by its provider ID. Imported resources are protected, so an up whose
    /// program does not declare them yet fails instead of deleting them.
    /// </summary>
    /// <exception cref="InfraException">The resource exists in state already, or the provider cannot find it.</exception>
    public async Task<UpdateResult> ImportResourceAsync(
        string type, string name, string id, string? parentUrn = null, OperationOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new OperationOptions();
        await using var operation = await OpenAsync("import", options, takeLock: true, cancellationToken).ConfigureAwait(false);
        cancellationToken = operation.Cancellation;
        var snapshot = await PrepareAsync(operation, refresh: false, cancellationToken).ConfigureAwait(false);
        var urn = Urn.Create(Name, Workspace.Project.Name, parentUrn is null ? null : Urn.QualifiedTypeOf(parentUrn), type, name);
        if (snapshot.Resources.Any(r => r.Urn == urn))
        {
            throw new InfraException($"'{urn}' is already in the state of stack '{Name}'.");
        }

        var provider = operation.Providers(preview: false).For(urn, type);
        var read = await provider.ReadAsync(new ReadRequest(urn, type, id, null, null), cancellationToken).ConfigureAwait(false);
        if (read.Status != ReadStatus.Found)
        {
            throw new ResourceException(urn, $"cannot import: no {type} with ID '{id}' exists.");
        }

        var now = DateTimeOffset.UtcNow;
        var state = new ResourceState
        {
            Urn = urn, Type = type, Custom = true, Id = read.Id, Parent = parentUrn, Inputs = read.Inputs, Outputs = read.Outputs,
            Protect = true, Created = now, Modified = now,
        };
        await operation.Journal!.WriteAsync([operation.Store.Upsert(state)]).ConfigureAwait(false);
        var step = new PlannedStep { Urn = urn, Type = type, Op = StepOp.Import, NewInputs = read.Inputs, NewOutputs = read.Outputs, Parent = parentUrn };
        operation.Events(new StepCompletedEvent(step, TimeSpan.Zero));
        await operation.FinishAsync("succeeded", ChangeSummary.Of([step])).ConfigureAwait(false);
        return new UpdateResult { Kind = "import", UpdateId = operation.UpdateId, Steps = [step] };
    }

    private static async Task<StackSnapshot> PrepareAsync(Operation operation, bool refresh, CancellationToken cancellationToken)
    {
        var snapshot = operation.Snapshot;
        if (await PendingRecovery.ResolveAsync(snapshot, operation.Providers(preview: false), operation.Store, operation.Journal!, operation.Options,
                operation.Events, cancellationToken).ConfigureAwait(false))
        {
            snapshot = await operation.Store.LoadAsync(cancellationToken).ConfigureAwait(false);
        }

        if (refresh)
        {
            (snapshot, _) = await RefreshFencedAsync(operation, snapshot, cancellationToken).ConfigureAwait(false);
            snapshot = snapshot with { Serial = operation.Journal!.Serial };
        }

        return snapshot;
    }

    /// <summary>A refresh under the operation's lock: a lock lost during the reads stops them and is reported as such.</summary>
    private static async Task<(StackSnapshot Snapshot, System.Collections.Immutable.ImmutableArray<PlannedStep> Steps)> RefreshFencedAsync(
        Operation operation, StackSnapshot snapshot, CancellationToken cancellationToken)
    {
        try
        {
            return await Refresher.RefreshAsync(snapshot, operation.Providers(preview: false), operation.Store, operation.Journal,
                operation.Options.Parallel, operation.Events, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (operation.LockLost && ex is OperationCanceledException or InfraException)
        {
            throw new LockLostException(operation.Stack);
        }
    }

    private async Task<PreviewResult> PlanAsync(Operation operation, StackSnapshot snapshot, StackProgram? program, CancellationToken cancellationToken)
    {
        var graph = await RunProgramAsync(operation.Config, program, cancellationToken).ConfigureAwait(false);
        var result = await RunDeploymentAsync(operation, DeploymentKind.Update, dryRun: true, snapshot, graph, plan: null, cancellationToken)
            .ConfigureAwait(false);
        var preview = new PreviewResult { Plan = ToPlan(snapshot, result), Duration = result.Duration };
        if (!result.Failures.IsEmpty)
        {
            throw new UpdateFailedException(Name, "preview", result.Failures, null);
        }

        if (result.HasMandatoryViolations)
        {
            throw new PolicyViolationException(Name, result.Violations, preview);
        }

        return preview;
    }

    private async Task<UpdateResult> ApplyAsync(
        Operation operation, DeploymentKind kind, StackSnapshot snapshot, ProgramRun? program, SavedPlan plan, CancellationToken cancellationToken)
    {
        var result = await RunDeploymentAsync(operation, kind, dryRun: false, snapshot, program, plan, cancellationToken).ConfigureAwait(false);
        var summary = ChangeSummary.Of(result.Steps);
        var kindName = kind == DeploymentKind.Destroy ? "destroy" : operation.Kind == "rollback" ? "rollback" : "update";
        var observerFailure = await NotifyObserversAsync(operation, kindName, result, summary).ConfigureAwait(false);
        var outcome = result.Succeeded ? "succeeded" : result.Cancelled ? "cancelled" : "failed";
        // The update's duration is the recorded one (from taking the lock to the end), so 'stack history' shows the same figure.
        var duration = await operation.FinishAsync(outcome, summary).ConfigureAwait(false);
        operation.Events(new SummaryEvent(summary, duration, outcome));
        // The steps are recorded and the update finished either way; an observer that failed (a GitOps push) is
        // reported now, with state complete, so the next update can finish its work.
        if (observerFailure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(observerFailure);
        }

        var update = new UpdateResult
        {
            Kind = kindName,
            UpdateId = operation.UpdateId,
            Steps = result.Steps,
            Outputs = result.Outputs,
            Violations = result.Violations,
            Duration = duration,
        };
        // A lost lock is the reason, whether the steps it stopped show as cancelled or as failed by the fence.
        if (operation.LockLost)
        {
            throw new LockLostException(Name);
        }

        if (result.Cancelled)
        {
            throw new OperationCanceledException($"the update of stack '{Name}' was cancelled; state records every completed step.");
        }

        if (!result.Failures.IsEmpty)
        {
            throw new UpdateFailedException(Name, update.Kind, result.Failures, update);
        }

        return update;
    }

    private async Task<DeploymentResult> RunDeploymentAsync(
        Operation operation, DeploymentKind kind, bool dryRun, StackSnapshot snapshot, ProgramRun? program, SavedPlan? plan,
        CancellationToken cancellationToken)
    {
        var planner = new Planner(kind, Name, program?.Graph, snapshot, operation.Options, plan);
        var services = new DeploymentServices(
            operation.Providers(dryRun), operation.Store, dryRun ? null : operation.Journal, operation.Events, operation.Options.Parallel, operation.Options.Policy);
        using var deployment = new Deployment.Deployment(kind, dryRun, program, snapshot, planner, services, cancellationToken);
        return await deployment.RunAsync().ConfigureAwait(false);
    }

    /// <summary>Tells every observer the update is over; returns the first failure, after all observers ran.</summary>
    private static async Task<Exception?> NotifyObserversAsync(Operation operation, string kind, DeploymentResult result, ChangeSummary summary)
    {
        var completion = new UpdateCompletion(operation.Stack, kind, result.Succeeded, summary.Changes);
        Exception? failure = null;
        foreach (var observer in operation.Providers(preview: false).Created.OfType<IUpdateObserver>())
        {
            try
            {
                // An observer acts outside state too (a GitOps commit and push): fenced like every provider call.
                await operation.EnsureHeldAsync(CancellationToken.None).ConfigureAwait(false);
                await observer.OnUpdateCompletedAsync(completion, CancellationToken.None).ConfigureAwait(false);
            }
            catch (InfraException ex)
            {
                failure ??= ex;
            }
        }

        return failure;
    }

    private SavedPlan CheckSavedPlan(SavedPlan saved, StackSnapshot snapshot)
    {
        if (saved.Stack != Name || saved.Project != Workspace.Project.Name)
        {
            throw new PlanOutdatedException($"the saved plan is for stack '{saved.Stack}' of project '{saved.Project}', not '{Name}' of '{Workspace.Project.Name}'.");
        }

        if (saved.BaseSerial != snapshot.Serial)
        {
            throw new PlanOutdatedException($"the state of stack '{Name}' has moved since the plan was made (serial {saved.BaseSerial}, now {snapshot.Serial}).");
        }

        return saved;
    }

    private SavedPlan ToPlan(StackSnapshot snapshot, DeploymentResult result) => new()
    {
        Stack = Name,
        Project = Workspace.Project.Name,
        BaseSerial = snapshot.Serial,
        Steps = result.Steps,
        Outputs = result.Outputs,
        PolicyViolations = result.Violations,
    };

    private async Task<ProgramRun> RunProgramAsync(StackConfig config, StackProgram? program, CancellationToken cancellationToken)
    {
        program ??= Workspace.Options.ProgramResolver?.Invoke(Name, config)
            ?? throw new InfraException($"stack '{Name}' has no program: pass one in the operation options or set a program resolver.");
        var context = new ProgramContext(Name, Workspace.Project.Name, config, new OutputsReader(Workspace));
        using (context.Enter())
        {
            try
            {
                await program.RunAsync(new StackContext(context, cancellationToken)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not (InfraException or OperationCanceledException))
            {
                throw new InfraException($"the program of stack '{Name}' failed: {ex.GetType().Name}: {ex.Message}", ex);
            }
            finally
            {
                context.Close();
            }
        }

        return new ProgramRun(context, ResourceGraph.Build(context));
    }

    private async Task<Operation> OpenAsync(
        string kind, OperationOptions options, bool takeLock, CancellationToken cancellationToken, StackSettingsFile? settingsOverride = null)
    {
        var settings = settingsOverride ?? Workspace.LoadSettings(Name);
        var cipher = CipherFactory(settings);
        var config = new StackConfig(Workspace.Project, Name, settings, cipher, Workspace.Options.Environment);
        config.Validate();

        // The passphrase is checked before the operation starts, so a wrong one fails before anything runs rather than
        // at the first secret. Deriving its key costs a few hundred milliseconds of one core, so it runs beside the
        // lock and the state load and is awaited before the operation is handed out.
        var passphraseCheck = settings.EncryptionSalt is not null && Workspace.HasPassphrase
            ? Task.Run(() => _ = cipher(), CancellationToken.None)
            : Task.CompletedTask;
        try
        {
            var operation = await OpenCheckedAsync(kind, options, takeLock, settings, cipher, config, cancellationToken).ConfigureAwait(false);
            try
            {
                await passphraseCheck.ConfigureAwait(false);
            }
            catch
            {
                await operation.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            return operation;
        }
        catch when (!passphraseCheck.IsCompletedSuccessfully)
        {
            // A wrong passphrase is the first thing to report, whatever else failed beside it.
            await passphraseCheck.ConfigureAwait(false);
            throw;
        }
    }

    private async Task<Operation> OpenCheckedAsync(
        string kind, OperationOptions options, bool takeLock, StackSettingsFile settings, Func<ISecretCipher?> cipher, StackConfig config,
        CancellationToken cancellationToken)
    {
        options.Validate();
        options = options with
        {
            Targets = options.Targets.IsDefault ? [] : options.Targets,
            Replaces = options.Replaces.IsDefault ? [] : options.Replaces,
            Policy = options.Policy ?? Workspace.Options.PolicyResolver?.Invoke(Name, settings),
        };

        if (await Workspace.Backend.GetStackAsync(Name, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new StackNotFoundException(Name, Workspace.Backend.DisplayUrl);
        }

        var store = new StackStateStore(Workspace.Backend, Name, cipher);
        var trace = new OperationTrace(kind, Name, Workspace.Project.Name);
        var events = trace.Wrap(options.OnEvent ?? (static _ => { }));
        var operation = new Operation(this, kind, settings, config, store, options, events, trace);
        operation.WarmUpProviders();
        try
        {
            if (takeLock)
            {
                await operation.AcquireAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                operation.Snapshot = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            // The operation never reaches its caller, so nothing else would stop the plugin processes it has started.
            await operation.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return operation;
    }

    private sealed class OutputsReader(Workspace workspace) : IStackOutputsReader
    {
        public async Task<PropertyMap> ReadOutputsAsync(string stack, CancellationToken cancellationToken)
        {
            var other = await workspace.SelectStackAsync(stack, cancellationToken).ConfigureAwait(false);
            return await other.GetOutputsAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One running operation: its config, state store, lock, journal and history record.</summary>
    private sealed class Operation(
        WorkspaceStack stack, string kind, StackSettingsFile settings, StackConfig config, StackStateStore store, OperationOptions options,
        Action<EngineEvent> events, OperationTrace trace) : IAsyncDisposable
    {
        private readonly Dictionary<bool, ProviderSet> _providers = [];
        private readonly List<IAsyncDisposable> _warmUps = [];
        private CancellationTokenSource? _cancellation;
        private StackLock? _lock;
        private bool _finished;
        private DateTimeOffset _started;

        public string Stack => stack.Name;

        /// <summary>update, rollback, refresh, destroy, import or preview.</summary>
        public string Kind => kind;

        public StackSettingsFile Settings { get; } = settings;

        public StackConfig Config { get; } = config;

        public StackStateStore Store { get; } = store;

        /// <summary>The operation's options, checked, with the policy resolved.</summary>
        public OperationOptions Options { get; } = options;

        public Action<EngineEvent> Events { get; } = events;

        public StackSnapshot Snapshot { get; set; } = StackSnapshot.Empty(stack.Name);

        public Journal? Journal { get; private set; }

        public long UpdateId { get; private set; }

        /// <summary>Cancelled by the caller, or when the heartbeat finds the stack's lock lost (cancelled or taken over).</summary>
        public CancellationToken Cancellation => _cancellation?.Token ?? CancellationToken.None;

        /// <summary>True when the lock was lost while the operation ran.</summary>
        public bool LockLost => (_lock?.Lost.IsCancellationRequested ?? false) || (Journal?.LockLost ?? false);

        /// <summary>Checks that the operation still holds the stack's lock (if it took one) before acting outside state.</summary>
        /// <exception cref="LockLostException">The lock was cancelled or taken over.</exception>
        public Task EnsureHeldAsync(CancellationToken cancellationToken) =>
            _lock?.EnsureHeldAsync(cancellationToken) ?? Task.CompletedTask;

        public ProviderSet Providers(bool preview)
        {
            if (!_providers.TryGetValue(preview, out var set))
            {
                // A preview's calls have no side effects; the others are fenced while this operation holds the lock.
                set = new ProviderSet(stack.Workspace.Options.Providers, stack.Name, stack.Workspace.Project, Config, preview, operation: this,
                    fence: preview || _lock is null ? null : _lock.EnsureHeldAsync);
                _providers[preview] = set;
            }

            return set;
        }

        /// <summary>
        /// Lets providers that are slow to become ready (plugin processes) start now, while the lock is taken, state is
        /// loaded and the program runs, rather than at their first call.
        /// </summary>
        public void WarmUpProviders()
        {
            foreach (var factory in stack.Workspace.Options.Providers)
            {
                if (factory is IProviderWarmUp warmUp)
                {
                    _warmUps.Add(warmUp.WarmUp(ProviderSet.Context(factory.Package, stack.Name, stack.Workspace.Project, Config, Kind == "preview", this)));
                }
            }
        }

        public async Task AcquireAsync(CancellationToken cancellationToken)
        {
            var backend = stack.Workspace.Backend;
            _lock = await stack.LockAsync(kind, cancellationToken).ConfigureAwait(false);
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lock.Lost);
            if (_lock.Displaced is { } displaced)
            {
                Events(new DiagnosticEvent(DiagnosticSeverity.Warning,
                    $"took over the lock of stack '{Stack}' from {displaced.Describe()}, which is no longer running."));
            }

            foreach (var stale in (await backend.ListUpdatesAsync(Stack, cancellationToken).ConfigureAwait(false)).Where(static u => u.Result == "in-progress"))
            {
                await backend.FinishUpdateAsync(Stack, stale.Id, "interrupted", stale.CountsJson, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            }

            _started = RecordedNow();
            UpdateId = await backend.StartUpdateAsync(Stack, new UpdateRecord
            {
                Kind = kind,
                Started = _started,
                User = ProcessIdentity.User,
                Host = ProcessIdentity.Host,
                Pid = ProcessIdentity.Pid,
                Config = Settings.ToYaml(),
                ProgramVersion = stack.Workspace.Options.ProgramVersion ?? await ProgramVersions.DetectAsync(stack.Workspace.Project.Directory, cancellationToken).ConfigureAwait(false),
            }, cancellationToken).ConfigureAwait(false);
            Snapshot = await Store.LoadAsync(cancellationToken).ConfigureAwait(false);
            Journal = new Journal(backend, Stack, _lock.Info.LockId, Snapshot.Serial);
        }

        /// <summary>Records the update's end; returns its duration as the history will show it (end minus start, as stored).</summary>
        public async Task<TimeSpan> FinishAsync(string result, ChangeSummary summary)
        {
            if (UpdateId == 0 || _finished)
            {
                return TimeSpan.Zero;
            }

            _finished = true;
            trace.Finish(result);
            var ended = RecordedNow();
            await stack.Workspace.Backend.FinishUpdateAsync(Stack, UpdateId, result, summary.ToJson(), ended, CancellationToken.None)
                .ConfigureAwait(false);
            return ended - _started;
        }

        /// <summary>Now, to the millisecond every backend stores, so a duration printed now equals the one history computes later.</summary>
        private static DateTimeOffset RecordedNow()
        {
            var now = DateTimeOffset.UtcNow;
            return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        }

        /// <remarks>
        /// Every step runs whatever failed before it, and the lock is released last. A backend that went away
        /// mid-operation (a database restart) also fails the journal's last flush and the history record; skipping
        /// the release then would leave the lock's heartbeat running, renewing the lease for as long as the process
        /// lives, so every later run of the stack would find it locked. The first failure is the one thrown.
        /// </remarks>
        public async ValueTask DisposeAsync()
        {
            var closed = await TryAsync(async () =>
            {
                foreach (var set in _providers.Values)
                {
                    await set.DisposeAsync().ConfigureAwait(false);
                }

                foreach (var warmUp in _warmUps)
                {
                    await warmUp.DisposeAsync().ConfigureAwait(false);
                }

                if (Journal is not null)
                {
                    await Journal.DisposeAsync().ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
            var recorded = await TryAsync(async () => await FinishAsync("failed", ChangeSummary.Of([])).ConfigureAwait(false)).ConfigureAwait(false);
            var released = await TryAsync(() => _lock?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
            _cancellation?.Dispose();
            trace.Dispose();
            if ((closed ?? recorded ?? released) is { } first)
            {
                ExceptionDispatchInfo.Throw(first);
            }
        }

        private static async Task<Exception?> TryAsync(Func<ValueTask> step)
        {
            try
            {
                await step().ConfigureAwait(false);
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        }
    }
}

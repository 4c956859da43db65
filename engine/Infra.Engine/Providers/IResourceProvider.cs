namespace Infra.Providers;

/// <summary>
/// The one contract every provider implements: check, diff, create, read, update and delete. Requests and
/// responses are JSON-serializable records over <see cref="Values.PropertyMap"/>s (with secret and unknown markers),
/// so a provider can later run out of process behind a JSON-RPC adapter without changing this interface.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Providers are created per operation and per stack, configured with the stack's config namespace
/// (see <see cref="ProviderContext"/>), so they may keep per-stack state such as connection pools.</description></item>
/// <item><description>Create must be idempotent with respect to crashes: if the object already exists exactly as
/// declared, adopt it; if it exists but differs, fail with a conflict instead of overwriting it.</description></item>
/// <item><description>A provider error means the operation did not happen. A timeout or cancellation leaves it
/// uncertain, and the engine resolves it on the next run with <see cref="ReadAsync"/>.</description></item>
/// </list>
/// </remarks>
public interface IResourceProvider
{
    /// <summary>The package this provider serves: the first part of its type tokens, e.g. <c>random</c>.</summary>
    string Package { get; }

    /// <summary>Validates inputs and fills in defaults. Runs in preview and update, before diff.</summary>
    Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken);

    /// <summary>Compares old and new inputs: no change, an in-place update, or a replacement, with the changed paths.</summary>
    Task<DiffResponse> DiffAsync(DiffRequest request, CancellationToken cancellationToken);

    /// <summary>Creates the resource; in preview (<see cref="CreateRequest.Preview"/>) returns predicted outputs without side effects.</summary>
    Task<CreateResponse> CreateAsync(CreateRequest request, CancellationToken cancellationToken);

    /// <summary>Reads the resource's live state, for refresh, import and crash recovery.</summary>
    Task<ReadResponse> ReadAsync(ReadRequest request, CancellationToken cancellationToken);

    /// <summary>Updates the resource in place; in preview returns predicted outputs without side effects.</summary>
    Task<UpdateResponse> UpdateAsync(UpdateRequest request, CancellationToken cancellationToken);

    /// <summary>Deletes the resource. Deleting something already gone succeeds.</summary>
    Task DeleteAsync(DeleteRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Optional: a provider that wants to act once an update is over, e.g. to commit rendered manifests to git in one
/// commit per update.
/// </summary>
public interface IUpdateObserver
{
    /// <summary>Called after the last step of a non-preview update, whether it succeeded or not.</summary>
    Task OnUpdateCompletedAsync(UpdateCompletion completion, CancellationToken cancellationToken);
}

/// <summary>
/// Optional: a provider that can tell, before a destroy deletes anything, that one of its deletes would fail (a role
/// that still owns objects somewhere the destroy does not reach, a database with sessions nobody may end). The engine
/// asks it for every resource the destroy deletes before the first delete, and stops with every blocker found and
/// nothing deleted, so a destroy either completes or does not start.
/// </summary>
public interface IDeleteCheck
{
    /// <summary>
    /// Returns why deleting the resource would fail once everything in <see cref="DeleteCheckRequest.AlsoDeleted"/>
    /// is gone, as one line naming what blocks it; or <see langword="null"/> when nothing is known to block it. Reads only.
    /// </summary>
    Task<string?> CheckDeleteAsync(DeleteCheckRequest request, CancellationToken cancellationToken);
}

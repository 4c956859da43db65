using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Json;
using Infra.Values;

namespace Infra.State;

/// <summary>
/// One stack's state seen through its secrets cipher: loads and parses snapshots, and turns resource changes
/// into stored mutations. Secrets are encrypted here, before anything reaches a backend.
/// </summary>
public sealed class StackStateStore
{
    /// <summary>Below this many rows a parallel parse costs more in scheduling than it saves.</summary>
    private const int ParallelParseThreshold = 512;

    private readonly Func<ISecretCipher?> _cipher;

    /// <summary>Creates a store for <paramref name="stack"/> in <paramref name="backend"/>.</summary>
    public StackStateStore(IStateBackend backend, string stack, Func<ISecretCipher?> cipher)
    {
        Backend = backend ?? throw new ArgumentNullException(nameof(backend));
        Stack = stack;
        _cipher = cipher;
    }

    /// <summary>The backend.</summary>
    public IStateBackend Backend { get; }

    /// <summary>The stack.</summary>
    public string Stack { get; }

    internal ISecretCipher? Cipher => _cipher();

    /// <summary>Loads and parses the stack's snapshot.</summary>
    /// <exception cref="InfraException">The stack does not exist or its state cannot be parsed.</exception>
    public async Task<StackSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await Backend.LoadAsync(Stack, cancellationToken).ConfigureAwait(false);
        return Parse(stored);
    }

    /// <summary>Parses stored rows.</summary>
    public StackSnapshot Parse(StoredSnapshot stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var cipher = NeedsCipher(stored) ? _cipher() : null;
        try
        {
            return new StackSnapshot
            {
                Stack = Stack,
                Serial = stored.Serial,
                Outputs = StateJson.DeserializeOutputs(stored.OutputsJson, cipher, Stack),
                Resources = ParseRows(stored.Resources, json => StateJson.DeserializeResource(json, cipher, Stack)),
                Pending = [.. stored.Pending.Select(json => StateJson.DeserializePending(json, cipher, Stack))],
            };
        }
        catch (JsonException ex)
        {
            throw new InfraException($"stack '{Stack}': state in {Backend.DisplayUrl} cannot be parsed ({ex.Message}); restore it from an exported state document.", ex);
        }
    }

    /// <summary>A mutation that writes <paramref name="resource"/>.</summary>
    public StoredMutation Upsert(ResourceState resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return new StoredMutation.UpsertResource(resource.Urn, resource.PendingDelete, StateJson.Serialize(resource, CipherFor(resource), Stack));
    }

    /// <summary>A mutation that removes <paramref name="resource"/>.</summary>
    public static StoredMutation Remove(ResourceState resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return new StoredMutation.DeleteResource(resource.Urn, resource.PendingDelete);
    }

    /// <summary>A mutation that adds a journal entry.</summary>
    public StoredMutation Begin(PendingOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return new StoredMutation.AddPending(operation.Id, StateJson.Serialize(operation, CipherFor(operation.Resource), Stack));
    }

    /// <summary>A mutation that sets the stack outputs.</summary>
    public StoredMutation SetOutputs(PropertyMap outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        return new StoredMutation.SetOutputs(StateJson.SerializeOutputs(outputs, outputs.ContainsSecrets ? RequireCipher() : null, Stack));
    }

    /// <summary>
    /// Parses rows in order. Rows are independent documents, so a large snapshot is parsed on every core: loading the
    /// state is most of a no-change preview's start (ciphers are thread-safe, as the deployment already requires).
    /// </summary>
    private static ImmutableArray<T> ParseRows<T>(ImmutableArray<string> rows, Func<string, T> parse)
    {
        if (rows.Length < ParallelParseThreshold)
        {
            return [.. rows.Select(parse)];
        }

        var parsed = new T[rows.Length];
        try
        {
            Parallel.For(0, rows.Length, i => parsed[i] = parse(rows[i]));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            // The same exception a sequential parse would give, so callers' handling does not depend on the size.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(parsed);
    }

    private ISecretCipher? CipherFor(ResourceState resource) =>
        resource.Inputs.ContainsSecrets || resource.Outputs.ContainsSecrets ? RequireCipher() : null;

    private ISecretCipher RequireCipher() =>
        _cipher() ?? throw new InfraException($"stack '{Stack}' has secret values but its settings file names no secrets provider and salt to read them with.");

    private static bool NeedsCipher(StoredSnapshot stored) =>
        stored.OutputsJson.Contains(PropertyJson.SecretKey, StringComparison.Ordinal) ||
        stored.Resources.Any(static r => r.Contains(PropertyJson.SecretKey, StringComparison.Ordinal)) ||
        stored.Pending.Any(static r => r.Contains(PropertyJson.SecretKey, StringComparison.Ordinal));

    internal static ImmutableArray<StoredMutation> List(params StoredMutation[] mutations) => [.. mutations];
}

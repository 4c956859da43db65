using System.Collections.Concurrent;
using Infra.Providers;
using Infra.Values;

namespace Infra.TestSupport;

/// <summary>
/// A small, inspectable "cloud" for engine tests: the <c>test</c> provider keeps objects here, logs every operation
/// and tracks how many run at once. Failures and latency can be injected per resource.
/// </summary>
public sealed class TestCloud
{
    private int _running;
    private int _maxRunning;

    public ConcurrentDictionary<string, TestObject> Objects { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<TestOperation> Log { get; } = new();

    public TimeSpan Latency { get; set; }

    /// <summary>When it returns true for a URN and operation ("create", "update", "delete"), the provider throws.</summary>
    public Func<string, string, bool> Fail { get; set; } = static (_, _) => false;

    /// <summary>When it returns true for a URN, reads without an ID cannot tell whether the object exists.</summary>
    public Func<string, bool> CannotLocate { get; set; } = static _ => false;

    /// <summary>What blocks the delete of a URN, as the provider's delete check says it before a destroy; <see langword="null"/>: nothing.</summary>
    public Func<string, string?> DeleteBlocker { get; set; } = static _ => null;

    /// <summary>Called with the URN before each read (refresh, recovery, import).</summary>
    public Action<string> BeforeRead { get; set; } = static _ => { };

    /// <summary>The URNs read, in order.</summary>
    public ConcurrentQueue<string> Reads { get; } = new();

    public int MaxConcurrency => _maxRunning;

    public IReadOnlyList<TestOperation> Operations => [.. Log];

    public TestObject? ByUrn(string urn) => Objects.Values.FirstOrDefault(o => o.Urn == urn);

    internal async Task RunAsync(string op, string urn, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _running);
        int seen;
        while ((seen = _maxRunning) < now && Interlocked.CompareExchange(ref _maxRunning, now, seen) != seen)
        {
        }

        try
        {
            Log.Enqueue(new TestOperation(op, urn, DateTimeOffset.UtcNow, Started: true));
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, cancellationToken).ConfigureAwait(false);
            }

            if (Fail(urn, op))
            {
                throw new InvalidOperationException($"injected {op} failure");
            }
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            Log.Enqueue(new TestOperation(op, urn, DateTimeOffset.UtcNow, Started: false));
        }
    }
}

public sealed record TestObject(string Id, string Urn, PropertyMap Properties);

public sealed record TestOperation(string Op, string Urn, DateTimeOffset Time, bool Started);

/// <summary>Args of <see cref="TestResource"/>: <c>replace</c> forces replacement when it changes; everything else updates in place.</summary>
public sealed record TestResourceArgs
{
    public Input<string>? Value { get; init; }

    public Input<string>? Replace { get; init; }

    public InputMap<string>? Tags { get; init; }

    public Input<string>? Password { get; init; }
}

/// <summary>A resource of the test provider; outputs echo inputs plus <c>computed</c>, derived from <c>value</c>.</summary>
public sealed class TestResource : CustomResource
{
    public const string TypeToken = "test:index:Resource";

    public TestResource(string name, TestResourceArgs? args = null, CustomResourceOptions? options = null)
        : base(TypeToken, name, args ?? new TestResourceArgs(), options)
    {
    }

    public Output<string> Value => GetOutput<string>("value");

    public Output<string> Computed => GetOutput<string>("computed");
}

/// <summary>A component grouping test resources.</summary>
public sealed class TestComponent : ComponentResource
{
    public TestComponent(string name, ComponentResourceOptions? options = null, Func<TestComponent, Output<string>>? children = null)
        : base("test:index:Component", name, options)
    {
        var output = children?.Invoke(this);
        RegisterOutputs(new Dictionary<string, object?> { ["child"] = output });
    }
}

public sealed class TestProviderFactory(TestCloud cloud) : IProviderFactory
{
    public string Package => "test";

    public IResourceProvider Create(ProviderContext context) => new TestProvider(cloud);
}

internal sealed class TestProvider(TestCloud cloud) : IResourceProvider, IDeleteCheck
{
    private static readonly HashSet<string> s_replaceKeys = new(StringComparer.Ordinal) { "replace" };

    public string Package => "test";

    public Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        var value = request.NewInputs.GetValueOrDefault("value");
        if (value is not null && value.TryGetString(out var text) && text == "invalid")
        {
            return Task.FromResult(new CheckResponse(request.NewInputs, [new CheckFailure("value", "must not be 'invalid'")]));
        }

        if (value is not null && value.TryGetString(out var warned) && warned == "questionable")
        {
            return Task.FromResult(CheckResponse.Ok(request.NewInputs) with { Warnings = ["value 'questionable' works, but look at it"] });
        }

        return Task.FromResult(CheckResponse.Ok(request.NewInputs));
    }

    public Task<DiffResponse> DiffAsync(DiffRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(DiffResponse.FromInputs(request.OldInputs, request.NewInputs, s_replaceKeys));

    public async Task<CreateResponse> CreateAsync(CreateRequest request, CancellationToken cancellationToken)
    {
        if (request.Preview)
        {
            return new CreateResponse(string.Empty, Outputs(request.Inputs, known: false));
        }

        await cloud.RunAsync("create", request.Urn, cancellationToken).ConfigureAwait(false);
        var id = Guid.NewGuid().ToString("N")[..12];
        var outputs = Outputs(request.Inputs, known: true);
        cloud.Objects[id] = new TestObject(id, request.Urn, outputs);
        return new CreateResponse(id, outputs);
    }

    public Task<ReadResponse> ReadAsync(ReadRequest request, CancellationToken cancellationToken)
    {
        cloud.BeforeRead(request.Urn);
        cloud.Reads.Enqueue(request.Urn);
        if (request.Id is null && cloud.CannotLocate(request.Urn))
        {
            return Task.FromResult(ReadResponse.Indeterminate);
        }

        var found = request.Id is not null ? cloud.Objects.GetValueOrDefault(request.Id) : cloud.ByUrn(request.Urn);
        if (found is null)
        {
            return Task.FromResult(ReadResponse.NotFound);
        }

        var inputs = found.Properties.Remove("computed");
        return Task.FromResult(ReadResponse.Found(found.Id, inputs, found.Properties));
    }

    public async Task<UpdateResponse> UpdateAsync(UpdateRequest request, CancellationToken cancellationToken)
    {
        if (request.Preview)
        {
            return new UpdateResponse(Outputs(request.NewInputs, known: false));
        }

        await cloud.RunAsync("update", request.Urn, cancellationToken).ConfigureAwait(false);
        var outputs = Outputs(request.NewInputs, known: true);
        cloud.Objects[request.Id] = new TestObject(request.Id, request.Urn, outputs);
        return new UpdateResponse(outputs);
    }

    public async Task DeleteAsync(DeleteRequest request, CancellationToken cancellationToken)
    {
        await cloud.RunAsync("delete", request.Urn, cancellationToken).ConfigureAwait(false);
        cloud.Objects.TryRemove(request.Id, out _);
    }

    public Task<string?> CheckDeleteAsync(DeleteCheckRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(cloud.DeleteBlocker(request.Urn));

    private static PropertyMap Outputs(PropertyMap inputs, bool known)
    {
        if (!known)
        {
            return inputs.SetItem("computed", PropertyValue.Unknown);
        }

        var value = inputs.GetValueOrDefault("value");
        var computed = value is not null && value.TryGetString(out var text) ? "computed-" + text : "computed";
        var result = value?.IsSecret == true ? PropertyValue.Secret(PropertyValue.Create(computed)) : PropertyValue.Create(computed);
        return inputs.SetItem("computed", result);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using Infra.Values;

namespace Infra.Providers.Synthetic;

/// <summary>
/// Serves <see cref="SyntheticResource"/>: random values with an optional simulated latency
/// (<c>synthetic:latencyMs</c>) and an optional simulated cloud (<c>synthetic:cloudDir</c>): a folder holding one file
/// per live resource, named by its ID and holding its URN, so crash tests can check that state and the "cloud" agree.
/// </summary>
public sealed class SyntheticProvider(TimeSpan latency, string? cloudDirectory) : IResourceProvider
{
    /// <inheritdoc/>
    public string Package => "synthetic";

    /// <inheritdoc/>
    public Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        var length = request.NewInputs.GetValueOrDefault("length");
        if (length is null || (length.IsFullyKnown && (!length.TryGetNumber(out var n) || n is < 1 or > 256)))
        {
            return Task.FromResult(new CheckResponse(request.NewInputs, [new CheckFailure("length", "must be a whole number from 1 to 256.")]));
        }

        return Task.FromResult(CheckResponse.Ok(request.NewInputs));
    }

    /// <inheritdoc/>
    public Task<DiffResponse> DiffAsync(DiffRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(DiffResponse.FromInputs(request.OldInputs, request.NewInputs, replaceOnChange: null));

    /// <inheritdoc/>
    public async Task<CreateResponse> CreateAsync(CreateRequest request, CancellationToken cancellationToken)
    {
        if (request.Preview)
        {
            return new CreateResponse(string.Empty, request.Inputs.SetItem("result", PropertyValue.Unknown));
        }

        await SimulateLatencyAsync(cancellationToken).ConfigureAwait(false);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var length = (int)request.Inputs["length"].AsNumber;
        var result = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes((length + 1) / 2))[..length];
        if (cloudDirectory is not null)
        {
            var record = $"{request.Urn}\n{result}\n{Fingerprint(request.Inputs)}";
            await WriteAtomicallyAsync(id, record, cancellationToken).ConfigureAwait(false);
        }

        return new CreateResponse(id, request.Inputs.SetItem("result", PropertyValue.Create(result)));
    }

    /// <inheritdoc/>
    public async Task<ReadResponse> ReadAsync(ReadRequest request, CancellationToken cancellationToken)
    {
        await SimulateLatencyAsync(cancellationToken).ConfigureAwait(false);
        if (cloudDirectory is null)
        {
            // Without a simulated cloud the value lives only in state, like the random provider's.
            return request.Id is null || request.Outputs is null
                ? ReadResponse.NotFound
                : ReadResponse.Found(request.Id, request.Inputs ?? PropertyMap.Empty, request.Outputs);
        }

        var entry = request.Id is not null ? FindById(request.Id) : FindByUrn(request.Urn, request.Inputs);
        if (entry is null)
        {
            return ReadResponse.NotFound;
        }

        var (id, result) = entry.Value;
        var inputs = request.Inputs ?? PropertyMap.Empty.SetItem("length", PropertyValue.Create(result.Length));
        return ReadResponse.Found(id, inputs, inputs.SetItem("result", PropertyValue.Create(result)));
    }

    /// <inheritdoc/>
    public Task<UpdateResponse> UpdateAsync(UpdateRequest request, CancellationToken cancellationToken) =>
        throw new ResourceException(request.Urn, "synthetic resources are replaced, never updated.");

    /// <inheritdoc/>
    public async Task DeleteAsync(DeleteRequest request, CancellationToken cancellationToken)
    {
        await SimulateLatencyAsync(cancellationToken).ConfigureAwait(false);
        if (cloudDirectory is not null)
        {
            File.Delete(Path.Combine(cloudDirectory, request.Id));
        }
    }

    /// <summary>
    /// A real cloud's create is atomic from the outside: the object exists whole or not at all. Writing to a staging
    /// folder beside the cloud and renaming keeps that true when the process is killed mid-write, which the crash
    /// tests do on purpose.
    /// </summary>
    private async Task WriteAtomicallyAsync(string id, string record, CancellationToken cancellationToken)
    {
        var staging = cloudDirectory!.TrimEnd(Path.DirectorySeparatorChar) + ".staging";
        Directory.CreateDirectory(cloudDirectory!);
        Directory.CreateDirectory(staging);
        var temporary = Path.Combine(staging, id);
        await File.WriteAllTextAsync(temporary, record, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, Path.Combine(cloudDirectory!, id), overwrite: true);
    }

    // A hash, not the inputs themselves: inputs may hold secrets, and the simulated cloud is a plain folder.
    private static string Fingerprint(PropertyMap inputs) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(PropertyJson.ToJson(inputs, PropertyJsonMode.Plaintext))));

    private Task SimulateLatencyAsync(CancellationToken cancellationToken) =>
        latency > TimeSpan.Zero ? Task.Delay(latency, cancellationToken) : Task.CompletedTask;

    private (string Id, string Result)? FindById(string id)
    {
        var path = Path.Combine(cloudDirectory!, id);
        if (!File.Exists(path))
        {
            return null;
        }

        var lines = File.ReadAllText(path).Split('\n');
        return (id, lines.Length > 1 ? lines[1] : string.Empty);
    }

    /// <summary>Finds a resource created for <paramref name="urn"/> with exactly these inputs (a replacement has different ones).</summary>
    private (string Id, string Result)? FindByUrn(string urn, PropertyMap? inputs)
    {
        var fingerprint = inputs is null ? null : Fingerprint(inputs);
        if (!Directory.Exists(cloudDirectory))
        {
            return null;
        }

        foreach (var file in Directory.EnumerateFiles(cloudDirectory!))
        {
            var lines = File.ReadAllText(file).Split('\n');
            if (lines[0] == urn && (fingerprint is null || (lines.Length > 2 && lines[2] == fingerprint)))
            {
                return (Path.GetFileName(file), lines.Length > 1 ? lines[1] : string.Empty);
            }
        }

        return null;
    }

    /// <summary>Creates the provider from the stack's <c>synthetic:*</c> config.</summary>
    public static SyntheticProvider FromConfig(ProviderContext context)
    {
        var latency = context.Config.GetString("latencyMs") is { } text
            ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : 0;
        var cloud = context.Config.GetString("cloudDir") is { } dir
            ? Path.GetFullPath(Path.Combine(context.ProjectDirectory, dir))
            : null;
        return new SyntheticProvider(TimeSpan.FromMilliseconds(Math.Max(0, latency)), cloud);
    }
}

using System.Buffers.Text;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using Infra.Values;

namespace Infra.Providers.Random;

/// <summary>
/// Generates random values that live only in state: passwords (secret), strings, IDs and UUIDs. Every input,
/// including <c>keepers</c>, forces replacement when it changes, which is how a keeper rotates a value.
/// </summary>
public sealed class RandomProvider : IResourceProvider
{
    /// <summary>The package name.</summary>
    public const string PackageName = "random";

    internal const string PasswordType = "random:index:RandomPassword";
    internal const string StringType = "random:index:RandomString";
    internal const string IdType = "random:index:RandomId";
    internal const string UuidType = "random:index:RandomUuid";

    /// <inheritdoc/>
    public string Package => PackageName;

    /// <inheritdoc/>
    public Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var failures = ImmutableArray.CreateBuilder<CheckFailure>();
        var inputs = request.Type switch
        {
            PasswordType or StringType => RandomStringRules.Check(request.NewInputs, failures),
            IdType => CheckId(request.NewInputs, failures),
            UuidType => request.NewInputs,
            _ => throw new ResourceException(request.Urn, $"the random provider has no type '{request.Type}'."),
        };
        CheckKeepers(inputs, failures);
        return Task.FromResult(new CheckResponse(inputs, failures.ToImmutable()));
    }

    /// <inheritdoc/>
    public Task<DiffResponse> DiffAsync(DiffRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Random values cannot be updated in place: any change, keepers included, makes a new value.
        return Task.FromResult(DiffResponse.FromInputs(request.OldInputs, request.NewInputs, replaceOnChange: null));
    }

    /// <inheritdoc/>
    public Task<CreateResponse> CreateAsync(CreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Preview)
        {
            var predicted = request.Inputs.SetItem("result", request.Type == PasswordType ? PropertyValue.Secret(PropertyValue.Unknown) : PropertyValue.Unknown);
            return Task.FromResult(new CreateResponse(string.Empty, predicted));
        }

        var (id, outputs) = request.Type switch
        {
            PasswordType => CreatePassword(request.Inputs),
            StringType => CreateString(request.Inputs),
            IdType => CreateId(request.Inputs, RandomNumberGenerator.GetBytes(ByteLength(request.Inputs))),
            _ => CreateUuid(request.Inputs, Guid.NewGuid().ToString()),
        };
        return Task.FromResult(new CreateResponse(id, outputs));
    }

    /// <inheritdoc/>
    public Task<ReadResponse> ReadAsync(ReadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Id is null)
        {
            // A create interrupted before it returned produced nothing outside state.
            return Task.FromResult(ReadResponse.NotFound);
        }

        if (request.Outputs is { } outputs)
        {
            return Task.FromResult(ReadResponse.Found(request.Id, request.Inputs ?? PropertyMap.Empty, outputs));
        }

        return Task.FromResult(Import(request.Type, request.Id));
    }

    /// <inheritdoc/>
    public Task<UpdateResponse> UpdateAsync(UpdateRequest request, CancellationToken cancellationToken) =>
        throw new ResourceException(request?.Urn ?? string.Empty, "random resources cannot be updated in place; they are replaced.");

    /// <inheritdoc/>
    public Task DeleteAsync(DeleteRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

    private static ReadResponse Import(string type, string id)
    {
        switch (type)
        {
            case PasswordType:
                var password = PropertyMap.Empty.SetItem("length", PropertyValue.Create(id.Length));
                return ReadResponse.Found(Guid.NewGuid().ToString("N"), password, password.SetItem("result", PropertyValue.Secret(PropertyValue.Create(id))));
            case StringType:
                var text = PropertyMap.Empty.SetItem("length", PropertyValue.Create(id.Length));
                return ReadResponse.Found(id, text, text.SetItem("result", PropertyValue.Create(id)));
            case IdType:
                byte[] bytes;
                try
                {
                    bytes = Base64Url.DecodeFromChars(id);
                }
                catch (FormatException)
                {
                    return ReadResponse.NotFound;
                }

                var (idValue, outputs) = CreateId(PropertyMap.Empty.SetItem("byteLength", PropertyValue.Create(bytes.Length)), bytes);
                return ReadResponse.Found(idValue, PropertyMap.Empty.SetItem("byteLength", PropertyValue.Create(bytes.Length)), outputs);
            default:
                return Guid.TryParse(id, out _) ? ReadResponse.Found(id, PropertyMap.Empty, CreateUuid(PropertyMap.Empty, id).Outputs) : ReadResponse.NotFound;
        }
    }

    private static (string Id, PropertyMap Outputs) CreatePassword(PropertyMap inputs)
    {
        var result = RandomStringRules.Generate(inputs);
        return (Guid.NewGuid().ToString("N"), inputs.SetItem("result", PropertyValue.Secret(PropertyValue.Create(result))));
    }

    private static (string Id, PropertyMap Outputs) CreateString(PropertyMap inputs)
    {
        var result = RandomStringRules.Generate(inputs);
        return (result, inputs.SetItem("result", PropertyValue.Create(result)));
    }

    private static (string Id, PropertyMap Outputs) CreateId(PropertyMap inputs, byte[] bytes)
    {
        var prefix = inputs.GetString("prefix") ?? string.Empty;
        var b64 = Base64Url.EncodeToString(bytes);
        var hex = Convert.ToHexStringLower(bytes);
        var dec = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture);
        var outputs = inputs
            .SetItem("b64Url", PropertyValue.Create(prefix + b64))
            .SetItem("hex", PropertyValue.Create(prefix + hex))
            .SetItem("dec", PropertyValue.Create(prefix + dec));
        return (b64, outputs);
    }

    private static (string Id, PropertyMap Outputs) CreateUuid(PropertyMap inputs, string uuid) =>
        (uuid, inputs.SetItem("result", PropertyValue.Create(uuid)));

    private static PropertyMap CheckId(PropertyMap inputs, ImmutableArray<CheckFailure>.Builder failures)
    {
        if (!inputs.ContainsKey("byteLength"))
        {
            failures.Add(new CheckFailure("byteLength", "is required: the number of random bytes, 1 to 1024."));
            return inputs;
        }

        var length = inputs["byteLength"];
        if (length.IsFullyKnown && (!length.TryGetNumber(out var n) || n < 1 || n > 1024 || n != Math.Floor(n)))
        {
            failures.Add(new CheckFailure("byteLength", "must be a whole number from 1 to 1024."));
        }

        return inputs;
    }

    private static int ByteLength(PropertyMap inputs) => inputs["byteLength"].TryGetNumber(out var n) ? (int)n : 8;

    private static void CheckKeepers(PropertyMap inputs, ImmutableArray<CheckFailure>.Builder failures)
    {
        if (inputs.GetValueOrDefault("keepers") is { } keepers && keepers.IsFullyKnown && keepers.Unwrapped.Kind is not (PropertyValueKind.Object or PropertyValueKind.Null))
        {
            failures.Add(new CheckFailure("keepers", "must be a map of strings."));
        }
    }
}

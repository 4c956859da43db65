using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Infra.Onboarding.Apis;

/// <summary>
/// Reads a JSON request body strictly: at most <see cref="MaxBytes"/> (else 413), well-formed, and with no field the
/// request type does not have (else 400 naming the field). Handlers read bodies here rather than through binding so
/// every one of these answers is a ProblemDetails naming the field.
/// </summary>
internal static class RequestBody
{
    /// <summary>The largest body accepted: 64 KB.</summary>
    public const int MaxBytes = 64 * 1024;

    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>The body and its bytes (for idempotency hashes), or the problem to answer.</summary>
    public static async Task<(T? Body, byte[] Raw, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, [], Problems.TooLarge(MaxBytes));
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBytes)
            {
                return (null, [], Problems.TooLarge(MaxBytes));
            }
        }

        var raw = buffer.WrittenSpan.ToArray();
        if (raw.Length == 0)
        {
            return (null, raw, Problems.Field("body", "is empty; send a JSON object."));
        }

        try
        {
            var body = JsonSerializer.Deserialize<T>(raw, s_options);
            return body is null ? (null, raw, Problems.Field("body", "must be a JSON object.")) : (body, raw, null);
        }
        catch (JsonException ex)
        {
            var field = FieldOf(ex.Path);
            return ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? (null, raw, Problems.Field(field, "is not a field of this request."))
                : (null, raw, Problems.Field(field, $"malformed JSON{(ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine}" : string.Empty)}."));
        }
    }

    /// <summary>A hash of the body, for idempotency keys.</summary>
    public static string Hash(byte[] raw) => Convert.ToHexString(SHA256.HashData(raw));

    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }
}

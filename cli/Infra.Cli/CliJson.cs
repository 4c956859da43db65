using System.Text.Encodings.Web;
using System.Text.Json;

namespace Infra.Cli;

/// <summary>JSON settings for the CLI's machine-readable output.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

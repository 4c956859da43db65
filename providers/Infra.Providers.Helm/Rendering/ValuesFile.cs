using Infra.Values;

namespace Infra.Providers.Helm.Rendering;

/// <summary>
/// A release's values in a temporary file for <c>helm --values</c> (JSON is YAML). Values may hold secrets in cluster
/// mode, so the file is readable by this user only and removed as soon as helm is done.
/// </summary>
internal sealed class ValuesFile : IAsyncDisposable
{
    private ValuesFile(string path) => Path = path;

    public string Path { get; }

    public static async Task<ValuesFile> WriteAsync(PropertyMap values, CancellationToken cancellationToken)
    {
        var file = new ValuesFile(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"infra-helm-values-{Guid.NewGuid():N}.json"));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(file.Path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(PropertyJson.ToJson(values.RevealAll(), PropertyJsonMode.Plaintext).AsMemory(), cancellationToken).ConfigureAwait(false);
        return file;
    }

    public ValueTask DisposeAsync()
    {
        File.Delete(Path);
        return ValueTask.CompletedTask;
    }
}

namespace Infra.Engine.Tests;

/// <summary>A state database path in a folder of its own under the temporary folder, deleted with the test.</summary>
internal sealed class ScratchStateFile : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "infra-conformance", Guid.NewGuid().ToString("N"));

    /// <summary>The database file (not created until a backend opens it).</summary>
    public string DatabasePath => Path.Combine(_folder, "state.db");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}

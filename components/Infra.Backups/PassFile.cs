using System.Text;

namespace Infra.Backups;

/// <summary>
/// A libpq password file (<c>PGPASSFILE</c>) holding one password for one tool run: mode <c>0600</c> in a <c>0700</c>
/// folder of its own, deleted when the run ends. A password on the command line is visible to every user of the
/// machine in <c>ps</c>, and one in the environment (<c>PGPASSWORD</c>) to anything that reads the tool's
/// <c>/proc/&lt;pid&gt;/environ</c> or inherits it; a file only its owner can read is neither.
/// </summary>
internal sealed class PassFile : IDisposable
{
    private readonly DirectoryInfo _folder;

    private PassFile(DirectoryInfo folder, string path)
    {
        _folder = folder;
        Path = path;
    }

    /// <summary>The file's path, for <c>PGPASSFILE</c>.</summary>
    public string Path { get; }

    /// <summary>Writes <paramref name="password"/> for <paramref name="user"/>, matching any host, port and database.</summary>
    public static PassFile Write(string user, string password)
    {
        // mkdtemp: 0700, a fresh name nobody else can have prepared.
        var folder = Directory.CreateTempSubdirectory("infra-pgpass-");
        var path = System.IO.Path.Combine(folder.FullName, "pgpass");
        var options = BackupFolder.Private(new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write });
        using (var writer = new StreamWriter(path, new UTF8Encoding(false), options))
        {
            writer.Write($"*:*:*:{Escape(user)}:{Escape(password)}\n");
        }

        return new PassFile(folder, path);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    // libpq reads '\' and ':' escaped with a backslash; a newline would end the entry, and no password we make has one.
    private static string Escape(string field) => field.Contains('\n', StringComparison.Ordinal)
        ? throw new InfraException("a PostgreSQL password with a line break cannot be passed to the PostgreSQL tools.")
        : field.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(":", "\\:", StringComparison.Ordinal);
}

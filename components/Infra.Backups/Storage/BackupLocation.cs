namespace Infra.Backups.Storage;

/// <summary>Parses <c>backup:location</c>: a folder (relative to the project) or <c>s3://bucket/prefix</c>.</summary>
public static class BackupLocation
{
    /// <summary>The scheme of S3 locations.</summary>
    public const string S3Scheme = "s3://";

    /// <summary>
    /// The store <paramref name="location"/> names, or the problem with it (one sentence without the key, which the
    /// caller names).
    /// </summary>
    /// <param name="location">The configured location.</param>
    /// <param name="projectDirectory">What a relative folder is relative to.</param>
    /// <param name="s3">The S3 connection for <c>s3://</c> locations.</param>
    public static (IBackupStore? Store, string? Problem) Open(string location, string projectDirectory, S3Connection s3)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(s3);
        if (location.StartsWith(S3Scheme, StringComparison.Ordinal))
        {
            var rest = location[S3Scheme.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var (bucket, prefix) = slash < 0 ? (rest, string.Empty) : (rest[..slash], rest[(slash + 1)..].Trim('/'));
            return S3BackupStore.BucketProblem(bucket) is { } problem
                ? (null, $"'{location}': {problem}")
                : (new S3BackupStore(s3, bucket, prefix), null);
        }

        return location.Contains("://", StringComparison.Ordinal)
            ? (null, $"'{location}' is neither a folder nor an s3://bucket/prefix URL.")
            : (new FolderBackupStore(Path.GetFullPath(Path.Combine(projectDirectory, location))), null);
    }
}

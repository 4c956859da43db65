using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Infra.Backups.Storage;

/// <summary>How to reach S3: an endpoint for S3-compatible servers (path-style addressing), and the region.</summary>
/// <param name="Endpoint">The service URL, e.g. <c>http://127.0.0.1:4568</c>; <see langword="null"/> for AWS itself.</param>
/// <param name="Region">The signing region.</param>
/// <remarks>Credentials come from the SDK's usual chain (<c>AWS_ACCESS_KEY_ID</c> and <c>AWS_SECRET_ACCESS_KEY</c>, a profile, a role), never from stack config.</remarks>
public sealed record S3Connection(string? Endpoint, string Region = "us-east-1");

/// <summary>
/// Backups in S3 (AWSSDK.S3): <c>s3://bucket/prefix/&lt;tenant&gt;/&lt;tenant&gt;-&lt;time&gt;.dump</c> and its manifest,
/// the same names as in a folder. A backup is written locally first, then uploaded dump first and manifest last, so
/// a manifest in the bucket always has its dump.
/// </summary>
public sealed class S3BackupStore : IBackupStore
{
    private readonly S3Connection _connection;
    private readonly string _bucket;
    private readonly string _prefix;

    /// <summary>Creates a store for <paramref name="bucket"/> under <paramref name="prefix"/> (may be empty).</summary>
    public S3BackupStore(S3Connection connection, string bucket, string prefix)
    {
        _connection = connection;
        _bucket = bucket;
        _prefix = prefix.Trim('/');
        StagingRoot = Path.Combine(Path.GetTempPath(), "infra-backup-staging", Guid.NewGuid().ToString("N"));
    }

    /// <inheritdoc/>
    public string Display => $"{BackupLocation.S3Scheme}{_bucket}/{_prefix}".TrimEnd('/');

    /// <inheritdoc/>
    public string StagingRoot { get; }

    /// <summary>The problem with a bucket name, or <see langword="null"/>: 3 to 63 lower-case letters, digits, '.' and '-'.</summary>
    public static string? BucketProblem(string bucket) =>
        bucket.Length is >= 3 and <= 63 && bucket.All(static c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-')
            ? null
            : "the bucket name must be 3 to 63 lower-case letters, digits, '.' and '-'.";

    /// <inheritdoc/>
    public async Task<string> PublishAsync(string tenant, string stagedDumpPath, CancellationToken cancellationToken)
    {
        var manifestPath = BackupManifest.PathFor(stagedDumpPath);
        using var client = CreateClient();
        try
        {
            await UploadAsync(client, stagedDumpPath, Key(tenant, Path.GetFileName(stagedDumpPath)), cancellationToken).ConfigureAwait(false);
            await UploadAsync(client, manifestPath, Key(tenant, Path.GetFileName(manifestPath)), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(stagedDumpPath);
            File.Delete(manifestPath);
        }

        return Location(tenant, Path.GetFileName(stagedDumpPath));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredBackup>> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        var objects = new Dictionary<string, long>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = Key(tenant, string.Empty) };
        ListObjectsV2Response response;
        do
        {
            response = await CallAsync(() => client.ListObjectsV2Async(request, cancellationToken)).ConfigureAwait(false);
            foreach (var item in response.S3Objects ?? [])
            {
                objects[item.Key[request.Prefix.Length..]] = item.Size ?? 0;
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);

        var staging = Path.Combine(StagingRoot, "list", tenant);
        Directory.CreateDirectory(staging);
        var backups = new List<StoredBackup>();
        try
        {
            foreach (var name in objects.Keys.Where(static k => k.EndsWith(".manifest.json", StringComparison.Ordinal) && !k.Contains('/', StringComparison.Ordinal)))
            {
                var local = Path.Combine(staging, name);
                await DownloadAsync(client, Key(tenant, name), local, cancellationToken).ConfigureAwait(false);
                try
                {
                    var manifest = await BackupManifest.ReadAsync(local, cancellationToken).ConfigureAwait(false);
                    var dump = Path.GetFileName(manifest.DumpFile);
                    backups.Add(new StoredBackup(tenant, name, Location(tenant, dump), manifest,
                        BackupProblems.Of(manifest, objects.TryGetValue(dump, out var size) ? size : null)));
                }
                catch (InfraException ex)
                {
                    backups.Add(new StoredBackup(tenant, name, Location(tenant, name), null, ex.Message));
                }
            }
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        return BackupProblems.NewestFirst(backups);
    }

    /// <inheritdoc/>
    public async Task<string> FetchAsync(StoredBackup backup, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backup);
        Directory.CreateDirectory(folder);
        using var client = CreateClient();
        var dump = Path.Combine(folder, Path.GetFileName(backup.DumpName));
        await DownloadAsync(client, Key(backup.Tenant, backup.ManifestName), BackupManifest.PathFor(dump), cancellationToken).ConfigureAwait(false);
        await DownloadAsync(client, Key(backup.Tenant, Path.GetFileName(backup.DumpName)), dump, cancellationToken).ConfigureAwait(false);
        return dump;
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(StoredBackup backup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backup);
        using var client = CreateClient();
        // The manifest goes first: a dump without its manifest is never offered for restore, the reverse would be.
        await CallAsync(() => client.DeleteObjectAsync(_bucket, Key(backup.Tenant, backup.ManifestName), cancellationToken)).ConfigureAwait(false);
        await CallAsync(() => client.DeleteObjectAsync(_bucket, Key(backup.Tenant, Path.GetFileName(backup.DumpName)), cancellationToken)).ConfigureAwait(false);
    }

    private string Key(string tenant, string name) => (_prefix.Length == 0 ? string.Empty : _prefix + "/") + tenant + "/" + name;

    private string Location(string tenant, string name) => $"{BackupLocation.S3Scheme}{_bucket}/{Key(tenant, name)}";

    private AmazonS3Client CreateClient()
    {
        var config = new AmazonS3Config
        {
            AuthenticationRegion = _connection.Region,
            // S3-compatible servers (and s3rver here) neither take the SDK's default trailing checksums nor virtual hosts.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (_connection.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(_connection.Region);
        }

        return new AmazonS3Client(config);
    }

    private async Task UploadAsync(AmazonS3Client client, string path, string key, CancellationToken cancellationToken) =>
        await CallAsync(() => client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, FilePath = path, UseChunkEncoding = false }, cancellationToken))
            .ConfigureAwait(false);

    private async Task DownloadAsync(AmazonS3Client client, string key, string path, CancellationToken cancellationToken)
    {
        using var response = await CallAsync(() => client.GetObjectAsync(_bucket, key, cancellationToken)).ConfigureAwait(false);
        await response.WriteResponseStreamToFileAsync(path, append: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>S3's errors as one line naming the bucket: a missing bucket, refused credentials, an unreachable endpoint.</summary>
    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode == "NoSuchBucket")
        {
            throw new InfraException($"backup location {Display}: the bucket '{_bucket}' does not exist.", ex);
        }
        catch (AmazonServiceException ex)
        {
            throw new InfraException($"backup location {Display}: S3 refused the request ({ex.ErrorCode ?? ex.StatusCode.ToString()}): {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or AmazonClientException)
        {
            throw new InfraException($"backup location {Display}: cannot reach S3 at {_connection.Endpoint ?? "AWS"}: {ex.Message}", ex);
        }
    }
}

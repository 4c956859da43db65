using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Infra.Providers.Kubernetes.Secrets;

/// <summary>
/// The Sealed Secrets controller's certificate, read once per process: its RSA public key in the forms sealing uses,
/// or what is wrong with it. Reading a certificate and preparing its key for OpenSSL costs about 2 ms of CPU, and
/// every tenant's up read the same one several times (its settings for the preview and for the update, and once per
/// sealed Secret), where the sealing itself costs about 0.1 ms a value. The text is the key, so a changed
/// certificate is read afresh.
/// </summary>
internal sealed class SealingCertificate
{
    // A process seals for one controller, or a few: more distinct certificates than this start the cache over.
    private const int Capacity = 16;

    private static readonly ConcurrentDictionary<string, SealingCertificate> s_read = new(StringComparer.Ordinal);

    private readonly Lazy<OpenSslOaep.PublicKey?> _openSslKey;

    private SealingCertificate(RSAParameters? publicKey, byte[]? subjectPublicKeyInfo, string? problem)
    {
        PublicKey = publicKey;
        SubjectPublicKeyInfo = subjectPublicKeyInfo;
        Problem = problem;
        _openSslKey = new(() => subjectPublicKeyInfo is null ? null : OpenSslOaep.TryImport(subjectPublicKeyInfo));
    }

    /// <summary>The RSA public key, or <see langword="null"/> when <see cref="Problem"/> says why not.</summary>
    public RSAParameters? PublicKey { get; }

    /// <summary>The same key as DER-encoded SubjectPublicKeyInfo.</summary>
    public byte[]? SubjectPublicKeyInfo { get; }

    /// <summary>What is wrong with the certificate, in the words of config <c>kubernetes:sealedSecretsCert</c>, or <see langword="null"/>.</summary>
    public string? Problem { get; }

    /// <summary>The key read by OpenSSL 3, or <see langword="null"/> where OpenSSL 3 is not there.</summary>
    public OpenSslOaep.PublicKey? OpenSslKey => _openSslKey.Value;

    /// <summary>The certificate in <paramref name="certificatePem"/>, read once per process.</summary>
    public static SealingCertificate Of(string certificatePem)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        if (s_read.TryGetValue(certificatePem, out var known))
        {
            return known;
        }

        var read = Read(certificatePem);
        if (s_read.Count >= Capacity)
        {
            // Keys in use stay valid: a sealer holds its certificate, and OpenSSL's key is freed by its last user.
            s_read.Clear();
        }

        return s_read.GetOrAdd(certificatePem, read);
    }

    private static SealingCertificate Read(string certificatePem)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem);
            using var rsa = certificate.GetRSAPublicKey();
            return rsa is null
                ? new SealingCertificate(null, null, "is not an RSA certificate.")
                : new SealingCertificate(rsa.ExportParameters(includePrivateParameters: false), rsa.ExportSubjectPublicKeyInfo(), null);
        }
        catch (CryptographicException ex)
        {
            return new SealingCertificate(null, null, $"is not a valid PEM certificate: {ex.Message.TrimEnd('.')}.");
        }
    }
}

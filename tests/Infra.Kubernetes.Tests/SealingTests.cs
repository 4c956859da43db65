using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Infra.Kubernetes.Tests.Support;
using Infra.Providers.Kubernetes.Secrets;

namespace Infra.Kubernetes.Tests;

public sealed class SealingTests : IDisposable
{
    private readonly SealedSecretsKeys _keys = new();

    public void Dispose() => _keys.Dispose();

    [Fact]
    public void A_sealed_value_opens_with_the_controller_key_under_its_own_namespace_and_name()
    {
        var sealer = new SealedSecretSealer(_keys.CertificatePem);

        Assert.Equal("s3cret value", _keys.Open(sealer.Seal("tenant-acme", "tenant-db", "s3cret value"), "tenant-acme", "tenant-db"));
        Assert.ThrowsAny<Exception>(() => _keys.Open(sealer.Seal("tenant-acme", "tenant-db", "s3cret value"), "tenant-globex", "tenant-db"));
    }

    [Fact]
    public void OpenSSL_and_the_managed_fallback_both_encrypt_what_the_controller_opens()
    {
        using var certificate = X509Certificate2.CreateFromPem(_keys.CertificatePem);
        using var rsa = certificate.GetRSAPublicKey()!;
        var sessionKey = RandomNumberGenerator.GetBytes(32);
        var label = SealedSecretSealer.StrictLabel("tenant-acme", "tenant-db");

        var managed = RsaOaepSha256.Encrypt(rsa.ExportParameters(includePrivateParameters: false), sessionKey, label);
        var openSsl = OpenSslOaep.TryEncrypt(rsa.ExportSubjectPublicKeyInfo(), sessionKey, label);

        Assert.Equal(sessionKey, _keys.OaepDecrypt(managed, label));
        if (OperatingSystem.IsLinux())
        {
            Assert.NotNull(openSsl);
            Assert.Equal(sessionKey, _keys.OaepDecrypt(openSsl, label));
            Assert.NotEqual(managed, openSsl); // each encryption draws its own OAEP seed
        }
    }
}

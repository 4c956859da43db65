using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Infra.Kubernetes.Tests.Support;

/// <summary>
/// A stand-in for the Sealed Secrets controller's key pair: a self-signed RSA certificate to give the provider, and
/// the private key to open what it sealed the way the controller does (RSA-OAEP-SHA256 with the namespace/name label,
/// then AES-256-GCM with a zero nonce).
/// </summary>
public sealed class SealedSecretsKeys : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    public SealedSecretsKeys()
    {
        var request = new CertificateRequest("CN=sealed-secret, O=sealed-secret", _rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        CertificatePem = certificate.ExportCertificatePem();
    }

    public string CertificatePem { get; }

    public string Open(string sealedBase64, string ns, string name)
    {
        var sealedValue = Convert.FromBase64String(sealedBase64);
        var keyLength = BinaryPrimitives.ReadUInt16BigEndian(sealedValue);
        var sessionKey = OaepDecrypt(sealedValue.AsSpan(2, keyLength).ToArray(), Encoding.UTF8.GetBytes($"{ns}/{name}"));
        var body = sealedValue.AsSpan(2 + keyLength);
        var plaintext = new byte[body.Length - 16];
        using var aes = new AesGcm(sessionKey, 16);
        aes.Decrypt(new byte[12], body[..^16], body[^16..], plaintext);
        return Encoding.UTF8.GetString(plaintext);
    }

    public void Dispose() => _rsa.Dispose();

    /// <summary>RFC 8017 7.1.2, written independently of the provider's encoders so the test checks the format, not itself.</summary>
    public byte[] OaepDecrypt(byte[] ciphertext, byte[] label)
    {
        var key = _rsa.ExportParameters(includePrivateParameters: true);
        var n = new BigInteger(key.Modulus, isUnsigned: true, isBigEndian: true);
        var d = new BigInteger(key.D, isUnsigned: true, isBigEndian: true);
        var m = BigInteger.ModPow(new BigInteger(ciphertext, isUnsigned: true, isBigEndian: true), d, n).ToByteArray(isUnsigned: true, isBigEndian: true);
        var k = key.Modulus!.Length;
        var encoded = new byte[k];
        m.CopyTo(encoded, k - m.Length);
        Assert.Equal(0, encoded[0]);
        var maskedSeed = encoded.AsSpan(1, 32).ToArray();
        var maskedDb = encoded.AsSpan(33).ToArray();
        var seed = Xor(maskedSeed, Mgf1(maskedDb, 32));
        var db = Xor(maskedDb, Mgf1(seed, maskedDb.Length));
        Assert.Equal(SHA256.HashData(label), db[..32]);
        var one = Array.IndexOf(db, (byte)1, 32);
        Assert.True(db.AsSpan(32, one - 32).IndexOfAnyExcept((byte)0) < 0, "OAEP padding must be zeros up to the 0x01 marker");
        return db[(one + 1)..];
    }

    private static byte[] Mgf1(byte[] seed, int length)
    {
        using var stream = new MemoryStream();
        for (uint counter = 0; stream.Length < length; counter++)
        {
            var counterBytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(counterBytes, counter);
            stream.Write(SHA256.HashData([.. seed, .. counterBytes]));
        }

        return stream.ToArray()[..length];
    }

    private static byte[] Xor(byte[] a, byte[] b) => a.Zip(b, static (x, y) => (byte)(x ^ y)).ToArray();
}

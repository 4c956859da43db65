using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Infra.Providers.Kubernetes.Secrets;

/// <summary>
/// Encrypts secret values for the Bitnami Sealed Secrets controller, in kubeseal's format, so only the controller in
/// the cluster (holding the private key) can turn them back into a Secret:
/// <c>uint16 length of the RSA part || RSA-OAEP-SHA256(session key, label) || AES-256-GCM(value, zero nonce)</c>, base64.
/// The label binds each value to its namespace and name (the controller's default <c>strict</c> scope), so a copied
/// ciphertext does not decrypt under another name.
/// </summary>
internal sealed class SealedSecretSealer
{
    private const int SessionKeyLength = 32;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    private readonly SealingCertificate _certificate;

    /// <summary>Reads the controller's certificate (once per process, see <see cref="SealingCertificate"/>).</summary>
    /// <exception cref="InfraException">The PEM text is not an RSA certificate.</exception>
    public SealedSecretSealer(string certificatePem)
    {
        _certificate = SealingCertificate.Of(certificatePem);
        if (_certificate.Problem is { } problem)
        {
            throw new InfraException($"config 'kubernetes:sealedSecretsCert' {problem}");
        }
    }

    /// <summary>What is wrong with the controller's certificate (PEM text), or <see langword="null"/>.</summary>
    public static string? CertificateProblem(string certificatePem) => SealingCertificate.Of(certificatePem).Problem;

    /// <summary>The strict-scope label of a value: <c>namespace/name</c>.</summary>
    public static byte[] StrictLabel(string ns, string name) => Encoding.UTF8.GetBytes($"{ns}/{name}");

    /// <summary>Seals one value of the Secret <paramref name="name"/> in <paramref name="ns"/>.</summary>
    public string Seal(string ns, string name, string value)
    {
        var sessionKey = RandomNumberGenerator.GetBytes(SessionKeyLength);
        var label = StrictLabel(ns, name);
        var encryptedKey = _certificate.OpenSslKey is { } openSslKey
            ? OpenSslOaep.Encrypt(openSslKey, sessionKey, label)
            : RsaOaepSha256.Encrypt(_certificate.PublicKey!.Value, sessionKey, label);
        var plaintext = Encoding.UTF8.GetBytes(value);
        var sealedValue = new byte[2 + encryptedKey.Length + plaintext.Length + TagLength];
        BinaryPrimitives.WriteUInt16BigEndian(sealedValue, checked((ushort)encryptedKey.Length));
        encryptedKey.CopyTo(sealedValue, 2);
        var ciphertext = sealedValue.AsSpan(2 + encryptedKey.Length, plaintext.Length);
        var tag = sealedValue.AsSpan(2 + encryptedKey.Length + plaintext.Length, TagLength);
        // A session key is used once, so the all-zero nonce (what kubeseal uses) is safe.
        using var aes = new AesGcm(sessionKey, TagLength);
        aes.Encrypt(new byte[NonceLength], plaintext, ciphertext, tag);
        CryptographicOperations.ZeroMemory(sessionKey);
        return Convert.ToBase64String(sealedValue);
    }
}

/// <summary>
/// RSA-OAEP with SHA-256 and a label (RFC 8017, 7.1.1). .NET's <see cref="RSA"/> has no OAEP label parameter, and the
/// Sealed Secrets scopes need one, so the encoding is done here and the RSA step with the public key only. The
/// fallback where OpenSSL 3 is not there (<see cref="OpenSslOaep"/>).
/// </summary>
internal static class RsaOaepSha256
{
    private const int HashLength = 32;

    public static byte[] Encrypt(RSAParameters publicKey, byte[] message, byte[] label)
    {
        var modulus = publicKey.Modulus!;
        var k = modulus.Length;
        if (message.Length > k - (2 * HashLength) - 2)
        {
            throw new CryptographicException("The message is too long for the RSA key.");
        }

        // EM = 0x00 || maskedSeed || maskedDB, DB = lHash || PS (zeros) || 0x01 || M
        var db = new byte[k - HashLength - 1];
        SHA256.HashData(label).CopyTo(db, 0);
        db[db.Length - message.Length - 1] = 0x01;
        message.CopyTo(db, db.Length - message.Length);
        var seed = RandomNumberGenerator.GetBytes(HashLength);
        Xor(db, Mgf1(seed, db.Length));
        Xor(seed, Mgf1(db, HashLength));
        var encoded = new byte[k];
        seed.CopyTo(encoded, 1);
        db.CopyTo(encoded, 1 + HashLength);

        var m = new BigInteger(encoded, isUnsigned: true, isBigEndian: true);
        var n = new BigInteger(modulus, isUnsigned: true, isBigEndian: true);
        var e = new BigInteger(publicKey.Exponent!, isUnsigned: true, isBigEndian: true);
        var c = BigInteger.ModPow(m, e, n).ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = new byte[k];
        c.CopyTo(result, k - c.Length);
        return result;
    }

    internal static byte[] Mgf1(byte[] seed, int length)
    {
        var output = new byte[length];
        var block = new byte[seed.Length + 4];
        seed.CopyTo(block, 0);
        for (uint counter = 0, offset = 0; offset < length; counter++, offset += HashLength)
        {
            BinaryPrimitives.WriteUInt32BigEndian(block.AsSpan(seed.Length), counter);
            var hash = SHA256.HashData(block);
            hash.AsSpan(0, (int)Math.Min(HashLength, length - offset)).CopyTo(output.AsSpan((int)offset));
        }

        return output;
    }

    private static void Xor(byte[] target, byte[] mask)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] ^= mask[i];
        }
    }
}

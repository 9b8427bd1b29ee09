using System.Security.Cryptography;

namespace Ndhm.Fidelius.Tests;

public sealed class RejectionTests
{
    private static readonly FideliusNonce SenderNonce = FideliusNonce.Parse(PublishedVectorTests.SenderNonce);
    private static readonly FideliusNonce RequesterNonce = FideliusNonce.Parse(PublishedVectorTests.RequesterNonce);
    private static readonly FideliusPrivateKey RequesterKey = FideliusPrivateKey.Parse(PublishedVectorTests.RequesterPrivateKey);
    private static readonly FideliusPublicKey SenderPublicKey = FideliusPublicKey.Parse(PublishedVectorTests.SenderPublicKey);

    private static byte[] Ciphertext => Convert.FromBase64String(PublishedVectorTests.EncryptedData);

    private static string DecryptFailureCode(byte[] ciphertext, FideliusNonce? requesterNonce = null,
        FideliusNonce? senderNonce = null, FideliusPrivateKey? requesterKey = null, FideliusPublicKey? senderKey = null)
    {
        var e = Assert.Throws<FideliusException>(() => FideliusCipher.Decrypt(ciphertext, requesterNonce ?? RequesterNonce,
            senderNonce ?? SenderNonce, requesterKey ?? RequesterKey, senderKey ?? SenderPublicKey));
        return e.Code;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(63)] // first byte of the tag (63-byte plaintext)
    [InlineData(78)] // last byte of the tag
    public void GivenOneFlippedBit_WhenDecrypting_ThenDecryptionFailsWithoutPlaintext(int index)
    {
        var tampered = Ciphertext;
        tampered[index] ^= 0x01;

        Assert.Equal(FideliusErrorCodes.DecryptionFailed, DecryptFailureCode(tampered));
    }

    [Fact]
    public void GivenATruncatedTag_WhenDecrypting_ThenItFails()
    {
        Assert.Equal(FideliusErrorCodes.DecryptionFailed, DecryptFailureCode(Ciphertext[..^1]));
        Assert.Equal(FideliusErrorCodes.InvalidCiphertext, DecryptFailureCode(new byte[15]));
    }

    [Fact]
    public void GivenTheWrongKeyOrNonce_WhenDecrypting_ThenDecryptionFails()
    {
        Assert.Equal(FideliusErrorCodes.DecryptionFailed,
            DecryptFailureCode(Ciphertext, requesterKey: FideliusPrivateKey.Generate()));
        Assert.Equal(FideliusErrorCodes.DecryptionFailed,
            DecryptFailureCode(Ciphertext, senderKey: FideliusPrivateKey.Generate().PublicKey));
        Assert.Equal(FideliusErrorCodes.DecryptionFailed,
            DecryptFailureCode(Ciphertext, requesterNonce: FideliusNonce.Generate()));
        Assert.Equal(FideliusErrorCodes.DecryptionFailed,
            DecryptFailureCode(Ciphertext, senderNonce: FideliusNonce.Generate()));
    }

    [Fact]
    public void GivenBase64ThatIsNot_WhenDecrypting_ThenTheCiphertextIsRefused()
    {
        var e = Assert.Throws<FideliusException>(() => FideliusCipher.DecryptToString("not*base64", RequesterNonce,
            SenderNonce, RequesterKey, SenderPublicKey));
        Assert.Equal(FideliusErrorCodes.InvalidCiphertext, e.Code);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(0)]
    public void GivenANonceOfTheWrongLength_WhenParsed_ThenItIsRefused(int length)
    {
        var e = Assert.Throws<FideliusException>(() => FideliusNonce.Parse(Convert.ToBase64String(new byte[length])));
        Assert.Equal(FideliusErrorCodes.InvalidNonce, e.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("%%%")]
    [InlineData("AAAA")] // 3 bytes: neither a point nor DER
    [InlineData("MAA=")] // empty DER SEQUENCE
    public void GivenMalformedPublicKeys_WhenParsed_ThenTheyAreRefusedAsInvalidKeys(string base64)
    {
        var e = Assert.Throws<FideliusException>(() => FideliusPublicKey.Parse(base64));
        Assert.Equal(FideliusErrorCodes.InvalidKey, e.Code);
    }

    [Fact]
    public void GivenAPointOffTheCurve_WhenParsed_ThenItIsRefused()
    {
        var raw = Convert.FromBase64String(PublishedVectorTests.SenderPublicKey);
        raw[^1] ^= 0x01;
        var allZero = new byte[65];
        allZero[0] = 0x04;
        var compressed = new byte[33];
        compressed[0] = 0x02;

        foreach (var bad in new[] { raw, allZero, compressed })
        {
            var e = Assert.Throws<FideliusException>(() => FideliusPublicKey.FromBytes(bad));
            Assert.Equal(FideliusErrorCodes.InvalidKey, e.Code);
        }
    }

    [Fact]
    public void GivenAnX509KeyWhosePointIsOffTheCurve_WhenParsed_ThenItIsRefused()
    {
        var der = Convert.FromBase64String(PublishedVectorTests.SenderX509PublicKey);
        der[^1] ^= 0x01;

        var e = Assert.Throws<FideliusException>(() => FideliusPublicKey.FromBytes(der));
        Assert.Equal(FideliusErrorCodes.InvalidKey, e.Code);
    }

    [Fact]
    public void GivenAnX509KeyOnAnotherCurve_WhenParsed_ThenItIsRefused()
    {
        using var p256 = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var explicitP256 = ECDiffieHellman.Create(p256.ExportExplicitParameters(false));

        foreach (var der in new[] { p256.ExportSubjectPublicKeyInfo(), explicitP256.ExportSubjectPublicKeyInfo() })
        {
            var e = Assert.Throws<FideliusException>(() => FideliusPublicKey.FromBytes(der));
            Assert.Equal(FideliusErrorCodes.InvalidKey, e.Code);
        }
    }

    [Fact]
    public void GivenPrivateKeysOutsideTheGroupOrder_WhenParsed_ThenTheyAreRefused()
    {
        var order = Convert.FromHexString("1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed");
        byte[][] bad = [[0x00], [0xFF], order, [.. order[..^1], 0xFF], new byte[34]];

        foreach (var key in bad)
        {
            var e = Assert.Throws<FideliusException>(() => FideliusPrivateKey.FromBytes(key));
            Assert.Equal(FideliusErrorCodes.InvalidKey, e.Code);
        }
    }

    [Fact]
    public void GivenAShortPrivateKey_WhenWrittenBack_ThenItKeepsJavasMinimalForm()
    {
        // Java's BigInteger.toByteArray() of a small scalar is shorter than 32 bytes; it must read and write back alike.
        var key = FideliusPrivateKey.FromBytes([0x01, 0x02, 0x03]);

        Assert.Equal([0x01, 0x02, 0x03], key.ToByteArray());
        Assert.Equal(key.PublicKey, FideliusPrivateKey.FromBytes([0x00, 0x00, 0x01, 0x02, 0x03]).PublicKey);
    }

    [Fact]
    public void GivenATooSmallDestination_WhenEncrypting_ThenItIsRefused()
    {
        var sender = FideliusPrivateKey.Generate();
        var e = Assert.Throws<FideliusException>(() => FideliusCipher.Encrypt(new byte[10], new byte[25], SenderNonce,
            RequesterNonce, sender, RequesterKey.PublicKey));
        Assert.Equal(FideliusErrorCodes.BufferTooSmall, e.Code);
    }

    [Fact]
    public void GivenAPrivateKey_WhenPrinted_ThenItIsRedacted()
    {
        Assert.DoesNotContain(PublishedVectorTests.RequesterPrivateKey, RequesterKey.ToString());
    }
}

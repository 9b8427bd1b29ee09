using System.Security.Cryptography;

namespace Ndhm.Fidelius.Tests;

public sealed class KeyAgreementTests
{
    [Fact]
    public void GivenRandomKeyPairs_WhenAgreeing_ThenTheFastPathMatchesBouncyCastlesGenericEcdh()
    {
        // The generic path is BC's own ECDHBasicAgreement on the Java parameters: what the Java tool computes.
        for (var i = 0; i < 6; i++)
        {
            var own = FideliusPrivateKey.Generate();
            var peer = FideliusPrivateKey.Generate().PublicKey;
            var fast = new byte[32];
            var reference = new byte[32];

            FideliusCurve.Agree(own.D, peer.X, peer.Y, fast);
            FideliusCurve.AgreeGeneric(own.D, peer.X, peer.Y, reference);

            Assert.Equal(Convert.ToHexString(reference), Convert.ToHexString(fast));
        }
    }

    [Fact]
    public void GivenGeneratedKeys_WhenComparedWithGenericMultiplication_ThenThePublicKeyIsDTimesG()
    {
        for (var i = 0; i < 4; i++)
        {
            var key = FideliusPrivateKey.Generate();
            var (x, y) = FideliusCurve.MultiplyBaseGeneric(key.D);

            Assert.Equal(x, key.PublicKey.X);
            Assert.Equal(y, key.PublicKey.Y);
        }
    }

    [Fact]
    public void GivenParsedKeys_WhenDerivingThePublicKey_ThenTheLadderMatchesGenericMultiplication()
    {
        // Parsed scalars are arbitrary in [1, n-1], so both signs of m = d/8 mod n occur across a few keys.
        var negatedSeen = false;
        var plainSeen = false;
        for (var i = 0; i < 8 || !(negatedSeen && plainSeen); i++)
        {
            Assert.True(i < 64, "both branches should show up within 64 random keys");
            var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            bytes[0] &= 0x0F;
            var key = FideliusPrivateKey.FromBytes([0x00, .. bytes]);
            var m = System.Numerics.BigInteger.Remainder(key.D * System.Numerics.BigInteger.ModPow(8, FideliusCurve.N - 2, FideliusCurve.N), FideliusCurve.N);
            var inRange = m >= System.Numerics.BigInteger.One << 251 && m < System.Numerics.BigInteger.One << 252;
            (inRange ? ref plainSeen : ref negatedSeen) = true;

            Assert.Equal(FideliusCurve.MultiplyBaseGeneric(key.D), FideliusCurve.MultiplyBase(key.D));
        }
    }

    [Fact]
    public void GivenBothSides_WhenAgreeing_ThenEachGetsTheSameSecret()
    {
        var a = FideliusPrivateKey.Generate();
        var b = FideliusPrivateKey.Generate();
        var ab = new byte[32];
        var ba = new byte[32];

        FideliusCurve.Agree(a.D, b.PublicKey.X, b.PublicKey.Y, ab);
        FideliusCurve.Agree(b.D, a.PublicKey.X, a.PublicKey.Y, ba);

        Assert.Equal(ab, ba);
    }

    [Fact]
    public void GivenASecretWithALeadingZeroByte_WhenDerivingTheKey_ThenAll32BytesAreUsed()
    {
        // Search (bounded) for a sender key whose shared secret with the published requester starts with 0x00: one
        // pair in 256 does. Stripping that byte (as some implementations do) would derive another AES key.
        var requester = FideliusPrivateKey.Parse(PublishedVectorTests.RequesterPrivateKey);
        var secret = new byte[32];
        FideliusPrivateKey? sender = null;
        for (var attempt = 0; attempt < 20_000 && sender is null; attempt++)
        {
            var candidate = FideliusPrivateKey.Generate();
            FideliusCurve.Agree(candidate.D, requester.PublicKey.X, requester.PublicKey.Y, secret);
            if (secret[0] == 0)
            {
                sender = candidate;
            }
        }

        Assert.NotNull(sender);
        var reference = new byte[32];
        FideliusCurve.AgreeGeneric(sender.D, requester.PublicKey.X, requester.PublicKey.Y, reference);
        Assert.Equal(reference, secret);

        var senderNonce = FideliusNonce.Generate();
        var requesterNonce = FideliusNonce.Generate();
        var plaintext = "a leading zero is part of the secret"u8.ToArray();
        var encrypted = FideliusCipher.Encrypt(plaintext, senderNonce, requesterNonce, sender, requester.PublicKey);

        Assert.Equal(ExpectedCiphertext(secret, senderNonce, requesterNonce, plaintext), encrypted);
        Assert.NotEqual(ExpectedCiphertext(secret[1..], senderNonce, requesterNonce, plaintext), encrypted);
        Assert.Equal(plaintext, FideliusCipher.Decrypt(encrypted, requesterNonce, senderNonce, requester, sender.PublicKey));
    }

    /// <summary>The Fidelius derivation written out independently of the library.</summary>
    private static byte[] ExpectedCiphertext(byte[] secret, FideliusNonce a, FideliusNonce b, byte[] plaintext)
    {
        var xor = new byte[32];
        for (var i = 0; i < 32; i++)
        {
            xor[i] = (byte)(a.Span[i] ^ b.Span[i]);
        }

        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, xor[..20]);
        using var aes = new AesGcm(key, 16);
        var result = new byte[plaintext.Length + 16];
        aes.Encrypt(xor[20..], plaintext, result.AsSpan(0, plaintext.Length), result.AsSpan(plaintext.Length));
        return result;
    }
}

using FsCheck;
using FsCheck.Xunit;

namespace Ndhm.Fidelius.Tests;

public sealed class RoundTripProperties
{
    private const int MaxSize = 100 * 1024;

    [Property(MaxTest = 40)]
    public bool GivenAnyPayloadUpTo100KB_WhenEncryptedAndDecrypted_ThenTheSameBytesComeBack(NonNegativeInt size, int seed)
    {
        var plaintext = new byte[size.Get % (MaxSize + 1)];
        new Random(seed).NextBytes(plaintext);
        var requester = FideliusKeyMaterial.Generate(TimeProvider.System);
        var sender = FideliusKeyMaterial.Generate(TimeProvider.System);

        var encrypted = FideliusCipher.EncryptToBase64(plaintext, sender.Nonce, requester.Nonce, sender.PrivateKey,
            FideliusPublicKey.Parse(requester.PublicKey.ToX509Base64()));
        var decrypted = FideliusCipher.DecryptFromBase64(encrypted, requester.Nonce, sender.Nonce, requester.PrivateKey,
            sender.PublicKey);

        return decrypted.AsSpan().SequenceEqual(plaintext)
            && encrypted.Length == FideliusCipher.GetBase64Length(plaintext.Length);
    }

    [Property(MaxTest = 25)]
    public bool GivenCallerBuffers_WhenEncryptingInPlaceAndDecrypting_ThenTheSpanOverloadsAgreeWithTheArrayOnes(
        NonNegativeInt size, int seed)
    {
        var plaintext = new byte[size.Get % (MaxSize + 1)];
        new Random(seed).NextBytes(plaintext);
        var requester = FideliusKeyMaterial.Generate(TimeProvider.System);
        var sender = FideliusKeyMaterial.Generate(TimeProvider.System);

        var buffer = new byte[FideliusCipher.GetCiphertextLength(plaintext.Length)];
        plaintext.CopyTo(buffer, 0);
        var written = FideliusCipher.Encrypt(buffer.AsSpan(0, plaintext.Length), buffer, sender.Nonce, requester.Nonce,
            sender.PrivateKey, requester.PublicKey);
        var expected = FideliusCipher.Encrypt(plaintext, sender.Nonce, requester.Nonce, sender.PrivateKey,
            requester.PublicKey);

        var chars = new char[FideliusCipher.GetBase64Length(plaintext.Length)];
        var charsWritten = FideliusCipher.EncryptToBase64(plaintext, chars, sender.Nonce, requester.Nonce,
            sender.PrivateKey, requester.PublicKey);
        var decrypted = new byte[FideliusCipher.GetMaxPlaintextLength(charsWritten)];
        var length = FideliusCipher.DecryptFromBase64(chars.AsSpan(0, charsWritten), decrypted, requester.Nonce,
            sender.Nonce, requester.PrivateKey, sender.PublicKey);

        return written == buffer.Length
            && buffer.AsSpan().SequenceEqual(expected)
            && new string(chars, 0, charsWritten) == Convert.ToBase64String(expected)
            && decrypted.AsSpan(0, length).SequenceEqual(plaintext);
    }

    [Property(MaxTest = 30)]
    public bool GivenAnyText_WhenEncryptedAsUtf8_ThenDecryptToStringGivesItBack(NonEmptyString text)
    {
        var requester = FideliusKeyMaterial.Generate(TimeProvider.System);
        var sender = FideliusKeyMaterial.Generate(TimeProvider.System);
        var valid = new string(text.Get.Where(c => !char.IsSurrogate(c)).ToArray());

        var encrypted = FideliusCipher.EncryptToBase64(valid, sender.Nonce, requester.Nonce, sender.PrivateKey,
            requester.PublicKey);

        return FideliusCipher.DecryptToString(encrypted, requester.Nonce, sender.Nonce, requester.PrivateKey,
            sender.PublicKey) == valid;
    }

    [Fact]
    public void GivenOneSession_WhenDecryptingSeveralEntriesOfOneTransfer_ThenEachMatchesTheOneShotResult()
    {
        var requester = FideliusKeyMaterial.Generate(TimeProvider.System);
        var sender = FideliusKeyMaterial.Generate(TimeProvider.System);
        byte[][] entries = ["first entry"u8.ToArray(), "second, longer entry"u8.ToArray(), []];

        using var session = FideliusSession.ForRequester(requester.Nonce, sender.Nonce, requester.PrivateKey,
            sender.PublicKey);
        foreach (var entry in entries)
        {
            var encrypted = FideliusCipher.Encrypt(entry, sender.Nonce, requester.Nonce, sender.PrivateKey,
                requester.PublicKey);
            var decrypted = new byte[entry.Length];
            Assert.Equal(entry.Length, session.Decrypt(encrypted, decrypted));
            Assert.Equal(entry, decrypted);
        }
    }
}

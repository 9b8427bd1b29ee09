using System.Buffers;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Xunit;
using static Ndhm.Fidelius.Tests.PublishedVectorTests;

namespace Ndhm.Fidelius.Tests;

/// <summary>
/// The UTF-8 push API (base64 written into, and read from, the JSON body's bytes) gives exactly what the string API
/// gives: the same text out, the same bytes back, the same refusals.
/// </summary>
public sealed class Utf8PushPathTests
{
    private const int MaxSize = 64 * 1024;

    private static readonly FideliusNonce ReqNonce = FideliusNonce.Parse(RequesterNonce);
    private static readonly FideliusNonce SendNonce = FideliusNonce.Parse(SenderNonce);
    private static readonly FideliusPrivateKey ReqKey = FideliusPrivateKey.Parse(RequesterPrivateKey);
    private static readonly FideliusPrivateKey SendKey = FideliusPrivateKey.Parse(SenderPrivateKey);
    private static readonly FideliusPublicKey ReqPublic = FideliusPublicKey.Parse(RequesterPublicKey);
    private static readonly FideliusPublicKey SendPublic = FideliusPublicKey.Parse(SenderPublicKey);

    [Fact]
    public void GivenThePublishedKeys_WhenEncryptingIntoABufferWriter_ThenThePublishedCiphertextIsWrittenAsUtf8()
    {
        var body = new ArrayBufferWriter<byte>();
        body.Write("prefix:"u8);

        var written = FideliusCipher.EncryptToBase64Utf8(Encoding.UTF8.GetBytes(Plaintext), body, SendNonce, ReqNonce, SendKey, ReqPublic);

        Assert.Equal("prefix:" + EncryptedData, Encoding.UTF8.GetString(body.WrittenSpan));
        Assert.Equal(EncryptedData.Length, written);
    }

    [Fact]
    public void GivenThePublishedKeys_WhenWritingTheContentIntoJson_ThenTheValueIsThePublishedCiphertextUnescaped()
    {
        var body = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("content");
            FideliusCipher.WriteEncryptedBase64StringValue(writer, Encoding.UTF8.GetBytes(Plaintext), SendNonce, ReqNonce, SendKey, ReqPublic);
            writer.WriteEndObject();
        }

        // The published ciphertext has '+' and '/', which must not come out as \u002B escapes.
        Assert.Contains('+', EncryptedData);
        Assert.Equal("{\"content\":\"" + EncryptedData + "\"}", Encoding.UTF8.GetString(body.WrittenSpan));
    }

    [Fact]
    public void GivenThePublishedCiphertextAsUtf8_WhenDecrypting_ThenThePublishedPlaintextComesBack()
    {
        var utf8 = Encoding.UTF8.GetBytes(EncryptedData);
        var destination = new byte[FideliusCipher.GetMaxPlaintextLength(utf8.Length)];

        var length = FideliusCipher.DecryptFromBase64Utf8(utf8, destination, ReqNonce, SendNonce, ReqKey, SendPublic);
        using var pooled = FideliusCipher.DecryptFromBase64Utf8ToPool(utf8, ReqNonce, SendNonce, ReqKey, SendPublic);

        Assert.Equal(Plaintext, Encoding.UTF8.GetString(destination, 0, length));
        Assert.Equal(Plaintext, Encoding.UTF8.GetString(pooled.Span));
    }

    [Fact]
    public void GivenAPooledPlaintext_WhenDisposed_ThenItCannotBeReadAnyMore()
    {
        var pooled = FideliusCipher.DecryptFromBase64Utf8ToPool(Encoding.UTF8.GetBytes(EncryptedData), ReqNonce, SendNonce, ReqKey, SendPublic);

        pooled.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pooled.Span.Length);
    }

    [Property(MaxTest = 40)]
    public bool GivenAnyPayload_WhenEncryptedThroughUtf8_ThenTheTextIsTheStringApisAndItDecryptsBack(NonNegativeInt size, int seed)
    {
        var plaintext = new byte[size.Get % (MaxSize + 1)];
        new Random(seed).NextBytes(plaintext);
        var requester = FideliusKeyMaterial.Generate(TimeProvider.System);
        var sender = FideliusKeyMaterial.Generate(TimeProvider.System);
        var expected = FideliusCipher.EncryptToBase64(plaintext, sender.Nonce, requester.Nonce, sender.PrivateKey, requester.PublicKey);

        var body = new ArrayBufferWriter<byte>(1);
        using var session = FideliusSession.ForSender(sender.Nonce, requester.Nonce, sender.PrivateKey, requester.PublicKey);
        session.EncryptToBase64Utf8(plaintext, body);
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            session.WriteEncryptedBase64StringValue(writer, plaintext);
        }

        using var decrypted = FideliusCipher.DecryptFromBase64Utf8ToPool(body.WrittenSpan, requester.Nonce, sender.Nonce, requester.PrivateKey,
            sender.PublicKey);
        return Encoding.ASCII.GetString(body.WrittenSpan) == expected
            && Encoding.UTF8.GetString(json.WrittenSpan) == "\"" + expected + "\""
            && decrypted.Span.SequenceEqual(plaintext);
    }

    [Property(MaxTest = 300)]
    public bool GivenAnyText_WhenDecryptedAsUtf8AndAsChars_ThenBothGiveTheSameBytesOrTheSameErrorCode(string text, bool publishedWithNoise, NonNegativeInt at)
    {
        var candidate = text ?? "";
        if (publishedWithNoise)
        {
            // Mostly valid inputs: the published ciphertext with the text spliced in (whitespace, stray characters...).
            var i = at.Get % (EncryptedData.Length + 1);
            candidate = EncryptedData[..i] + candidate + EncryptedData[i..];
        }

        var valid = new string(candidate.Where(c => !char.IsSurrogate(c)).ToArray());
        var expected = Outcome(() => FideliusCipher.DecryptFromBase64(valid, ReqNonce, SendNonce, ReqKey, SendPublic));
        var utf8 = Encoding.UTF8.GetBytes(valid);
        var actual = Outcome(() =>
        {
            using var pooled = FideliusCipher.DecryptFromBase64Utf8ToPool(utf8, ReqNonce, SendNonce, ReqKey, SendPublic);
            return pooled.Span.ToArray();
        });
        var intoBuffer = Outcome(() =>
        {
            var destination = new byte[FideliusCipher.GetMaxPlaintextLength(utf8.Length)];
            return destination[..FideliusCipher.DecryptFromBase64Utf8(utf8, destination, ReqNonce, SendNonce, ReqKey, SendPublic)];
        });

        return expected == actual && expected == intoBuffer;
    }

    [Theory]
    [InlineData("not*base64")]
    [InlineData("QUJD")]
    [InlineData("")]
    [InlineData("  \r\n")]
    [InlineData("pzMvVZNNVtJzqPkkxcCbBUWgDEBy/mBXIeT2dJWI16ZAQnnXUb9lI+S4k8XK6mgZSKKSRIHkcNvJpllnBg548wUgavBa0vCRRwdL6kY6Yw=")]
    [InlineData("pzMvVZNNVtJzqPkkxcCbBUWgDEBy/mBXIeT2dJWI16ZAQnnXUb9lI+S4k8XK6mgZSKKSRIHkcNvJpllnBg548wUgavBa0vCRRwdL6kY6Zw==")]
    [InlineData("é")]
    public void GivenBadContent_WhenDecryptingFromUtf8_ThenItIsRefusedWithTheCharPathsCode(string content)
    {
        var expected = Assert.Throws<FideliusException>(() => FideliusCipher.DecryptFromBase64(content, ReqNonce, SendNonce, ReqKey, SendPublic));

        var actual = Assert.Throws<FideliusException>(() =>
            FideliusCipher.DecryptFromBase64Utf8ToPool(Encoding.UTF8.GetBytes(content), ReqNonce, SendNonce, ReqKey, SendPublic));

        Assert.Equal(expected.Code, actual.Code);
    }

    [Fact]
    public void GivenTheContentWithSurroundingWhitespaceAndLineBreaks_WhenDecryptingFromUtf8_ThenItIsAcceptedAsTheCharPathAcceptsIt()
    {
        var wrapped = " \t" + EncryptedData[..40] + "\r\n" + EncryptedData[40..] + "\n ";

        using var pooled = FideliusCipher.DecryptFromBase64Utf8ToPool(Encoding.UTF8.GetBytes(wrapped), ReqNonce, SendNonce, ReqKey, SendPublic);

        Assert.Equal(Plaintext, Encoding.UTF8.GetString(pooled.Span));
        Assert.Equal(Plaintext, FideliusCipher.DecryptToString(wrapped, ReqNonce, SendNonce, ReqKey, SendPublic));
    }

    private static string Outcome(Func<byte[]> decrypt)
    {
        try
        {
            return "ok:" + Convert.ToHexString(decrypt());
        }
        catch (FideliusException e)
        {
            return "error:" + e.Code;
        }
    }
}

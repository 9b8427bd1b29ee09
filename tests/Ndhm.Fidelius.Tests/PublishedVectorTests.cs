namespace Ndhm.Fidelius.Tests;

/// <summary>The vector from the Java tool's README (mgrmtech/fidelius-cli), quoted in DESIGN.md.</summary>
public sealed class PublishedVectorTests
{
    internal const string RequesterPrivateKey = "DMxHPri8d7IT23KgLk281zZenMfVHSdeamq0RhwlIBk=";
    internal const string RequesterPublicKey = "BAheD5rUqTy4V5xR4/6HWmYpopu5CO+KO8BECS0udNqUTSNo91TIqIIy1A4Vh+F94c+n9vAcwXU2bGcfsI5f69Y=";
    internal const string RequesterX509PublicKey = "MIIBMTCB6gYHKoZIzj0CATCB3gIBATArBgcqhkjOPQEBAiB/////////////////////////////////////////7TBEBCAqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqYSRShRAQge0Je0Je0Je0Je0Je0Je0Je0Je0Je0Je0JgtenHcQyGQEQQQqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq0kWiCuGaG4oIa04B7dLHdI0UySPU1+bXxhsinpxaJ+ztPZAiAQAAAAAAAAAAAAAAAAAAAAFN753qL3nNZYEmMaXPXT7QIBCANCAAQIXg+a1Kk8uFecUeP+h1pmKaKbuQjvijvARAktLnTalE0jaPdUyKiCMtQOFYfhfeHPp/bwHMF1NmxnH7COX+vW";
    internal const string RequesterNonce = "6uj1RdDUbcpI3lVMZvijkMC8Te20O4Bcyz0SyivX8Eg=";
    internal const string SenderPrivateKey = "AYhVZpbVeX4KS5Qm/W0+9Ye2q3rnVVGmqRICmseWni4=";
    internal const string SenderPublicKey = "BABVt+mpRLMXiQpIfEq6bj8hlXsdtXIxLsspmMgLNI1SR5mHgDVbjHO2A+U4QlMddGzqyEidzm1AkhtSxSO2Ahg=";
    internal const string SenderX509PublicKey = "MIIBMTCB6gYHKoZIzj0CATCB3gIBATArBgcqhkjOPQEBAiB/////////////////////////////////////////7TBEBCAqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqYSRShRAQge0Je0Je0Je0Je0Je0Je0Je0Je0Je0Je0JgtenHcQyGQEQQQqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq0kWiCuGaG4oIa04B7dLHdI0UySPU1+bXxhsinpxaJ+ztPZAiAQAAAAAAAAAAAAAAAAAAAAFN753qL3nNZYEmMaXPXT7QIBCANCAAQAVbfpqUSzF4kKSHxKum4/IZV7HbVyMS7LKZjICzSNUkeZh4A1W4xztgPlOEJTHXRs6shInc5tQJIbUsUjtgIY";
    internal const string SenderNonce = "lmXgblZwotx+DfBgKJF0lZXtAXgBEYr5khh79Zytr2Y=";
    internal const string Plaintext = "Wormtail should never have been Potter cottage's secret keeper.";
    internal const string EncryptedData = "pzMvVZNNVtJzqPkkxcCbBUWgDEBy/mBXIeT2dJWI16ZAQnnXUb9lI+S4k8XK6mgZSKKSRIHkcNvJpllnBg548wUgavBa0vCRRwdL6kY6Yw==";

    [Fact]
    public void GivenThePublishedKeys_WhenDecrypting_ThenThePublishedPlaintextComesBack()
    {
        var text = FideliusCipher.DecryptToString(EncryptedData, FideliusNonce.Parse(RequesterNonce),
            FideliusNonce.Parse(SenderNonce), FideliusPrivateKey.Parse(RequesterPrivateKey),
            FideliusPublicKey.Parse(SenderPublicKey));

        Assert.Equal(Plaintext, text);
    }

    [Fact]
    public void GivenThePublishedKeys_WhenEncrypting_ThenThePublishedCiphertextComesOut()
    {
        var encrypted = FideliusCipher.EncryptToBase64(Plaintext, FideliusNonce.Parse(SenderNonce),
            FideliusNonce.Parse(RequesterNonce), FideliusPrivateKey.Parse(SenderPrivateKey),
            FideliusPublicKey.Parse(RequesterPublicKey));

        Assert.Equal(EncryptedData, encrypted);
    }
}

public sealed class PublishedKeyEncodingTests
{
    [Theory]
    [InlineData(PublishedVectorTests.RequesterPrivateKey, PublishedVectorTests.RequesterPublicKey, PublishedVectorTests.RequesterX509PublicKey)]
    [InlineData(PublishedVectorTests.SenderPrivateKey, PublishedVectorTests.SenderPublicKey, PublishedVectorTests.SenderX509PublicKey)]
    public void GivenAPublishedPrivateKey_WhenDerivingItsPublicKey_ThenBothPublishedFormsComeOutByteForByte(
        string privateKey, string publicKey, string x509PublicKey)
    {
        var derived = FideliusPrivateKey.Parse(privateKey).PublicKey;

        Assert.Equal(publicKey, derived.ToBase64());
        Assert.Equal(x509PublicKey, derived.ToX509Base64());
        Assert.Equal(privateKey, FideliusPrivateKey.Parse(privateKey).ToBase64());
    }

    [Theory]
    [InlineData(PublishedVectorTests.RequesterPublicKey, PublishedVectorTests.RequesterX509PublicKey)]
    [InlineData(PublishedVectorTests.SenderPublicKey, PublishedVectorTests.SenderX509PublicKey)]
    public void GivenTheRawAndX509FormsOfOneKey_WhenParsed_ThenTheyAreTheSameKey(string raw, string x509)
    {
        Assert.Equal(FideliusPublicKey.Parse(raw), FideliusPublicKey.Parse(x509));
        Assert.Equal(x509, FideliusPublicKey.Parse(raw).ToX509Base64());
        Assert.Equal(raw, FideliusPublicKey.Parse(x509).ToBase64());
    }

    [Fact]
    public void GivenX509PublicKeys_WhenEncryptingAndDecrypting_ThenTheResultsMatchTheRawForm()
    {
        var encrypted = FideliusCipher.EncryptToBase64(PublishedVectorTests.Plaintext,
            FideliusNonce.Parse(PublishedVectorTests.SenderNonce), FideliusNonce.Parse(PublishedVectorTests.RequesterNonce),
            FideliusPrivateKey.Parse(PublishedVectorTests.SenderPrivateKey),
            FideliusPublicKey.Parse(PublishedVectorTests.RequesterX509PublicKey));
        var decrypted = FideliusCipher.DecryptToString(PublishedVectorTests.EncryptedData,
            FideliusNonce.Parse(PublishedVectorTests.RequesterNonce), FideliusNonce.Parse(PublishedVectorTests.SenderNonce),
            FideliusPrivateKey.Parse(PublishedVectorTests.RequesterPrivateKey),
            FideliusPublicKey.Parse(PublishedVectorTests.SenderX509PublicKey));

        Assert.Equal(PublishedVectorTests.EncryptedData, encrypted);
        Assert.Equal(PublishedVectorTests.Plaintext, decrypted);
    }

    [Fact]
    public void GivenThePublishedPrivateKeyWithALeadingSignByte_WhenEncrypting_ThenTheCiphertextIsUnchanged()
    {
        byte[] withSignByte = [0x00, .. Convert.FromBase64String(PublishedVectorTests.SenderPrivateKey)];

        var encrypted = FideliusCipher.EncryptToBase64(PublishedVectorTests.Plaintext,
            FideliusNonce.Parse(PublishedVectorTests.SenderNonce), FideliusNonce.Parse(PublishedVectorTests.RequesterNonce),
            FideliusPrivateKey.Parse(Convert.ToBase64String(withSignByte)),
            FideliusPublicKey.Parse(PublishedVectorTests.RequesterPublicKey));

        Assert.Equal(PublishedVectorTests.EncryptedData, encrypted);
    }
}

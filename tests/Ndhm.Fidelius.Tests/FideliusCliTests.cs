using System.Text.Json;
using Ndhm.Cli.Commands;

namespace Ndhm.Fidelius.Tests;

public sealed class FideliusCliTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = FideliusCommand.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static readonly string[] EncryptArgs =
    [
        "e", PublishedVectorTests.Plaintext, PublishedVectorTests.SenderNonce, PublishedVectorTests.RequesterNonce,
        PublishedVectorTests.SenderPrivateKey, PublishedVectorTests.RequesterPublicKey,
    ];

    private static readonly string[] DecryptArgs =
    [
        "d", PublishedVectorTests.EncryptedData, PublishedVectorTests.RequesterNonce, PublishedVectorTests.SenderNonce,
        PublishedVectorTests.RequesterPrivateKey, PublishedVectorTests.SenderX509PublicKey,
    ];

    [Fact]
    public void GivenThePublishedVector_WhenEncryptingThroughTheCli_ThenTheJavaToolsOutputIsPrinted()
    {
        var (exit, output, error) = Run(EncryptArgs);

        Assert.Equal(0, exit);
        Assert.Equal("{\n  \"encryptedData\": \"" + PublishedVectorTests.EncryptedData + "\"\n}\n", output);
        Assert.Empty(error);
    }

    [Fact]
    public void GivenThePublishedVector_WhenDecryptingThroughTheCli_ThenThePlaintextIsPrintedUnescaped()
    {
        var (exit, output, _) = Run(DecryptArgs);

        Assert.Equal(0, exit);
        // Gson with HTML escaping off leaves the apostrophe alone.
        Assert.Equal("{\n  \"decryptedData\": \"" + PublishedVectorTests.Plaintext + "\"\n}\n", output);
    }

    [Fact]
    public void GivenBase64Text_WhenSaneEncrypting_ThenTheResultEqualsPlainEncryption()
    {
        string[] args = [.. EncryptArgs];
        args[0] = "se";
        args[1] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(PublishedVectorTests.Plaintext));

        Assert.Equal(Run(EncryptArgs).Out, Run(args).Out);
    }

    [Fact]
    public void GivenAParameterFile_WhenRunWithDashF_ThenItBehavesLikeTheArguments()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fidelius-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, string.Join("\n", DecryptArgs) + "\n");
        try
        {
            var (exit, output, _) = Run("-f", path);
            var (exitLong, outputLong, _) = Run("--filepath", path);

            Assert.Equal(0, exit);
            Assert.Equal(Run(DecryptArgs).Out, output);
            Assert.Equal((0, output), (exitLong, outputLong));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void GivenGenerateKeyMaterial_WhenRun_ThenItPrintsTheFourFieldsInJavasOrderAndTheyWork()
    {
        var (exit, output, _) = Run("gkm");
        var (exitLong, _, _) = Run("generate-key-material");

        Assert.Equal((0, 0), (exit, exitLong));
        using var json = JsonDocument.Parse(output);
        Assert.Equal(["privateKey", "publicKey", "x509PublicKey", "nonce"],
            json.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
        var get = (string name) => json.RootElement.GetProperty(name).GetString()!;
        Assert.Equal(88, get("publicKey").Length);
        Assert.Equal(FideliusPublicKey.Parse(get("publicKey")), FideliusPublicKey.Parse(get("x509PublicKey")));
        Assert.Equal(FideliusPrivateKey.Parse(get("privateKey")).PublicKey, FideliusPublicKey.Parse(get("publicKey")));
        Assert.Equal(32, Convert.FromBase64String(get("nonce")).Length);
    }

    [Theory]
    [InlineData("e", "only", "two")]
    [InlineData("d")]
    [InlineData("gkm", "extra")]
    [InlineData("encrypt-please")]
    [InlineData("-f")]
    public void GivenBadArguments_WhenRun_ThenItExitsWithAUsageErrorOnStderr(params string[] args)
    {
        var (exit, output, error) = Run(args);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("usage", error);
    }

    [Fact]
    public void GivenNoArguments_WhenRun_ThenItExitsWithAUsageError()
    {
        Assert.Equal(2, Run().Exit);
    }

    [Fact]
    public void GivenUnquotedTextSplitIntoWords_WhenEncrypting_ThenItIsRefusedRatherThanEncryptingOneWord()
    {
        string[] args = [.. EncryptArgs[..2], "extra-word", .. EncryptArgs[2..]];

        Assert.Equal(2, Run(args).Exit);
    }

    [Fact]
    public void GivenTamperedDataOrABadKey_WhenDecrypting_ThenItExitsWithOneAndACode()
    {
        string[] tampered = [.. DecryptArgs];
        tampered[1] = "A" + tampered[1][1..];
        string[] badKey = [.. DecryptArgs];
        badKey[5] = "BAAA";

        var (exit, output, error) = Run(tampered);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains(FideliusErrorCodes.DecryptionFailed, error);

        (exit, _, error) = Run(badKey);
        Assert.Equal(1, exit);
        Assert.Contains(FideliusErrorCodes.InvalidKey, error);
    }

    [Fact]
    public void GivenAMissingParameterFile_WhenRun_ThenItExitsWithOne()
    {
        var (exit, _, error) = Run("-f", "/nonexistent/fidelius-params.txt");

        Assert.Equal(1, exit);
        Assert.Contains("cannot read", error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("gkm", "--help")]
    [InlineData("e", "--help")]
    [InlineData("se", "--help")]
    [InlineData("d", "--help")]
    [InlineData("-f", "--help")]
    public void GivenHelp_WhenRun_ThenUsageGoesToStdoutWithExitZero(params string[] args)
    {
        var (exit, output, _) = Run(args);

        Assert.Equal(0, exit);
        Assert.Contains("usage", output);
    }

    [Fact]
    public void GivenControlCharactersInPlaintext_WhenDecrypted_ThenTheyAreEscapedAsGsonDoes()
    {
        var requester = FideliusKeyMaterial.Generate(TimeProvider.System);
        var sender = FideliusKeyMaterial.Generate(TimeProvider.System);
        const string text = "line1\nline2\t\"q\" \\ <b>&amp; \u0001 é";
        var encrypted = FideliusCipher.EncryptToBase64(text, sender.Nonce, requester.Nonce, sender.PrivateKey,
            requester.PublicKey);

        var (exit, output, _) = Run("d", encrypted, requester.Nonce.ToBase64(), sender.Nonce.ToBase64(),
            requester.PrivateKey.ToBase64(), sender.PublicKey.ToBase64());

        Assert.Equal(0, exit);
        Assert.Equal("{\n  \"decryptedData\": \"line1\\nline2\\t\\\"q\\\" \\\\ <b>&amp; \\u0001 é\"\n}\n", output);
    }
}

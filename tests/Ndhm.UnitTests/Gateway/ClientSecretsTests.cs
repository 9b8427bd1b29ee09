using Ndhm.Gateway.Partners;

namespace Ndhm.UnitTests.Gateway;

public sealed class ClientSecretsTests
{
    private readonly ClientSecrets secrets = new(iterations: 1000);

    [Fact]
    public void GivenAHashedSecret_WhenVerifiedWithTheSameSecret_ThenTrue()
    {
        var secret = ClientSecrets.Generate();
        Assert.True(ClientSecrets.Verify(secret, secrets.Hash(secret)));
    }

    [Fact]
    public void GivenAHashedSecret_WhenVerifiedWithAnotherOrEmptySecret_ThenFalse()
    {
        var stored = secrets.Hash("right");
        Assert.False(ClientSecrets.Verify("wrong", stored));
        Assert.False(ClientSecrets.Verify("", stored));
        Assert.False(ClientSecrets.Verify(null, stored));
    }

    [Fact]
    public void Hash_UsesAFreshSaltEachTime_AndRecordsTheIterationCount()
    {
        var a = secrets.Hash("same");
        var b = secrets.Hash("same");

        Assert.NotEqual(a.Salt, b.Salt);
        Assert.NotEqual(a.Hash, b.Hash);
        Assert.Equal(1000, a.Iterations);
        Assert.Equal("PBKDF2-SHA256", a.Algorithm);
    }

    [Fact]
    public void GivenAHashMadeWithOtherIterations_WhenVerified_ThenItsOwnCountIsUsed()
    {
        var old = new ClientSecrets(500).Hash("s");
        Assert.True(ClientSecrets.Verify("s", old));
    }

    [Fact]
    public void Generate_Gives256BitUrlSafeSecrets()
    {
        var s = ClientSecrets.Generate();
        Assert.Equal(43, s.Length);
        Assert.DoesNotContain('+', s);
        Assert.DoesNotContain('/', s);
    }
}

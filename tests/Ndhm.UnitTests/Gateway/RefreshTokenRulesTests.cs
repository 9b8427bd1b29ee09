using Ndhm.Core.Security.Tokens;
using Ndhm.Gateway.Partners;

namespace Ndhm.UnitTests.Gateway;

public sealed class RefreshTokenRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    private readonly HashedSecret secret = new ClientSecrets(1).Hash("first secret");
    private readonly RefreshTokenValue first = RefreshTokenValue.NewFamily();

    private RefreshFamily Family() => RefreshTokenRules.Start("city-hospital", secret, first, Start, Lifetime);

    [Fact]
    public void GivenANewFamily_ThenOnlyTheHashOfItsTokenIsKept()
    {
        var family = Family();

        Assert.Equal(first.FamilyId, family.FamilyId);
        Assert.Equal(first.Hash, family.CurrentHash);
        Assert.DoesNotContain(first.Secret, family.CurrentHash, StringComparison.Ordinal);
        Assert.Equal(Start + Lifetime, family.CurrentExpiresAt);
    }

    [Fact]
    public void GivenTheCurrentToken_WhenPresentedInTime_ThenItRotatesToANewTokenAndTheOldOneIsRemembered()
    {
        var family = Family();
        var now = Start.AddHours(1);
        Assert.Equal(RefreshVerdict.Rotate, RefreshTokenRules.Judge(family, first, secret, partnerActive: true, now));

        var next = first.Next();
        var rotated = RefreshTokenRotation.Rotate(family, next, now, Lifetime);

        Assert.Equal(first.FamilyId, next.FamilyId);
        Assert.NotEqual(first.Secret, next.Secret);
        Assert.Equal(next.Hash, rotated.CurrentHash);
        Assert.Equal(now + Lifetime, rotated.CurrentExpiresAt);
        Assert.Equal(RefreshVerdict.Rotate, RefreshTokenRules.Judge(rotated, next, secret, true, now));
        Assert.Equal(RefreshVerdict.Reuse, RefreshTokenRules.Judge(rotated, first, secret, true, now));
    }

    [Fact]
    public void GivenARevokedFamily_ThenEvenItsCurrentTokenIsRefused()
    {
        var revoked = RefreshTokenRotation.Revoke(Family(), Start.AddMinutes(5));

        Assert.True(revoked.Revoked);
        Assert.Equal(RefreshVerdict.Refuse, RefreshTokenRules.Judge(revoked, first, secret, true, Start.AddMinutes(6)));
    }

    [Fact]
    public void GivenAnExpiredCurrentToken_ThenItIsRefused() =>
        Assert.Equal(RefreshVerdict.Refuse, RefreshTokenRules.Judge(Family(), first, secret, true, Start + Lifetime));

    [Fact]
    public void GivenTheSecretWasRotatedSinceTheSessionOpened_ThenTheFamilyIsRefused()
    {
        var newSecret = new ClientSecrets(1).Hash("second secret");

        Assert.Equal(RefreshVerdict.Refuse, RefreshTokenRules.Judge(Family(), first, newSecret, true, Start.AddMinutes(1)));
    }

    [Fact]
    public void GivenAnInactivePartner_ThenItsCurrentTokenIsRefused() =>
        Assert.Equal(RefreshVerdict.Refuse, RefreshTokenRules.Judge(Family(), first, secret, partnerActive: false, Start.AddMinutes(1)));

    [Fact]
    public void GivenATokenTheFamilyNeverIssued_ThenItIsRefusedWithoutRevokingTheFamily()
    {
        var forged = first with { Secret = RefreshTokenValue.NewFamily().Secret };

        Assert.Equal(RefreshVerdict.Refuse, RefreshTokenRules.Judge(Family(), forged, secret, true, Start.AddMinutes(1)));
    }

    [Fact]
    public void GivenManyRotations_ThenRotatedTokensPastTheirExpiryAreForgotten()
    {
        var family = Family();
        var token = first;
        for (var hour = 1; hour <= 30; hour++)
        {
            var next = token.Next();
            family = RefreshTokenRotation.Rotate(family, next, Start.AddHours(hour), Lifetime);
            token = next;
        }

        Assert.All(family.Rotated, r => Assert.True(r.ExpiresAt > Start.AddHours(29)));
        Assert.InRange(family.Rotated.Count, 20, 25);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-dot")]
    [InlineData("a.b.c")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA.short")]
    public void GivenSomethingThatIsNotARefreshToken_ThenItDoesNotParse(string? token) =>
        Assert.False(RefreshTokenValue.TryParse(token, out _));

    [Fact]
    public void GivenAnIssuedToken_ThenItParsesBackToTheSameValue()
    {
        Assert.True(RefreshTokenValue.TryParse(first.ToString(), out var parsed));
        Assert.Equal(first, parsed);
    }
}

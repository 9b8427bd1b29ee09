using Ndhm.Core.Configuration;
using Ndhm.Core.Errors;
using Ndhm.Core.RateLimits;
using Ndhm.Infrastructure.RateLimits;

namespace Ndhm.UnitTests.RateLimits;

public sealed class RateLimitPolicyTests
{
    private static readonly RateLimitPolicy TenPerMinute = new("Test", 10, TimeSpan.FromMinutes(1));

    [Theory]
    [InlineData("2026-12-03T11:20:00Z", "2026-12-03T11:20:00Z")]
    [InlineData("2026-12-03T11:20:59.999Z", "2026-12-03T11:20:00Z")]
    [InlineData("2026-12-03T11:21:00Z", "2026-12-03T11:21:00Z")]
    public void GivenAOneMinuteWindow_WhenAnInstantIsPlaced_ThenItsWindowStartsOnTheMinute(string now, string start)
    {
        Assert.Equal(DateTimeOffset.Parse(start), TenPerMinute.WindowStart(DateTimeOffset.Parse(now)));
    }

    [Fact]
    public void GivenAWindowNotDividingAnHour_WhenWindowsArePlaced_ThenTheyAreAlignedToTheEpochAndContiguous()
    {
        var policy = new RateLimitPolicy("Test", 1, TimeSpan.FromSeconds(7));
        var now = DateTimeOffset.Parse("2026-12-03T11:20:03Z");

        var start = policy.WindowStart(now);

        Assert.Equal(0, start.ToUnixTimeSeconds() % 7);
        Assert.InRange(now - start, TimeSpan.Zero, TimeSpan.FromSeconds(7) - TimeSpan.FromTicks(1));
        Assert.Equal(policy.WindowEnd(now), policy.WindowStart(policy.WindowEnd(now)));
    }

    [Fact]
    public void GivenTheLimitThAndTheNextAttempt_WhenDecided_ThenTheLastAllowedIsTheLimitAndTheNextIsRefusedUntilTheWindowEnds()
    {
        var now = DateTimeOffset.Parse("2026-12-03T11:20:45.2Z");

        var last = TenPerMinute.Decide(10, now);
        var refused = TenPerMinute.Decide(11, now);

        Assert.True(last.Allowed);
        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(14.8), refused.RetryAfter);
        Assert.Equal(15, refused.RetryAfterSeconds); // rounded up: a client never retries inside the window
    }

    [Fact]
    public void GivenTheLastTickOfAWindow_WhenRefused_ThenRetryAfterIsAtLeastOneSecond()
    {
        var refused = TenPerMinute.Decide(11, DateTimeOffset.Parse("2026-12-03T11:20:59.9999999Z"));

        Assert.Equal(1, refused.RetryAfterSeconds);
    }

    [Theory]
    [InlineData("", 1, 60)]
    [InlineData("with-dash", 1, 60)]
    [InlineData("Ok", 0, 60)]
    [InlineData("Ok", 1, 0)]
    public void GivenAnInvalidPolicy_WhenValidated_ThenItIsRejected(string name, int limit, int windowSeconds)
    {
        Assert.Throws<ArgumentException>(() => new RateLimitPolicy(name, limit, TimeSpan.FromSeconds(windowSeconds)).Validate());
    }

    [Fact]
    public void GivenNoSettings_WhenPoliciesAreRead_ThenTheDefaultsApply()
    {
        var policies = RateLimitPolicies.FromSettings(_ => null);

        Assert.Equal(RateLimitPolicies.Defaults.OrderBy(p => p.Name), policies.All.OrderBy(p => p.Name));
    }

    [Fact]
    public void GivenOverrides_WhenPoliciesAreRead_ThenOnlyThatPolicyChanges()
    {
        var settings = new Dictionary<string, string>
        {
            [SettingNames.RateLimitLimit(RateLimitPolicies.PartnerLookup)] = "5",
            [SettingNames.RateLimitWindowSeconds(RateLimitPolicies.PartnerLookup)] = "30",
        };

        var policies = RateLimitPolicies.FromSettings(settings.GetValueOrDefault);

        Assert.Equal(new RateLimitPolicy(RateLimitPolicies.PartnerLookup, 5, TimeSpan.FromSeconds(30)), policies[RateLimitPolicies.PartnerLookup]);
        Assert.Equal(RateLimitPolicies.Defaults.Single(p => p.Name == RateLimitPolicies.OtpRequest), policies[RateLimitPolicies.OtpRequest]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("ten")]
    public void GivenANonPositiveOrNonNumericLimit_WhenPoliciesAreRead_ThenStartUpFailsNamingTheSetting(string value)
    {
        var name = SettingNames.RateLimitLimit(RateLimitPolicies.Login);

        var error = Assert.Throws<InvalidOperationException>(() => RateLimitPolicies.FromSettings(s => s == name ? value : null));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenARefusal_WhenMappedToAnError_ThenItIs429RateLimitedWithRetryAfterAndNoKey()
    {
        var error = RateLimitExceeded.For(TenPerMinute, RateLimitDecision.Refuse(11, TimeSpan.FromSeconds(14.2)));

        Assert.Equal(ErrorKind.TooManyRequests, error.Kind);
        Assert.Equal(ErrorCodes.RateLimited, error.Code);
        Assert.Equal(15, error.RetryAfterSeconds);
        Assert.Equal("Test", error.Extensions["policy"]);
    }

    [Fact]
    public void GivenAKey_WhenItsCounterIdIsMade_ThenTheIdHidesTheKeyAndChangesWithPolicyKeyAndWindow()
    {
        var now = DateTimeOffset.Parse("2026-12-03T11:20:30Z");
        var other = TenPerMinute with { Name = "Other" };

        var id = CosmosRateLimiter.CounterId(TenPerMinute, "target:91123456789012", now);

        Assert.DoesNotContain("91123456789012", id, StringComparison.Ordinal);
        Assert.StartsWith("Test-", id, StringComparison.Ordinal);
        Assert.Equal(id, CosmosRateLimiter.CounterId(TenPerMinute, "target:91123456789012", now.AddSeconds(29)));
        Assert.NotEqual(id, CosmosRateLimiter.CounterId(TenPerMinute, "target:91123456789012", now.AddSeconds(30)));
        Assert.NotEqual(id, CosmosRateLimiter.CounterId(TenPerMinute, "target:91123456789013", now));
        Assert.NotEqual(id, CosmosRateLimiter.CounterId(other, "target:91123456789012", now));
    }
}

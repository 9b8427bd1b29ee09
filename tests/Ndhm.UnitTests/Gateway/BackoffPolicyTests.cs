using Ndhm.Gateway.Callbacks;

namespace Ndhm.UnitTests.Gateway;

public sealed class BackoffPolicyTests
{
    private static readonly BackoffPolicy Policy = new(8, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2));

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(5, 80)]
    [InlineData(6, 120)]
    [InlineData(40, 120)]
    public void Ceiling_DoublesPerFailedAttempt_UpToTheMaximum(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Policy.Ceiling(attempt));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    public void Delay_WithJitter_StaysBetweenHalfAndAllOfTheCeiling(int attempt)
    {
        var ceiling = Policy.Ceiling(attempt);
        Assert.Equal(ceiling / 2, Policy.Delay(attempt, 0));
        Assert.True(Policy.Delay(attempt, 0.999999) <= ceiling);
        var random = new Random(42);
        for (var i = 0; i < 1000; i++)
        {
            var delay = Policy.Delay(attempt, random.NextDouble());
            Assert.InRange(delay, ceiling / 2, ceiling);
        }
    }

    [Fact]
    public void Ceiling_BeforeTheFirstAttempt_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Policy.Ceiling(0));
}

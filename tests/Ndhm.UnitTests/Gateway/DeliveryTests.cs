using Ndhm.Core.Errors;
using Ndhm.Gateway.Callbacks;

namespace Ndhm.UnitTests.Gateway;

public sealed class DeliveryTests
{
    private static readonly BackoffPolicy Policy = new(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static Delivery NewDelivery() => Delivery.New("d1", "p1", "/cb", "{}", "r1", null, Policy.MaxAttempts, Now);

    private static DeliveryAttempt Attempt(int n, int? code) => new(n, Now, 5, code, Delivery.Classify(code), null);

    [Theory]
    [InlineData(200, AttemptOutcome.Success)]
    [InlineData(202, AttemptOutcome.Success)]
    [InlineData(500, AttemptOutcome.RetryableFailure)]
    [InlineData(503, AttemptOutcome.RetryableFailure)]
    [InlineData(429, AttemptOutcome.RetryableFailure)]
    [InlineData(null, AttemptOutcome.RetryableFailure)]
    [InlineData(400, AttemptOutcome.PermanentFailure)]
    [InlineData(404, AttemptOutcome.PermanentFailure)]
    [InlineData(301, AttemptOutcome.PermanentFailure)]
    public void Classify_RetriesOnlyServerErrorsThrottlingAndTimeouts(int? code, AttemptOutcome expected) =>
        Assert.Equal(expected, Delivery.Classify(code));

    [Fact]
    public void GivenARetryableFailure_WhenRecorded_ThenPendingWithTheNextAttemptScheduledWithinTheBackoff()
    {
        var after = NewDelivery().Record(Attempt(1, 503), Policy, 0.5, Now);

        Assert.Equal(DeliveryStatus.Pending, after.Status);
        Assert.Equal(2, after.NextAttempt);
        Assert.InRange(after.NextAttemptAt!.Value - Now, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void GivenTheLastAttemptFails_WhenRecorded_ThenDeadLettered()
    {
        var d = NewDelivery().Record(Attempt(1, 503), Policy, 0, Now).Record(Attempt(2, 503), Policy, 0, Now).Record(Attempt(3, null), Policy, 0, Now);

        Assert.Equal(DeliveryStatus.DeadLettered, d.Status);
        Assert.Equal(3, d.Attempts.Count);
        Assert.Null(d.NextAttemptAt);
    }

    [Fact]
    public void GivenAClientError_WhenRecorded_ThenDeadLetteredAtOnce() =>
        Assert.Equal(DeliveryStatus.DeadLettered, NewDelivery().Record(Attempt(1, 400), Policy, 0, Now).Status);

    [Fact]
    public void GivenADeliveredDelivery_WhenItsMessageIsRedelivered_ThenIgnored()
    {
        var delivered = NewDelivery().Record(Attempt(1, 200), Policy, 0, Now);

        Assert.Equal(MessageDecision.Ignore, delivered.Decide(1));
        Assert.Equal(MessageDecision.Ignore, delivered.Decide(2));
    }

    [Fact]
    public void GivenAPendingDelivery_WhenMessagesArrive_ThenOnlyTheNextAttemptRunsAndAnEarlyOneWaits()
    {
        var pending = NewDelivery().Record(Attempt(1, 503), Policy, 0, Now);

        Assert.Equal(MessageDecision.Ignore, pending.Decide(1));
        Assert.Equal(MessageDecision.Attempt, pending.Decide(2));
        Assert.Equal(MessageDecision.RetryLater, pending.Decide(3));
    }

    [Fact]
    public void GivenADeadLetteredDelivery_WhenReplayed_ThenAFreshBudgetOfAttempts()
    {
        var dead = NewDelivery().Record(Attempt(1, 400), Policy, 0, Now);

        var replayed = dead.Replay(Policy, Now);

        Assert.Equal(DeliveryStatus.Pending, replayed.Status);
        Assert.Equal(2, replayed.NextAttempt);
        Assert.Equal(1 + Policy.MaxAttempts, replayed.AttemptLimit);
        Assert.Equal(MessageDecision.Attempt, replayed.Decide(2));
    }

    [Fact]
    public void GivenAPendingDelivery_WhenReplayed_ThenConflict()
    {
        var e = Assert.Throws<DomainException>(() => NewDelivery().Replay(Policy, Now));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
    }
}

using Ndhm.Core.Errors;
using Ndhm.Gateway.Inbound;

namespace Ndhm.UnitTests.Gateway;

public sealed class GatewayRequestRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static string Code(Action act) => Assert.Throws<DomainException>(act).Code;

    [Theory]
    [InlineData("2026-11-25T10:00:00.000Z")]
    [InlineData("2026-11-25T09:55:01Z")]
    [InlineData("2026-11-25T10:00:29Z")]
    [InlineData("2026-11-25T15:30:00+05:30")]
    public void Timestamp_WithinFiveMinutesAndSmallSkew_IsAccepted(string value) =>
        GatewayRequestRules.ValidateTimestamp(value, Now);

    [Theory]
    [InlineData("2026-11-25T09:54:59Z", "STALE_TIMESTAMP")]
    [InlineData("2026-11-25T10:00:31Z", "FUTURE_TIMESTAMP")]
    [InlineData("yesterday", "INVALID_TIMESTAMP")]
    [InlineData("", "MISSING_TIMESTAMP")]
    [InlineData(null, "MISSING_TIMESTAMP")]
    public void Timestamp_OutsideTheWindowOrUnreadable_IsRefusedWithAPreciseCode(string? value, string code) =>
        Assert.Equal(code, Code(() => GatewayRequestRules.ValidateTimestamp(value, Now)));

    [Theory]
    [InlineData(null, "MISSING_REQUEST_ID")]
    [InlineData("abc", "INVALID_REQUEST_ID")]
    [InlineData("{5b0a5f1e-2c1d-4c7e-9d3b-7a8f0e1d2c3b}", "INVALID_REQUEST_ID")]
    public void RequestId_MustBeAUuid(string? value, string code) =>
        Assert.Equal(code, Code(() => GatewayRequestRules.ValidateRequestId(value)));

    [Fact]
    public void Idempotency_SameOperationAndBody_IsAReplay_OtherwiseAConflict()
    {
        var record = new RequestRecord("p", "r", "Heartbeat", "F1", 202, "{}", Now);

        Assert.Equal(RepeatDecision.New, Idempotency.Decide(null, "Heartbeat", "F1"));
        Assert.Equal(RepeatDecision.Replay, Idempotency.Decide(record, "Heartbeat", "F1"));
        Assert.Equal(RepeatDecision.Conflict, Idempotency.Decide(record, "Heartbeat", "F2"));
        Assert.Equal(RepeatDecision.Conflict, Idempotency.Decide(record, "Other", "F1"));
    }

    [Fact]
    public void Idempotency_SameRequestWhoseWorkNeverCompleted_IsResumed_ButACompletedOneIsReplayed()
    {
        var accepted = new RequestRecord("p", "r", "Heartbeat", "F1", 202, "{}", Now, Completed: false);

        Assert.Equal(RepeatDecision.Resume, Idempotency.Decide(accepted, "Heartbeat", "F1"));
        Assert.Equal(RepeatDecision.Replay, Idempotency.Decide(accepted with { Completed = true }, "Heartbeat", "F1"));
        Assert.Equal(RepeatDecision.Conflict, Idempotency.Decide(accepted, "Heartbeat", "F2"));
    }
}

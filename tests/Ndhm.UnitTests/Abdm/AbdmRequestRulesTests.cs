using Ndhm.Core.Abdm;
using Ndhm.Core.Errors;
using Ndhm.Gateway.Abdm;

namespace Ndhm.UnitTests.Abdm;

public sealed class AbdmRequestRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private const string Id = "5f7a535d-a3fd-416b-b069-c97d021fbacd";
    private const string Other = "0f7a535d-a3fd-416b-b069-c97d021fbacd";
    private const string At = "2026-11-25T09:59:58.123Z";

    private static DomainException Refusal(Action act) => Assert.Throws<DomainException>(act);

    private static string AbdmCode(Action act) => AbdmErrors.AbdmCodeFor(Refusal(act));

    [Fact]
    public void GivenRequestIdAndTimestampInTheBodyOnly_WhenResolved_ThenTheyAreUsed()
    {
        var envelope = AbdmRequestRules.Resolve(null, Id, null, At, "sbx", "sbx", Now);

        Assert.Equal(Id, envelope.RequestId);
        Assert.Equal(DateTimeOffset.Parse(At, System.Globalization.CultureInfo.InvariantCulture), envelope.Timestamp);
    }

    [Fact]
    public void GivenTheV3HeadersOnly_WhenResolved_ThenTheyAreUsed()
    {
        var envelope = AbdmRequestRules.Resolve(Id, "  ", At, "", "SBX", "sbx", Now);

        Assert.Equal(Id, envelope.RequestId);
    }

    [Fact]
    public void GivenHeaderAndBodyThatAgree_WhenResolved_ThenAccepted_EvenWithDifferentTimestampPrecision()
    {
        var envelope = AbdmRequestRules.Resolve(Id, Id.ToUpperInvariant(), "2026-11-25T09:59:58.1230000Z", "2026-11-25T15:29:58.123+05:30",
            "sbx", "sbx", Now);

        Assert.Equal(Id, envelope.RequestId);
    }

    [Fact]
    public void GivenHeaderAndBodyRequestIdsThatDiffer_WhenResolved_ThenAbdm1030()
    {
        var error = Refusal(() => AbdmRequestRules.Resolve(Id, Other, null, At, "sbx", "sbx", Now));

        Assert.Equal(AbdmRequestRules.MismatchedRequestId, error.Code);
        Assert.Equal(AbdmErrors.InvalidRequestId, AbdmErrors.AbdmCodeFor(error));
    }

    [Fact]
    public void GivenHeaderAndBodyTimestampsThatDiffer_WhenResolved_ThenAbdm1016()
    {
        var error = Refusal(() => AbdmRequestRules.Resolve(Id, null, At, "2026-11-25T09:59:57.000Z", "sbx", "sbx", Now));

        Assert.Equal(AbdmRequestRules.MismatchedTimestamp, error.Code);
        Assert.Equal(AbdmErrors.InvalidTimestamp, AbdmErrors.AbdmCodeFor(error));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(" ", "")]
    [InlineData("not-a-uuid", null)]
    [InlineData(null, "not-a-uuid")]
    public void GivenABlankOrMalformedRequestId_WhenResolved_ThenAbdm1030(string? header, string? body) =>
        Assert.Equal(AbdmErrors.InvalidRequestId, AbdmCode(() => AbdmRequestRules.Resolve(header, body, At, null, "sbx", "sbx", Now)));

    [Theory]
    [InlineData(null, null)]
    [InlineData("", " ")]
    [InlineData("yesterday", null)]
    [InlineData(null, "2026-11-25T09:50:00.000Z")]
    [InlineData("2026-11-25T10:05:00.000Z", null)]
    public void GivenABlankStaleOrFutureTimestamp_WhenResolved_ThenAbdm1016(string? header, string? body) =>
        Assert.Equal(AbdmErrors.InvalidTimestamp, AbdmCode(() => AbdmRequestRules.Resolve(Id, null, header, body, "sbx", "sbx", Now)));

    [Theory]
    [InlineData(null, AbdmRequestRules.MissingCmId)]
    [InlineData("  ", AbdmRequestRules.MissingCmId)]
    [InlineData("abdm", AbdmRequestRules.UnknownCmId)]
    public void GivenABlankOrForeignCmId_WhenResolved_ThenRefused(string? cmId, string code)
    {
        var error = Refusal(() => AbdmRequestRules.Resolve(Id, null, At, null, cmId, "sbx", Now));

        Assert.Equal(code, error.Code);
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal(AbdmErrors.InvalidCmId, AbdmErrors.AbdmCodeFor(error));
    }

    [Fact]
    public void GivenARequestIdReused_WhenRefused_ThenAbdm1064Conflict_KeepingTheGatewayCode()
    {
        var error = AbdmRequestRules.DuplicateRequestId();

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal("REQUEST_ID_REUSED", error.Code);
        Assert.Equal(AbdmErrors.DuplicateRequestId, AbdmErrors.AbdmCodeFor(error));
    }

    private sealed record Message(string? RequestId, string? Timestamp, string Query) : IAbdmRequest;

    [Fact]
    public void GivenARetryStampedAgain_WhenFingerprinted_ThenItIsTheSameRequest()
    {
        // Found by the fault suite: a HIP re-sending its hip/on-request after a host restart, with a fresh timestamp,
        // was refused ABDM-1064 as "another request", and the transfer never heard from it.
        var first = AbdmRequestRules.Fingerprint(new Message(Id, At, "asha@sbx"));
        var retried = AbdmRequestRules.Fingerprint(new Message(Id, "2026-11-25T10:00:31.000Z", "asha@sbx"));

        Assert.Equal(first, retried);
    }

    [Fact]
    public void GivenAnotherPayloadUnderTheSameRequestId_WhenFingerprinted_ThenItDiffers()
    {
        var first = AbdmRequestRules.Fingerprint(new Message(Id, At, "asha@sbx"));
        var other = AbdmRequestRules.Fingerprint(new Message(Id, At, "ravi@sbx"));

        Assert.NotEqual(first, other);
    }
}

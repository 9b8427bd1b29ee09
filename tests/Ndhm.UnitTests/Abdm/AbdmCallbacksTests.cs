using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Abdm;
using Ndhm.Core.Errors;
using Ndhm.Gateway.Abdm;
using Ndhm.Gateway.Callbacks;

namespace Ndhm.UnitTests.Abdm;

public sealed class AbdmCallbacksTests
{
    private readonly RecordingDispatcher dispatcher = new();
    private readonly AbdmCallbacks callbacks;

    public AbdmCallbacksTests()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, 123, TimeSpan.Zero));
        callbacks = new AbdmCallbacks(dispatcher, new AbdmSettings { CmId = "sbx" }, time);
    }

    private enum Mode
    {
        [JsonStringEnumMemberName("MOBILE_OTP")] MobileOtp,
    }

    [Fact]
    public async Task GivenAResult_WhenReplied_ThenAbdmEnvelopeWithRespAndTheHipHeaders()
    {
        await callbacks.ReplyAsync(AbdmParty.Hip("city", "IN3610000001"), "/v0.5/users/auth/on-fetch-modes", "5f7a535d-a3fd-416b-b069-c97d021fbacd",
            new { auth = new { purpose = "LINK", modes = new[] { Mode.MobileOtp } }, ignoredNull = (string?)null }, CancellationToken.None);

        var sent = Assert.Single(dispatcher.Sent);
        Assert.Equal("city", sent.PartnerId);
        Assert.Equal("/v0.5/users/auth/on-fetch-modes", sent.Path);
        Assert.Equal("5f7a535d-a3fd-416b-b069-c97d021fbacd", sent.AnswersRequestId);
        var body = JsonDocument.Parse(sent.Body).RootElement;
        Assert.Equal(new Dictionary<string, string> { ["X-CM-ID"] = "sbx", ["X-HIP-ID"] = "IN3610000001", ["REQUEST-ID"] = body.GetProperty("requestId").GetString()! },
            sent.Headers);
        Assert.True(Guid.TryParse(body.GetProperty("requestId").GetString(), out _));
        Assert.Equal("2026-11-25T10:00:00.123Z", body.GetProperty("timestamp").GetString());
        Assert.Equal("MOBILE_OTP", body.GetProperty("auth").GetProperty("modes")[0].GetString());
        Assert.Equal("5f7a535d-a3fd-416b-b069-c97d021fbacd", body.GetProperty("resp").GetProperty("requestId").GetString());
        Assert.False(body.TryGetProperty("error", out _));
        Assert.False(body.TryGetProperty("ignoredNull", out _));
    }

    [Fact]
    public async Task GivenAnError_WhenReplied_ThenErrorCodeAndMessageAndTheHiuHeader()
    {
        await callbacks.ReplyErrorAsync(AbdmParty.Hiu("clinic", "clinic"), "/v0.5/patients/on-find", "5f7a535d-a3fd-416b-b069-c97d021fbacd",
            AbdmErrors.Invalid(AbdmErrors.InvalidPatient, "ABHA_NOT_FOUND", "Invalid ABHA Number or ABHA Address"), CancellationToken.None);

        var sent = Assert.Single(dispatcher.Sent);
        Assert.Equal("clinic", sent.Headers!["X-HIU-ID"]);
        Assert.False(sent.Headers.ContainsKey("X-HIP-ID"));
        var error = JsonDocument.Parse(sent.Body).RootElement.GetProperty("error");
        Assert.Equal("ABDM-1051", error.GetProperty("code").GetString());
        Assert.Equal("Invalid ABHA Number or ABHA Address", error.GetProperty("message").GetString());
        Assert.Equal("ABHA_NOT_FOUND", error.GetProperty("ndhmCode").GetString());
    }

    [Fact]
    public async Task GivenAResultNamingEnvelopeFields_WhenReplied_ThenTheEnvelopeIsNotOverwritten()
    {
        await callbacks.ReplyAsync(AbdmParty.Hiu("clinic", "clinic"), "/v0.5/x", "5f7a535d-a3fd-416b-b069-c97d021fbacd",
            new { requestId = "forged", resp = new { requestId = "forged" }, status = "OK" }, CancellationToken.None);

        var body = JsonDocument.Parse(Assert.Single(dispatcher.Sent).Body).RootElement;
        Assert.NotEqual("forged", body.GetProperty("requestId").GetString());
        Assert.Equal("5f7a535d-a3fd-416b-b069-c97d021fbacd", body.GetProperty("resp").GetProperty("requestId").GetString());
        Assert.Equal("OK", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task GivenANotification_WhenSent_ThenItsOwnRequestIdAndNoResp()
    {
        await callbacks.NotifyAsync(AbdmParty.Hip("city", "IN3610000001"), "/v0.5/users/auth/notify", "0f7a535d-a3fd-416b-b069-c97d021fbacd",
            new { auth = new { status = "GRANTED" } }, CancellationToken.None);

        var body = JsonDocument.Parse(Assert.Single(dispatcher.Sent).Body).RootElement;
        Assert.Equal("0f7a535d-a3fd-416b-b069-c97d021fbacd", body.GetProperty("requestId").GetString());
        Assert.False(body.TryGetProperty("resp", out _));
    }

    private sealed record Sent(string PartnerId, string Path, string Body, string? AnswersRequestId, IReadOnlyDictionary<string, string>? Headers);

    private sealed class RecordingDispatcher : ICallbackDispatcher
    {
        public List<Sent> Sent { get; } = [];

        public Task<string> EnqueueAsync(string partnerId, string path, string body, string? answersRequestId,
            IReadOnlyDictionary<string, string>? headers, CancellationToken ct)
        {
            Sent.Add(new Sent(partnerId, path, body, answersRequestId, headers));
            return Task.FromResult(Guid.NewGuid().ToString());
        }
    }
}

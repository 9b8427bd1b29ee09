using Ndhm.UnitTests.RateLimits;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.HealthId;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;

namespace Ndhm.UnitTests.HealthId;

/// <summary>In-memory stores that honour If-Match like Cosmos, and round-trip through JSON like a real store.</summary>
internal sealed class InMemoryDocuments<T>(Func<T, string> idOf) where T : class
{
    private readonly Dictionary<string, (string Json, string ETag)> documents = new();
    private int version;

    public int Count => documents.Count;

    public IEnumerable<T> All => documents.Values.Select(d => JsonSerializer.Deserialize<T>(d.Json, NdhmJson.Options)!);

    public Versioned<T>? Find(string id) =>
        documents.TryGetValue(id, out var d) ? new Versioned<T>(JsonSerializer.Deserialize<T>(d.Json, NdhmJson.Options)!, d.ETag) : null;

    public string Save(T document, string? ifMatch, bool create)
    {
        var id = idOf(document);
        var exists = documents.TryGetValue(id, out var current);
        if ((create && exists) || (!create && (!exists || current.ETag != ifMatch)))
            throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "Concurrent update");
        var etag = $"\"{++version}\"";
        documents[id] = (JsonSerializer.Serialize(document, NdhmJson.Options), etag);
        return etag;
    }
}

internal sealed class InMemoryOtpTransactions : IOtpTransactionStore
{
    public InMemoryDocuments<OtpTransaction> Documents { get; } = new(t => t.Id);

    public Task<Versioned<OtpTransaction>?> FindAsync(string txnId, CancellationToken ct) => Task.FromResult(Documents.Find(txnId));
    public Task<string> CreateAsync(OtpTransaction transaction, CancellationToken ct) => Task.FromResult(Documents.Save(transaction, null, create: true));
    public Task<string> ReplaceAsync(OtpTransaction transaction, string ifMatch, CancellationToken ct) =>
        Task.FromResult(Documents.Save(transaction, ifMatch, create: false));
}

internal sealed class InMemoryOtpWindows : IMobileOtpWindowStore
{
    public InMemoryDocuments<MobileOtpWindow> Documents { get; } = new(w => w.Id);

    public Task<Versioned<MobileOtpWindow>?> FindAsync(string mobileHash, CancellationToken ct) => Task.FromResult(Documents.Find(mobileHash));
    public Task<string> SaveAsync(MobileOtpWindow window, string? ifMatch, CancellationToken ct) =>
        Task.FromResult(Documents.Save(window, ifMatch, create: ifMatch is null));
}

internal sealed class RecordingSender : IOtpSender
{
    public List<OtpDelivery> Sent { get; } = [];

    public Task SendAsync(OtpDelivery delivery, CancellationToken ct)
    {
        Sent.Add(delivery);
        return Task.CompletedTask;
    }
}

public class OtpServiceTests
{
    private static readonly MobileNumber Mobile = MobileNumber.Parse("9000000001");
    private readonly FakeTimeProvider time = Clock.New();
    private readonly InMemoryOtpTransactions transactions = new();
    private readonly InMemoryOtpWindows windows = new();
    private readonly RecordingSender sender = new();
    private readonly OtpService service;

    public OtpServiceTests()
    {
        var keys = new FixedKeySource();
        service = new OtpService(transactions, windows, sender, new HmacOtpHasher(keys), new HmacIdentityHasher(keys),
            new SeededRandom(5), time, new OtpTargetLimits(new InMemoryRateLimiter(time), InMemoryRateLimiter.Generous, new HmacIdentityHasher(keys)));
    }

    private string LastOtp => sender.Sent[^1].Otp;
    private static string Wrong(string otp) => otp == "000000" ? "111111" : "000000";

    [Fact]
    public async Task GivenARequest_ThenTheOtpIsSentStoredOnlyAsAHashAndVerifiesOnce()
    {
        var issued = await service.RequestAsync(OtpPurpose.MobileEnrolment, Mobile, null, null, CancellationToken.None);

        Assert.Equal("OTP is sent to Mobile number ending with ******0001", issued.Message);
        Assert.Equal(Clock.Start.AddMinutes(10), issued.ExpiresAt);
        Assert.Equal(issued.TxnId, sender.Sent.Single().TxnId);
        Assert.NotEqual(LastOtp, transactions.Documents.Find(issued.TxnId)!.Value.OtpHash);

        var txn = await service.VerifyAsync(issued.TxnId, OtpPurpose.MobileEnrolment, LastOtp, CancellationToken.None);

        Assert.Equal(OtpTransactionStatus.Verified, txn.Status);
        Assert.Equal(txn.DestinationHash, txn.TargetHash);
        var replay = await Assert.ThrowsAsync<DomainException>(() =>
            service.VerifyAsync(issued.TxnId, OtpPurpose.MobileEnrolment, LastOtp, CancellationToken.None));
        Assert.Equal(HealthIdErrors.OtpAlreadyUsed, replay.Code);
        await service.RequireVerifiedAsync(issued.TxnId, OtpPurpose.MobileEnrolment, CancellationToken.None);
    }

    [Fact]
    public async Task GivenAWrongOtp_ThenTheSpentAttemptIsSavedBeforeTheErrorIsThrown()
    {
        var issued = await service.RequestAsync(OtpPurpose.Login, Mobile, null, null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            service.VerifyAsync(issued.TxnId, OtpPurpose.Login, Wrong(LastOtp), CancellationToken.None));

        Assert.Equal(HealthIdErrors.OtpInvalid, error.Code);
        Assert.Equal(2, error.Extensions["attemptsLeft"]);
        Assert.Equal(1, transactions.Documents.Find(issued.TxnId)!.Value.Attempts);
    }

    [Fact]
    public async Task GivenAMalformedOtp_ThenNoAttemptIsSpent()
    {
        var issued = await service.RequestAsync(OtpPurpose.Login, Mobile, null, null, CancellationToken.None);
        var error = await Assert.ThrowsAsync<DomainException>(() =>
            service.VerifyAsync(issued.TxnId, OtpPurpose.Login, "12ab", CancellationToken.None));
        Assert.Equal(HealthIdErrors.OtpInvalid, error.Code);
        Assert.Equal(0, transactions.Documents.Find(issued.TxnId)!.Value.Attempts);
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("8ef0d735-8541-4e9b-a215-6d45a59d2017")]
    [InlineData("")]
    public async Task GivenAnUnknownTxnId_ThenTxnNotFound(string txnId)
    {
        var error = await Assert.ThrowsAsync<DomainException>(() =>
            service.VerifyAsync(txnId, OtpPurpose.Login, "123456", CancellationToken.None));
        Assert.Equal(HealthIdErrors.TxnNotFound, error.Code);
        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task GivenATransactionForAnotherPurpose_ThenTxnNotFound()
    {
        var issued = await service.RequestAsync(OtpPurpose.MobileEnrolment, Mobile, null, null, CancellationToken.None);
        var error = await Assert.ThrowsAsync<DomainException>(() =>
            service.VerifyAsync(issued.TxnId, OtpPurpose.MobileUpdate, LastOtp, CancellationToken.None));
        Assert.Equal(HealthIdErrors.TxnNotFound, error.Code);
    }

    [Fact]
    public async Task GivenFiveRequestsForOneMobileInAnHour_ThenTheSixthIsRateLimitedAndNothingIsSent()
    {
        for (var i = 0; i < 5; i++)
        {
            await service.RequestAsync(OtpPurpose.Login, MobileNumber.Parse("+91 90000 00001"), null, null, CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            service.RequestAsync(OtpPurpose.MobileEnrolment, Mobile, null, null, CancellationToken.None));

        Assert.Equal(HealthIdErrors.OtpRateLimited, error.Code);
        Assert.Equal(55 * 60, error.RetryAfterSeconds);
        Assert.Equal(5, sender.Sent.Count);
        await service.RequestAsync(OtpPurpose.Login, MobileNumber.Parse("9000000002"), null, null, CancellationToken.None);
    }

    [Fact]
    public async Task Resend_CountsAgainstTheMobileWindowAndWaitsAMinute()
    {
        var issued = await service.RequestAsync(OtpPurpose.MobileEnrolment, Mobile, null, null, CancellationToken.None);
        var tooSoon = await Assert.ThrowsAsync<DomainException>(() => service.ResendAsync(issued.TxnId, OtpPurpose.MobileEnrolment, Mobile, CancellationToken.None));
        Assert.Equal(HealthIdErrors.OtpResendTooSoon, tooSoon.Code);
        Assert.Equal(60, tooSoon.RetryAfterSeconds);

        time.Advance(TimeSpan.FromSeconds(60));
        var first = LastOtp;
        await service.ResendAsync(issued.TxnId, OtpPurpose.MobileEnrolment, Mobile, CancellationToken.None);

        Assert.Equal(2, sender.Sent.Count);
        Assert.Equal(3, windows.Documents.Find(transactions.Documents.Find(issued.TxnId)!.Value.DestinationHash)!.Value.Remaining(time));
        if (first != LastOtp)
        {
            await Assert.ThrowsAsync<DomainException>(() =>
                service.VerifyAsync(issued.TxnId, OtpPurpose.MobileEnrolment, first, CancellationToken.None));
        }
        await service.VerifyAsync(issued.TxnId, OtpPurpose.MobileEnrolment, LastOtp, CancellationToken.None);
    }

    [Fact]
    public async Task Resend_ToADifferentMobile_IsRefusedAsIfTheTransactionDidNotExist()
    {
        var issued = await service.RequestAsync(OtpPurpose.AadhaarEnrolment, Mobile, "aadhaar-hash", null, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(2));

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            service.ResendAsync(issued.TxnId, OtpPurpose.AadhaarEnrolment, MobileNumber.Parse("9888888888"), CancellationToken.None));

        Assert.Equal(HealthIdErrors.TxnNotFound, error.Code);
        Assert.Single(sender.Sent);
    }

    [Fact]
    public async Task Resend_OfATransactionOfAnotherPurposeAccountOrTarget_IsRefusedAsIfItDidNotExist()
    {
        var number = AbhaNumber.Parse("91-6285-4575-5116");
        var login = await service.RequestAsync(OtpPurpose.Login, Mobile, null, number, CancellationToken.None);
        var aadhaar = await service.RequestAsync(OtpPurpose.AadhaarEnrolment, Mobile, "aadhaar-hash", null, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(2));

        var purpose = await Assert.ThrowsAsync<DomainException>(() =>
            service.ResendAsync(login.TxnId, OtpPurpose.MobileEnrolment, Mobile, CancellationToken.None));
        var account = await Assert.ThrowsAsync<DomainException>(() =>
            service.ResendAsync(login.TxnId, OtpPurpose.Login, Mobile, AbhaNumber.Parse("91-5408-0214-0264"), null, CancellationToken.None));
        var target = await Assert.ThrowsAsync<DomainException>(() =>
            service.ResendAsync(aadhaar.TxnId, OtpPurpose.AadhaarEnrolment, Mobile, null, "other-aadhaar-hash", CancellationToken.None));
        await service.ResendAsync(aadhaar.TxnId, OtpPurpose.AadhaarEnrolment, Mobile, null, "aadhaar-hash", CancellationToken.None);

        Assert.All(new[] { purpose, account, target }, e => Assert.Equal(HealthIdErrors.TxnNotFound, e.Code));
        Assert.Equal(3, sender.Sent.Count);
    }

    [Fact]
    public async Task Verify_OfAnotherAccountsTransaction_IsTxnNotFoundAndSpendsNoAttempt()
    {
        var issued = await service.RequestAsync(OtpPurpose.AccountDeletion, Mobile, null, AbhaNumber.Parse("91-6285-4575-5116"),
            CancellationToken.None);

        var error = await Assert.ThrowsAsync<DomainException>(() => service.VerifyAsync(issued.TxnId, OtpPurpose.AccountDeletion,
            Wrong(LastOtp), AbhaNumber.Parse("91-5408-0214-0264"), CancellationToken.None));

        Assert.Equal(HealthIdErrors.TxnNotFound, error.Code);
        Assert.Equal(0, transactions.Documents.Find(issued.TxnId)!.Value.Attempts);
    }

    [Fact]
    public async Task GivenAnAadhaarOtp_ThenTheTransactionProvesTheAadhaarHashNotTheMobile()
    {
        var issued = await service.RequestAsync(OtpPurpose.AadhaarEnrolment, Mobile, "aadhaar-hash", null, CancellationToken.None);
        var txn = await service.VerifyAsync(issued.TxnId, OtpPurpose.AadhaarEnrolment, LastOtp, CancellationToken.None);
        Assert.Equal("aadhaar-hash", txn.TargetHash);
        Assert.NotEqual("aadhaar-hash", txn.DestinationHash);
    }
}

using System.Text.Json.Serialization;
using Ndhm.Core.Errors;

namespace Ndhm.HealthId.Otp;

/// <summary>
/// The OTP requests sent to one mobile within the last <see cref="OtpPolicy.RateWindow"/> (a sliding window):
/// at most <see cref="OtpPolicy.MaxRequestsPerMobile"/>, counting first sends and resends alike. Keeps SMS
/// bombing and OTP guessing across many transactions bounded per person, not per transaction.
/// One document per hashed mobile, replaced with ETag If-Match.
/// </summary>
public sealed class MobileOtpWindow
{
    private readonly List<DateTimeOffset> requests;

    [JsonConstructor]
    public MobileOtpWindow(string id, string pk, string mobileHash, IReadOnlyList<DateTimeOffset>? requests, int? ttl)
    {
        Id = id;
        Pk = pk;
        MobileHash = mobileHash;
        this.requests = requests?.OrderBy(r => r).ToList() ?? [];
        Ttl = ttl;
    }

    /// <summary>Document id: the mobile's keyed hash.</summary>
    public string Id { get; }

    /// <summary>Partition key: the mobile's keyed hash.</summary>
    public string Pk { get; }

    public string MobileHash { get; }

    /// <summary>When each request in the window was accepted, oldest first.</summary>
    public IReadOnlyList<DateTimeOffset> Requests => requests;

    /// <summary>Cosmos time-to-live in seconds: an idle window disappears once it could hold nothing.</summary>
    public int? Ttl { get; private set; }

    public static MobileOtpWindow Open(string mobileHash, OtpPolicy? policy = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mobileHash);
        return new MobileOtpWindow(mobileHash, mobileHash, mobileHash, [],
            (int)(policy ?? OtpPolicy.Default).RateWindow.TotalSeconds);
    }

    /// <summary>Requests still allowed right now.</summary>
    public int Remaining(TimeProvider time, OtpPolicy? policy = null)
    {
        policy ??= OtpPolicy.Default;
        var since = time.GetUtcNow() - policy.RateWindow;
        return Math.Max(0, policy.MaxRequestsPerMobile - requests.Count(r => r > since));
    }

    /// <summary>
    /// Counts one OTP request, or throws OTP_RATE_LIMITED (TooManyRequests, RetryAfterSeconds = until the oldest
    /// request leaves the window). A refused request changes nothing worth saving.
    /// </summary>
    public void RecordRequest(TimeProvider time, OtpPolicy? policy = null)
    {
        policy ??= OtpPolicy.Default;
        var now = time.GetUtcNow();
        requests.RemoveAll(r => r <= now - policy.RateWindow);
        if (requests.Count >= policy.MaxRequestsPerMobile)
        {
            var wait = requests[0] + policy.RateWindow - now;
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            throw new DomainException(ErrorKind.TooManyRequests, HealthIdErrors.OtpRateLimited, "Too many OTP requests",
                $"At most {policy.MaxRequestsPerMobile} OTPs are sent to one mobile number per {(int)policy.RateWindow.TotalMinutes} minutes; try again in {seconds} seconds.")
            {
                RetryAfterSeconds = seconds,
            };
        }
        requests.Add(now);
        Ttl = (int)policy.RateWindow.TotalSeconds;
    }
}

using Microsoft.Extensions.Time.Testing;
using Ndhm.Audit;
using Ndhm.Core.RateLimits;
using Ndhm.Core.Security.Tokens;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Kyc;
using Ndhm.HealthId.Login;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;
using Ndhm.HealthId.Verification;
using Ndhm.UnitTests.RateLimits;
using Ndhm.UnitTests.Security.Tokens;

namespace Ndhm.UnitTests.HealthId;

/// <summary>The Health ID domain services over the in-memory stores, wired as the host wires them.</summary>
internal sealed class HealthIdRig
{
    /// <param name="limits">The abuse limits (default: all raised out of the way).</param>
    public HealthIdRig(FakeTimeProvider time, OtpPolicy? policy = null, RateLimitPolicies? limits = null)
    {
        var keys = new FixedKeySource();
        var hasher = new HmacIdentityHasher(keys);
        Limiter = new InMemoryRateLimiter(time);
        Otp = new OtpService(Transactions, new InMemoryOtpWindows(), Sender, new HmacOtpHasher(keys), hasher,
            new SeededRandom(21), time, new OtpTargetLimits(Limiter, limits ?? InMemoryRateLimiter.Generous, hasher), policy);
        Kyc = new SimulatedAadhaarKyc(new SimulatedKycProvider(), Otp, hasher);
        Enrolment = new AbhaEnrolmentService(Kyc, Otp, new AbhaNumberAllocator(new AbhaNumberGenerator(new SeededRandom(4)), Reservations),
            Accounts, Claims, hasher, new AbhaAddressOptions(), time, new HealthIdAudit(Audit, new NoCurrentActor()));
        Lifecycle = new AbhaAccountService(Accounts, Claims, Otp, time, new HealthIdAudit(Audit, new NoCurrentActor()));
        Lookup = new AbhaAccountLookup(Accounts, Claims, new AbhaAddressOptions());
        var tokens = new TokenOptions { Issuer = "https://ndhm.example.in" };
        Sessions = new PatientSessions(new JwtIssuer(SigningKeys, tokens, time), new JwtValidator(SigningKeys, tokens, time),
            PatientSessionLifetimes.Default, RefreshFamilies, time);
        Login = new AbhaLoginService(Lookup, Otp, hasher, Sessions, new HealthIdAudit(Audit, new NoCurrentActor()), Latency);
        Hasher = hasher;
    }

    public InMemoryRateLimiter Limiter { get; }
    public InMemoryPatientRefreshStore RefreshFamilies { get; } = new();
    public InMemorySigningKeys SigningKeys { get; } = new();
    public UniformLatency Latency { get; } = new(TimeProvider.System);
    public AbhaAccountLookup Lookup { get; }
    public PatientSessions Sessions { get; }
    public AbhaLoginService Login { get; }
    public IIdentityHasher Hasher { get; }
    public InMemoryOtpTransactions Transactions { get; } = new();

    public RecordingAuditTrail Audit { get; } = new();

    public RecordingSender Sender { get; } = new();
    public InMemoryAccounts Accounts { get; } = new();
    public InMemoryClaims Claims { get; } = new();
    public InMemoryReservations Reservations { get; } = new();
    public OtpService Otp { get; }
    public SimulatedAadhaarKyc Kyc { get; }
    public AbhaEnrolmentService Enrolment { get; }
    public AbhaAccountService Lifecycle { get; }

    /// <summary>The code of the OTP sent last.</summary>
    public string LastOtp => Sender.Sent[^1].Otp;
}

/// <summary>The audit trail as a list of the events recorded (the chain itself is tested in the Audit tests).</summary>
internal sealed class RecordingAuditTrail : IAuditTrail
{
    public List<AuditEvent> Events { get; } = [];

    /// <summary>When set, every write fails as a store outage would.</summary>
    public bool Unavailable { get; set; }

    public Task<AuditEntry> RecordAsync(AuditEvent auditEvent, CancellationToken ct)
    {
        if (Unavailable) throw new InvalidOperationException("audit store unavailable");
        Events.Add(auditEvent);
        return Task.FromResult(AuditEntry.From(auditEvent, Events.Count, AuditHashing.Genesis, DateTimeOffset.UnixEpoch));
    }
}

internal sealed class NoCurrentActor : ICurrentAuditActor
{
    public AuditActor? Current => null;
}

using Microsoft.Extensions.Time.Testing;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Kyc;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;

namespace Ndhm.UnitTests.HealthId;

/// <summary>The Health ID domain services over the in-memory stores, wired as the host wires them.</summary>
internal sealed class HealthIdRig
{
    public HealthIdRig(FakeTimeProvider time, OtpPolicy? policy = null)
    {
        var keys = new FixedKeySource();
        var hasher = new HmacIdentityHasher(keys);
        Otp = new OtpService(new InMemoryOtpTransactions(), new InMemoryOtpWindows(), Sender, new HmacOtpHasher(keys), hasher,
            new SeededRandom(21), time, policy);
        Kyc = new SimulatedAadhaarKyc(new SimulatedKycProvider(), Otp, hasher);
        Enrolment = new AbhaEnrolmentService(Kyc, Otp, new AbhaNumberAllocator(new AbhaNumberGenerator(new SeededRandom(4)), Reservations),
            Accounts, Claims, hasher, new AbhaAddressOptions(), time);
        Lifecycle = new AbhaAccountService(Accounts, Claims, Otp, time);
    }

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

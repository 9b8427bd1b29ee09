using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.HealthId;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;

namespace Ndhm.UnitTests.HealthId;

public class AbhaAccountTests
{
    private readonly FakeTimeProvider time = Clock.New();

    private static AbhaAddress Address(string handle) => AbhaAddress.Parse(handle, "sbx");

    private AbhaAccount AadhaarVerified() => TestAccounts.RaviKumar(time);

    private AbhaAccount MobileOnly() => AbhaAccount.Enrol(new AbhaEnrolment
    {
        AbhaNumber = AbhaNumber.Parse("91-5408-0214-0264"),
        Name = PersonName.Create("Asha"),
        Gender = Gender.F,
        DateOfBirth = DateOfBirth.Create(1990, null, null, new DateOnly(2026, 11, 25)),
        KycStatus = KycStatus.Unverified,
        Mobile = MobileNumber.Parse("9000000001"),
        MobileHash = "mobile-hash-2",
        MobileVerified = true,
    }, time);

    [Fact]
    public void Enrol_OpensAnActiveAccountKeyedByTheNumber()
    {
        var account = AadhaarVerified();
        Assert.Equal("91628545755116", account.Id);
        Assert.Equal("91628545755116", account.Pk);
        Assert.Equal(AbhaStatus.Active, account.Status);
        Assert.Equal("Ravi@example.com", account.Email);
        Assert.Equal(Clock.Start, account.CreatedAt);
        Assert.Null(account.PreferredAbhaAddress);
    }

    [Fact]
    public void Enrol_MobileOnlyWithoutAVerifiedMobile_IsRefused() =>
        Assert.Throws<ArgumentException>(() => AbhaAccount.Enrol(new AbhaEnrolment
        {
            AbhaNumber = AbhaNumber.Parse("91-5408-0214-0264"),
            Name = PersonName.Create("Asha"),
            Gender = Gender.F,
            DateOfBirth = new DateOfBirth(1990),
            KycStatus = KycStatus.Unverified,
            Mobile = MobileNumber.Parse("9000000001"),
            MobileHash = "h",
            MobileVerified = false,
        }, time));

    [Fact]
    public void GivenNoAddress_WhenOneIsAddedNotPreferred_ThenItBecomesPreferredAnyway()
    {
        var account = AadhaarVerified();
        account.AddAddress(Address("ravi.kumar"), preferred: false, time);
        Assert.Equal(Address("ravi.kumar"), account.PreferredAbhaAddress);
    }

    [Fact]
    public void GivenSeveralAddresses_ExactlyOneIsPreferredAfterEveryChange()
    {
        var account = AadhaarVerified();
        account.AddAddress(Address("ravi.kumar"), preferred: false, time);
        account.AddAddress(Address("ravi_kumar1985"), preferred: true, time);
        Assert.Single(account.AbhaAddresses, a => a.Preferred);
        Assert.Equal(Address("ravi_kumar1985"), account.PreferredAbhaAddress);

        account.AddAddress(Address("ravikumar1985"), preferred: false, time);
        account.SetPreferredAddress(Address("RAVI.KUMAR"), time);

        Assert.Equal(3, account.AbhaAddresses.Count);
        Assert.Single(account.AbhaAddresses, a => a.Preferred);
        Assert.Equal(Address("ravi.kumar"), account.PreferredAbhaAddress);
    }

    [Fact]
    public void AddAddress_Twice_IsAConflict()
    {
        var account = AadhaarVerified();
        account.AddAddress(Address("ravi.kumar"), true, time);
        var error = Assert.Throws<DomainException>(() => account.AddAddress(Address("Ravi.Kumar"), false, time));
        Assert.Equal(ErrorKind.Conflict, error.Kind);
    }

    [Fact]
    public void SetPreferredAddress_ThatIsNotLinked_IsRefused()
    {
        var account = AadhaarVerified();
        account.AddAddress(Address("ravi.kumar"), true, time);
        var error = Assert.Throws<DomainException>(() => account.SetPreferredAddress(Address("someone.else"), time));
        Assert.Equal(HealthIdErrors.AbhaAddressNotLinked, error.Code);
        Assert.Equal(Address("ravi.kumar"), account.PreferredAbhaAddress);
    }

    [Fact]
    public void UpdateProfile_OfAnAadhaarVerifiedAccount_MayChangeContactsButNotDemographics()
    {
        var account = AadhaarVerified();
        time.Advance(TimeSpan.FromDays(1));

        account.UpdateProfile(new AbhaProfileUpdate { Email = "ravi.k@example.org" }, time);
        var error = Assert.Throws<DomainException>(() =>
            account.UpdateProfile(new AbhaProfileUpdate { Name = PersonName.Create("Rav") }, time));

        Assert.Equal("ravi.k@example.org", account.Email);
        Assert.Equal(Clock.Start.AddDays(1), account.UpdatedAt);
        Assert.Equal(HealthIdErrors.ProfileFieldLocked, error.Code);
        Assert.Equal("Ravi", account.Name!.FirstName);
    }

    [Fact]
    public void UpdateProfile_OfAMobileOnlyAccount_MayChangeDemographics()
    {
        var account = MobileOnly();
        account.UpdateProfile(new AbhaProfileUpdate
        {
            Name = PersonName.Create("Asha", null, "Verma"),
            DateOfBirth = DateOfBirth.Create(1990, 4, 12, new DateOnly(2026, 11, 25)),
        }, time);
        Assert.Equal("Asha Verma", account.Name!.FullName);
        Assert.Equal("12-04-1990", account.DateOfBirth!.ToAbdmString());
    }

    [Fact]
    public void GivenAnActiveAccount_WhenDeactivatedAndReactivated_ThenItIsActiveAgain()
    {
        var account = AadhaarVerified();
        account.Deactivate(time);
        Assert.Equal(AbhaStatus.Deactivated, account.Status);
        Assert.Equal(HealthIdErrors.AccountDeactivated,
            Assert.Throws<DomainException>(() => account.AddAddress(Address("ravi.kumar"), true, time)).Code);
        Assert.Equal(HealthIdErrors.AccountStateInvalid, Assert.Throws<DomainException>(() => account.Deactivate(time)).Code);

        account.Reactivate(time);

        Assert.Equal(AbhaStatus.Active, account.Status);
        Assert.Null(account.DeactivatedAt);
        Assert.Equal(HealthIdErrors.AccountStateInvalid, Assert.Throws<DomainException>(() => account.Reactivate(time)).Code);
    }

    [Fact]
    public void GivenAnAccount_WhenErased_ThenNoPersonalDataRemainsAndTheNumberIsKeptAsDeleted()
    {
        var account = AadhaarVerified();
        account.AddAddress(Address("ravi.kumar"), true, time);
        account.AddAddress(Address("ravi_kumar1985"), false, time);
        time.Advance(TimeSpan.FromDays(30));

        var released = account.Erase(time);

        Assert.Equal([Address("ravi.kumar"), Address("ravi_kumar1985")], released);
        Assert.Equal(AbhaStatus.Deleted, account.Status);
        Assert.Equal(AbhaNumber.Parse("91628545755116"), account.AbhaNumber);
        Assert.Equal(time.GetUtcNow(), account.ErasedAt);
        Assert.Null(account.Name);
        Assert.Null(account.Gender);
        Assert.Null(account.DateOfBirth);
        Assert.Null(account.Mobile);
        Assert.Null(account.MobileHash);
        Assert.Null(account.Email);
        Assert.Null(account.Address);
        Assert.Null(account.AadhaarHash);
        Assert.Null(account.AssistedBy);
        Assert.Empty(account.AbhaAddresses);

        var json = JsonSerializer.Serialize(account, NdhmJson.Options);
        foreach (var personal in new[] { "Ravi", "Kumar", "9000000002", "example", "Rohtas", "821307", "aadhaar-hash", "mobile-hash", "worker-17", "1985" })
            Assert.DoesNotContain(personal, json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void GivenAnErasedAccount_EveryChangeIsGone()
    {
        var account = AadhaarVerified();
        account.Erase(time);
        Assert.Equal(ErrorKind.Gone, Assert.Throws<DomainException>(() => account.Reactivate(time)).Kind);
        Assert.Equal(ErrorKind.Gone, Assert.Throws<DomainException>(() => account.Erase(time)).Kind);
        Assert.Equal(HealthIdErrors.AccountDeleted,
            Assert.Throws<DomainException>(() => account.AddAddress(Address("ravi.kumar"), true, time)).Code);
    }

    [Fact]
    public void VerificationView_ShowsNameGenderYearAndStatus_AndNothingAfterErasure()
    {
        var account = AadhaarVerified();
        Assert.Equal(new AbhaVerificationView(account.AbhaNumber, "Ravi Shankar Kumar", Gender.M, 1985, AbhaStatus.Active),
            account.ToVerificationView());

        account.Erase(time);

        Assert.Equal(new AbhaVerificationView(account.AbhaNumber, null, null, null, AbhaStatus.Deleted), account.ToVerificationView());
    }

    [Fact]
    public void Profile_UsesAbdmFieldNamesWithThePreferredAddressFirst()
    {
        var account = AadhaarVerified();
        account.AddAddress(Address("ravi.kumar"), false, time);
        account.AddAddress(Address("ravi_kumar1985"), true, time);

        var json = JsonSerializer.Serialize(account.ToProfile(), NdhmJson.Options);

        Assert.Contains("\"ABHANumber\":\"91-6285-4575-5116\"", json);
        Assert.Contains("\"firstName\":\"Ravi\"", json);
        Assert.Contains("\"dob\":\"03-11-1985\"", json);
        Assert.Contains("\"gender\":\"M\"", json);
        Assert.Contains("\"phrAddress\":[\"ravi_kumar1985@sbx\",\"ravi.kumar@sbx\"]", json);
        Assert.Contains("\"preferredAbhaAddress\":\"ravi_kumar1985@sbx\"", json);
        Assert.Contains("\"pinCode\":\"821307\"", json);
        Assert.Contains("\"abhaStatus\":\"ACTIVE\"", json);
        Assert.Contains("\"kycVerified\":true", json);
    }

    [Fact]
    public void Account_RoundTripsThroughJson_WithAbdmStyleCodes()
    {
        var account = AadhaarVerified();
        account.AddAddress(Address("ravi.kumar"), true, time);
        account.AddAddress(Address("ravi_kumar1985"), false, time);

        var json = JsonSerializer.Serialize(account, NdhmJson.Options);
        var back = JsonSerializer.Deserialize<AbhaAccount>(json, NdhmJson.Options)!;

        Assert.Contains("\"id\":\"91628545755116\"", json);
        Assert.Contains("\"abhaNumber\":\"91-6285-4575-5116\"", json);
        Assert.Contains("\"gender\":\"M\"", json);
        Assert.Contains("\"status\":\"ACTIVE\"", json);
        Assert.Contains("\"kycStatus\":\"VERIFIED\"", json);
        Assert.Contains("\"address\":\"ravi.kumar@sbx\"", json);
        Assert.Equal(account.AbhaNumber, back.AbhaNumber);
        Assert.Equal(account.Name, back.Name);
        Assert.Equal(account.DateOfBirth, back.DateOfBirth);
        Assert.Equal(account.Mobile, back.Mobile);
        Assert.Equal(account.Address, back.Address);
        Assert.Equal(account.AbhaAddresses, back.AbhaAddresses);
        Assert.Equal(Address("ravi.kumar"), back.PreferredAbhaAddress);
        Assert.Equal(account.AssistedBy, back.AssistedBy);
    }
}

public class DemographicsTests
{
    private static readonly DateOnly Today = new(2026, 11, 25);

    [Theory]
    [InlineData(1899, null, null)]
    [InlineData(2027, null, null)]
    [InlineData(1990, 13, null)]
    [InlineData(1990, null, 5)]
    [InlineData(2023, 2, 29)]
    [InlineData(2026, 12, 1)]
    public void DateOfBirth_Invalid_FailsWithDobInvalid(int year, int? month, int? day) =>
        Assert.Equal(HealthIdErrors.DobInvalid,
            Assert.Throws<DomainException>(() => DateOfBirth.Create(year, month, day, Today)).Code);

    [Fact]
    public void DateOfBirth_YearAloneIsEnough() =>
        Assert.Equal("1958", DateOfBirth.Create(1958, null, null, Today).ToAbdmString());

    [Theory]
    [InlineData("", "required")]
    [InlineData("R4vi", "letters")]
    public void PersonName_Invalid_FailsWithNameInvalid(string first, string reason)
    {
        var error = Assert.Throws<DomainException>(() => PersonName.Create(first));
        Assert.Equal(HealthIdErrors.NameInvalid, error.Code);
        Assert.Contains(reason, error.Detail);
    }

    [Fact]
    public void PersonName_AcceptsIndianScriptsAndTrims() =>
        Assert.Equal("श्रुति शर्मा", PersonName.Create(" श्रुति ", "  ", "शर्मा").FullName);

    [Theory]
    [InlineData("012345")]
    [InlineData("82130")]
    [InlineData("82130A")]
    public void PostalAddress_WithABadPinCode_FailsWithPincodeInvalid(string pin) =>
        Assert.Equal(HealthIdErrors.PincodeInvalid,
            Assert.Throws<DomainException>(() => PostalAddress.Create("line", null, null, pin)).Code);

    [Theory]
    [InlineData("no-at-sign")]
    [InlineData("a@b")]
    [InlineData("a b@example.com")]
    [InlineData("a@@example.com")]
    public void Email_Invalid_FailsWithEmailInvalid(string email) =>
        Assert.Equal(HealthIdErrors.EmailInvalid, Assert.Throws<DomainException>(() => EmailAddress.Normalise(email)).Code);

    [Theory]
    [InlineData("m", Gender.M)]
    [InlineData("F", Gender.F)]
    [InlineData(" o ", Gender.O)]
    [InlineData("U", Gender.U)]
    public void Gender_ParsesAbdmCodes(string code, Gender expected) => Assert.Equal(expected, GenderCodes.Parse(code));

    [Fact]
    public void Gender_Unknown_FailsWithGenderInvalid() =>
        Assert.Equal(HealthIdErrors.GenderInvalid, Assert.Throws<DomainException>(() => GenderCodes.Parse("X")).Code);
}

using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Json;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Numbers;

namespace Ndhm.UnitTests.HealthId;

public class AbhaLookupViewTests
{
    private static readonly string[] Personal = ["Ravi", "Kumar", "9000000002", "example", "Rohtas", "821307", "1985", "ravi.kumar"];
    private readonly FakeTimeProvider time = Clock.New();

    private AbhaAccount Account()
    {
        var account = TestAccounts.RaviKumar(time);
        account.AddAddress(AbhaAddress.Parse("ravi.kumar", "sbx"), true, time);
        account.AddAddress(AbhaAddress.Parse("ravi_kumar1985", "sbx"), false, time);
        return account;
    }

    private static string Json(AbhaLookupView view) => JsonSerializer.Serialize(view, NdhmJson.Options);

    [Fact]
    public void GivenAnActiveAccount_TheViewHasWhatAVerifierSees_AndNoContacts()
    {
        var account = Account();

        var view = account.ToLookupView();

        Assert.Equal(new AbhaLookupView(account.AbhaNumber, AbhaStatus.Active, "Ravi Shankar Kumar", Gender.M, 1985,
            AbhaAddress.Parse("ravi.kumar", "sbx"), account.UpdatedAt), view);
        var json = Json(view);
        foreach (var contact in new[] { "9000000002", "mobile", "example", "Rohtas", "821307", "aadhaar" })
            Assert.DoesNotContain(contact, json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void GivenADeactivatedAccount_TheViewHasOnlyTheNumberAndStatus()
    {
        var account = Account();
        account.Deactivate(time);

        var view = account.ToLookupView();

        Assert.Equal(new AbhaLookupView(account.AbhaNumber, AbhaStatus.Deactivated, null, null, null, null, account.UpdatedAt), view);
        foreach (var personal in Personal)
            Assert.DoesNotContain(personal, Json(view), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void GivenAnErasedAccount_TheViewHasNothingPersonal()
    {
        var account = Account();
        account.Erase(time);

        var view = account.ToLookupView();

        Assert.Equal(AbhaStatus.Deleted, view.Status);
        Assert.Equal(account.AbhaNumber, view.AbhaNumber);
        foreach (var personal in Personal)
            Assert.DoesNotContain(personal, Json(view), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheView_RoundTripsThroughJson()
    {
        var view = Account().ToLookupView();

        var read = JsonSerializer.Deserialize<AbhaLookupView>(Json(view), NdhmJson.Options);

        Assert.Equal(view, read);
        Assert.Equal(view.ToVerificationView(), read!.ToVerificationView());
    }

    [Fact]
    public void ShouldReplace_AMissingView_AnOlderVersion_OrADifferentViewOfTheSameVersion_OfTheSameAccountOnly()
    {
        var account = Account();
        var older = account.ToLookupView();
        account.UpdateProfile(new AbhaProfileUpdate { Email = "new@example.com" }, time);
        var newer = account.ToLookupView();
        var someoneElse = newer with { AbhaNumber = AbhaNumber.Parse("91-5408-0214-0264"), AccountUpdatedAt = older.AccountUpdatedAt };

        Assert.True(newer.ShouldReplace(null));
        Assert.True(newer.ShouldReplace(older));
        Assert.False(newer.ShouldReplace(newer));
        Assert.False(older.ShouldReplace(newer));
        Assert.False(newer.ShouldReplace(someoneElse));
        Assert.True(newer.ShouldReplace(newer with { Status = AbhaStatus.Deactivated, Name = null }));
    }

    [Fact]
    public void EveryChange_MovesTheAccountVersionForward_EvenWhenTheClockDoesNot()
    {
        var account = Account();
        var versions = new List<DateTimeOffset> { account.UpdatedAt };

        account.Deactivate(time);
        versions.Add(account.UpdatedAt);
        account.Touch(time);
        versions.Add(account.UpdatedAt);
        account.Reactivate(time);
        versions.Add(account.UpdatedAt);
        account.SetPreferredAddress(AbhaAddress.Parse("ravi_kumar1985", "sbx"), time);
        versions.Add(account.UpdatedAt);

        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
    }
}

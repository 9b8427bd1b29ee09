using Ndhm.Analytics;
using Ndhm.IntegrationTests.Telemedicine;

namespace Ndhm.IntegrationTests.Analytics;

/// <summary>A teleconsultation held over the real host is one fact by specialty and mode, folded in by the refresh.</summary>
public sealed class TeleconsultationFactsTests(TelemedicineHostFixture sandbox) : IClassFixture<TelemedicineHostFixture>
{
    [Fact]
    public async Task GivenABookedConsultation_WhenTheDoctorStartsAndEndsIt_ThenOneFactBySpecialtyAndModeIsFoldedIn()
    {
        var doctor = await sandbox.DoctorAsync("Analytics Rao");
        var slots = await sandbox.PublishAsync(doctor, 1);
        var (patient, number) = await sandbox.PatientAsync();
        var id = await sandbox.BookAsync(patient, slots[0]);

        await sandbox.OkAsync(HttpMethod.Post, $"v1/telemedicine/consultations/{id}/start", doctor.Token);
        var beforeEnd = await AnalyticsOutbox.FindAsync(AnalyticsFactIds.For("teleconsultations", id));
        await sandbox.OkAsync(HttpMethod.Post, $"v1/telemedicine/consultations/{id}/end", doctor.Token,
            new { chiefComplaint = "Cough for a week", diagnosis = "Acute bronchitis", conditionCode = "10509002", advice = "Steam inhalation" });

        Assert.Null(beforeEnd);
        var fact = await AnalyticsOutbox.FactAsync(AnalyticsFactIds.For("teleconsultations", id));
        Assert.Equal(("general-medicine", "video", doctor.Facility),
            (AnalyticsOutbox.Dimension(fact, "specialty"), AnalyticsOutbox.Dimension(fact, "mode"), fact.GetProperty("facilityId").GetString()));
        Assert.DoesNotContain(number, fact.GetRawText());
        Assert.DoesNotContain("bronchitis", fact.GetRawText());
        var slice = await AnalyticsOutbox.FoldedAsync(fact);
        Assert.True(slice.Cells.TryGetValue(AnalyticsOutbox.Cell(fact), out var cell) && cell.Count >= 1, $"{slice.Key.Id} lacks {AnalyticsOutbox.Cell(fact)}");
        Assert.Contains(slice.Facilities.Keys, k => k.EndsWith("|" + doctor.Facility, StringComparison.Ordinal));
    }
}

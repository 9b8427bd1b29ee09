namespace Ndhm.DataTransfer.PatientPulls;

/// <summary>Settings of the patient's own pulls (section <c>PatientPulls</c>).</summary>
public sealed class PatientPullOptions
{
    /// <summary>The platform endpoint HIPs push to (<c>{host}/api/v1/phr/data-push</c>); absolute, https outside loopback.</summary>
    public string DataPushUrl { get; set; } = "http://localhost:7071/api/v1/phr/data-push";

    /// <summary>How long the key material is offered (a transfer completes within 2 hours).</summary>
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromHours(3);

    /// <summary>How long the pulled records are kept (the consent's dataEraseAt), from the ask.</summary>
    public TimeSpan KeepRecordsFor { get; set; } = TimeSpan.FromDays(3650);

    /// <summary>The earliest date asked for when the patient names none.</summary>
    public DateTimeOffset EarliestFrom { get; set; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
}

namespace Ndhm.Pharmacy;

/// <summary>Settings: <c>Pharmacy__PrescriptionValidityDays</c> (default 30), <c>Pharmacy__MaxBroadcastPharmacies</c> (default 20).</summary>
public sealed record PharmacyOptions
{
    public int PrescriptionValidityDays { get; init; } = 30;

    public int MaxBroadcastPharmacies { get; init; } = 20;
}

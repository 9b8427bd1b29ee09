using System.Globalization;
using Ndhm.HealthId.Accounts;

namespace Ndhm.HealthId.Cards;

/// <summary>
/// What the ABHA card shows, decided here and drawn by an <see cref="IAbhaCardPrinter"/>: the layout of the card
/// ABDM issues (name in English and, where e-KYC supplied it, in the person's language; ABHA number; ABHA address;
/// full date of birth; gender; the mobile masked; the photo or a placeholder; the signed QR).
/// </summary>
public sealed record AbhaCard
{
    public required string Name { get; init; }

    /// <summary>The name in the person's language, when known.</summary>
    public LocalName? LocalName { get; init; }

    /// <summary><c>XX-XXXX-XXXX-XXXX</c>.</summary>
    public required string AbhaNumber { get; init; }

    /// <summary>The preferred ABHA address, when one is linked.</summary>
    public string? AbhaAddress { get; init; }

    /// <summary><c>dd-MM-yyyy</c>, or only the known parts (<c>MM-yyyy</c>, <c>yyyy</c>).</summary>
    public string? DateOfBirth { get; init; }

    /// <summary>Male, Female, Other or Undisclosed.</summary>
    public string? Gender { get; init; }

    /// <summary>Only the last four digits shown (<c>******3210</c>): the card is shown to strangers.</summary>
    public string? Mobile { get; init; }

    /// <summary>The e-KYC photograph (JPEG); null draws a placeholder.</summary>
    public byte[]? Photo { get; init; }

    /// <summary>The QR code's content: the signed compact JWS (<see cref="AbhaCardService.SignQrPayloadAsync"/>).</summary>
    public required string QrPayload { get; init; }

    public static AbhaCard From(AbhaAccount account, string qrPayload)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new AbhaCard
        {
            Name = account.Name?.FullName ?? "",
            LocalName = account.LocalName,
            AbhaNumber = account.AbhaNumber.Formatted,
            AbhaAddress = account.PreferredAbhaAddress?.Value,
            DateOfBirth = account.DateOfBirth?.ToAbdmString(),
            Gender = account.Gender switch
            {
                Accounts.Gender.M => "Male",
                Accounts.Gender.F => "Female",
                Accounts.Gender.O => "Other",
                Accounts.Gender.U => "Undisclosed",
                _ => null,
            },
            Mobile = account.Mobile?.Masked,
            Photo = account.Photo,
            QrPayload = qrPayload,
        };
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"ABHA card {AbhaNumber}");
}

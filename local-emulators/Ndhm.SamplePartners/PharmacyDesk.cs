using System.Globalization;
using System.Text.Json;

namespace Ndhm.SamplePartners;

/// <summary>
/// The sample pharmacy's counter software: when a patient shares a prescription with it (<c>on-share</c>) it reads the
/// share with its own session, checks the signed document is there and quotes every line from its price list; when the
/// patient orders (<c>on-status</c> PLACED) it accepts, packs, dispatches and delivers, one step per applied change the
/// platform reports, as a real pharmacy's order screen would move it along.
/// </summary>
public sealed class PharmacyDesk(SamplePartner partner)
{
    /// <summary>Rupees per unit; drugs not listed cost <see cref="DefaultUnitPrice"/>.</summary>
    private static readonly Dictionary<string, decimal> PriceList = new(StringComparer.Ordinal)
    {
        ["SAMPLE-PCM-500-TAB"] = 1.20m,
        ["SAMPLE-AMOX-500-CAP"] = 6.50m,
        ["SAMPLE-ORS-21-SACHET"] = 21.00m,
    };

    private const decimal DefaultUnitPrice = 2.50m;

    /// <summary>What comes after each order state the platform reports (the pharmacy's own steps).</summary>
    private static readonly Dictionary<string, string> NextStep = new(StringComparer.Ordinal)
    {
        ["PLACED"] = "ACCEPTED",
        ["ACCEPTED"] = "PACKED",
        ["PACKED"] = "DISPATCHED",
        ["DISPATCHED"] = "DELIVERED",
    };

    public IReadOnlyDictionary<string, Func<JsonElement, CancellationToken, Task>> Handlers => new Dictionary<string, Func<JsonElement, CancellationToken, Task>>(StringComparer.Ordinal)
    {
        ["/v1/pharmacy/prescriptions/on-share"] = QuoteAsync,
        ["/v1/pharmacy/orders/on-status"] = AdvanceAsync,
    };

    private async Task QuoteAsync(JsonElement body, CancellationToken ct)
    {
        var shareId = body.GetProperty("shareId").GetString()!;
        var pharmacyId = body.GetProperty("pharmacyId").GetString()!;
        var shared = (await partner.PlatformAsync(HttpMethod.Get, $"api/v1/pharmacy/prescription-shares/{Uri.EscapeDataString(shareId)}", null, ct))
            .EnsureOk($"{partner.ClientId} read share {shareId}").Json;
        var prescription = shared.GetProperty("prescription");
        if (!prescription.GetProperty("document").TryGetProperty("signature", out _))
            throw new InvalidOperationException($"share {shareId}: the prescription document carries no signature; not dispensing from it");
        var lines = prescription.GetProperty("items").EnumerateArray().Select(i => new
        {
            line = i.GetProperty("line").GetInt32(),
            available = true,
            unitPrice = PriceList.GetValueOrDefault(i.GetProperty("drugCode").GetString()!, DefaultUnitPrice),
        }).ToArray();
        (await partner.PlatformAsync(HttpMethod.Post, $"api/v1/pharmacy/prescription-shares/{Uri.EscapeDataString(shareId)}/quotes",
            new { pharmacyId, lines }, ct)).EnsureOk($"{partner.ClientId} quote {shareId}");
    }

    private async Task AdvanceAsync(JsonElement body, CancellationToken ct)
    {
        var orderId = body.GetProperty("orderId").GetString()!;
        var status = body.GetProperty("status").GetString()!;
        if (!body.TryGetProperty("applied", out var applied) || !applied.GetBoolean() || !NextStep.TryGetValue(status, out var next)) return;
        // A short pause between steps, as staff take; a repeated notification only earns the platform's 409 (the state moved on).
        await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        var answer = await partner.PlatformAsync(HttpMethod.Post, $"api/v1/pharmacy/orders/{Uri.EscapeDataString(orderId)}/status", new { status = next }, ct);
        if (!answer.Ok && (int)answer.Status != 409)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{partner.ClientId} order {orderId} -> {next}: {(int)answer.Status} {answer.Body}"));
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Cards;

namespace Ndhm.Triggers.HealthId;

/// <summary>
/// The HTTP side of the ABHA card: picks the format from <c>Accept</c> (<see cref="FormatFor"/>) and answers with the
/// card <see cref="AbhaCardService"/> prints, as a file named after the ABHA number.
/// </summary>
public sealed class AbhaCardDownload(AbhaCardService cards)
{
    public async Task<IActionResult> RenderAsync(AbhaAccount account, HttpRequest req, CancellationToken ct)
    {
        var printed = await cards.PrintAsync(account, FormatFor(req.Headers.Accept), ct);
        return new FileContentResult(printed.Content, printed.MediaType)
        {
            FileDownloadName = $"abha-card-{account.AbhaNumber.Digits}.{printed.Format.FileExtension()}",
        };
    }

    /// <summary>
    /// PDF when <c>application/pdf</c> is accepted with a higher quality than PNG (<c>image/png</c>, <c>image/*</c>,
    /// <c>*/*</c>); PNG otherwise, including no or an unparsable <c>Accept</c> and types we do not make (RFC 9110
    /// 12.5.1 lets a server disregard <c>Accept</c> rather than answer 406; a card image is the useful answer).
    /// </summary>
    public static AbhaCardFormat FormatFor(IEnumerable<string?> accept)
    {
        if (!MediaTypeHeaderValue.TryParseList(accept.OfType<string>().ToList(), out var ranges) || ranges.Count == 0)
            return AbhaCardFormat.Png;
        double Quality(string type) => ranges
            .Where(r => new MediaTypeHeaderValue(type).IsSubsetOf(r))
            .OrderByDescending(r => r.MatchesAllTypes ? 0 : r.MatchesAllSubTypes ? 1 : 2)
            .Select(r => r.Quality ?? 1)
            .DefaultIfEmpty(0)
            .First();
        var pdf = Quality("application/pdf");
        return pdf > 0 && pdf > Quality("image/png") ? AbhaCardFormat.Pdf : AbhaCardFormat.Png;
    }
}

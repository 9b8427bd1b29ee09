using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.HealthId.Consent;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class GetEnrolmentConsent
{
    [Function(nameof(GetEnrolmentConsent))]
    [PublicEndpoint("The consent text is shown before anyone enrols, so before there is any token.")]
    [OpenApiOperation("The enrolment consent text to show before enrolment, by language (en, hi) and version (the latest " +
        "when absent); enrolment requests name the version and language accepted.",
        Response = typeof(EnrolmentConsentTextResponse), Tag = "Health ID")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v3/enrollment/consent")] HttpRequest req)
    {
        var catalogue = EnrolmentConsentCatalogue.Embedded;
        var text = catalogue.Find(req.Query["version"].FirstOrDefault(), req.Query["language"].FirstOrDefault());
        req.HttpContext.Response.Headers.CacheControl = "public, max-age=3600";
        return new OkObjectResult(new EnrolmentConsentTextResponse(text.Code, text.Version, text.Language, text.Title, text.Text,
            catalogue.LanguagesOf(text.Version)));
    }
}

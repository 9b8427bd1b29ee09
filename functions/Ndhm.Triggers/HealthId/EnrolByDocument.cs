using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Documents;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Login;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class EnrolByDocument(DocumentEnrolmentService documents, PatientSessions sessions, SensitiveFields fields, TimeProvider time)
{
    [Function(nameof(EnrolByDocument))]
    [PublicEndpoint("Authenticated by the mobile OTP in the body.")]
    [OpenApiOperation("Enrol by driving licence: checked against the registry (verified at once, refused on a mismatch, or " +
        "PROVISIONAL until a verifier at a verified facility decides); one ABHA per document.",
        Request = typeof(EnrolByDocumentRequest), Response = typeof(EnrolmentResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/enrollment/enrol/byDocument")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<EnrolByDocumentRequest>(ct);
        var otp = await fields.OtpAsync(body.AuthData, ct);
        var consent = HealthIdHttp.RequireConsent(body.Consent, time);
        var details = new DocumentEnrolmentDetails(
            MobileNumber.Parse(HealthIdHttp.Require(otp.Mobile, "authData.otp.mobile")),
            DocumentErrors.ParseType(body.DocumentType),
            DrivingLicenceNumber.Parse(HealthIdHttp.Require(body.DocumentId, "documentId")),
            PersonName.Create(body.FirstName, body.MiddleName, body.LastName),
            HealthIdHttp.IsoBirthDate(body.Dob, time),
            GenderCodes.Parse(body.Gender),
            DocumentPhoto.Parse(body.FrontSidePhoto, "frontSidePhoto"),
            DocumentPhoto.Parse(body.BackSidePhoto, "backSidePhoto"),
            consent)
        {
            Selfie = body.Selfie is null ? null : DocumentPhoto.Parse(body.Selfie, "selfie"),
            Email = body.Email is null ? null : EmailAddress.Normalise(body.Email),
            Address = HealthIdHttp.Address(body.Address, body.District, body.State, body.PinCode),
        };
        var account = await documents.EnrolAsync(otp.TxnId!, otp.OtpValue!.Trim(), details, ct);
        var tokens = HealthIdHttp.Tokens(await sessions.IssueAsync(account.AbhaNumber, ct));
        var message = account.Document?.State == DocumentVerificationState.Pending
            ? "Enrolment number created; visit a participating health facility to have your document verified"
            : "Account created successfully";
        return new OkObjectResult(new EnrolmentResponse(message, otp.TxnId, tokens, account.ToProfile(), IsNew: true));
    }
}

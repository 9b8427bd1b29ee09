using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class UpdateAbhaProfile(AbhaAccountService accounts, TimeProvider time)
{
    [Function(nameof(UpdateAbhaProfile))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Update the caller's profile: email and postal address always; name, gender, birth date only without Aadhaar KYC.",
        Request = typeof(ProfileUpdateRequest), Response = typeof(AbhaProfile), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v3/profile/account")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var body = await req.ReadJsonAsync<ProfileUpdateRequest>(ct);
        var nameGiven = body.FirstName is not null || body.MiddleName is not null || body.LastName is not null;
        var update = new AbhaProfileUpdate
        {
            Name = nameGiven ? PersonName.Create(body.FirstName, body.MiddleName, body.LastName) : null,
            Gender = body.Gender is null ? null : GenderCodes.Parse(body.Gender),
            DateOfBirth = HealthIdHttp.BirthDate(body.YearOfBirth, body.MonthOfBirth, body.DayOfBirth, time, required: false),
            Email = body.Email,
            Address = HealthIdHttp.Address(body.Address, body.District, body.State, body.PinCode),
        };
        var account = await accounts.UpdateProfileAsync(number, update, ct);
        return new OkObjectResult(account.ToProfile());
    }
}

using Ndhm.Consent;
using Ndhm.Core.Errors;

namespace Ndhm.UnitTests.Consent;

public sealed class ConsentRequestValidationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void GivenAComplete_Request_WhenValidated_ThenEveryFieldIsKept()
    {
        var detail = ConsentRequestValidation.Validate(ConsentRig.Request(), Now);

        Assert.Equal("CAREMGT", detail.Purpose.Code);
        Assert.Equal(ConsentRig.PatientAddress, detail.Patient.Id);
        Assert.Equal(ConsentRig.Hip, detail.Hip!.Id);
        Assert.Equal(2, detail.CareContexts!.Count);
        Assert.Equal(["OPConsultation", "Prescription"], detail.HiTypes);
        Assert.Equal("VIEW", detail.Permission.AccessMode);
        Assert.Equal(new Frequency("HOUR", 1, 0), detail.Permission.Frequency);
    }

    public static TheoryData<ConsentRequestInput, string, string, string> Invalid() => new()
    {
        { ConsentRig.Request(purpose: "SHOPPING"), ConsentErrors.InvalidPurpose, "consent.purpose.code", "ABDM-1017" },
        { ConsentRig.Request(hiTypes: ["XRay"]), ConsentErrors.InvalidHiType, "consent.hiTypes", "ABDM-1017" },
        { ConsentRig.Request(hiTypes: []), ConsentErrors.InvalidHiType, "consent.hiTypes", "ABDM-1017" },
        { ConsentRig.Request(from: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), to: new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            ConsentErrors.InvalidDateRange, "consent.permission.dateRange", "ABDM-1063" },
        { ConsentRig.Request(eraseAt: Now.AddMinutes(-1)), ConsentErrors.DataEraseAtInPast, "consent.permission.dataEraseAt", "ABDM-1063" },
        { ConsentRig.Request(hip: ConsentRig.Hiu), ConsentErrors.HipIsHiu, "consent.hip.id", "ABDM-1031" },
        { ConsentRig.Request(hip: "not-a-facility"), ConsentErrors.InvalidHip, "consent.hip.id", "ABDM-1035" },
        { ConsentRig.Request(doctor: "123"), ConsentErrors.InvalidConsentRequest, "consent.requester.identifier.value", "ABDM-1017" },
        { ConsentRig.Request() with { Patient = new IdInput("no address") }, ConsentErrors.InvalidPatient, "consent.patient.id", "ABDM-1017" },
        { ConsentRig.Request() with { Permission = ConsentRig.Request().Permission! with { AccessMode = "DELETE" } },
            ConsentErrors.InvalidAccessMode, "consent.permission.accessMode", "ABDM-1017" },
        { ConsentRig.Request() with { Permission = ConsentRig.Request().Permission! with { Frequency = new FrequencyInput("FORTNIGHT", 1, 0) } },
            ConsentErrors.InvalidFrequency, "consent.permission.frequency.unit", "ABDM-1017" },
        { ConsentRig.Request(hip: null) with { CareContexts = [new CareContextInput("P-1", "visit-1")] },
            ConsentErrors.InvalidConsentRequest, "consent.careContexts", "ABDM-1017" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void GivenAnInvalidRequest_WhenValidated_ThenTheCodeAndFieldAreNamed(ConsentRequestInput input, string code, string field, string abdm)
    {
        var error = Assert.Throws<DomainException>(() => ConsentRequestValidation.Validate(input, Now));

        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal(code, error.Code);
        Assert.Equal(field, error.Extensions[ConsentErrors.Field]);
        Assert.Equal(abdm, error.Extensions[ConsentErrors.AbdmCode]);
    }

    [Fact]
    public void GivenEveryAbdmCode_WhenValidated_ThenEachIsAccepted()
    {
        foreach (var purpose in ConsentCodes.Purposes)
            Assert.Equal(purpose, ConsentRequestValidation.Validate(ConsentRig.Request(purpose: purpose), Now).Purpose.Code);
        Assert.Equal(ConsentCodes.HiTypes, ConsentRequestValidation.Validate(ConsentRig.Request(hiTypes: [.. ConsentCodes.HiTypes]), Now).HiTypes);
    }
}

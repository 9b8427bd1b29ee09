using System.Text.Json;
using Ndhm.Core.Abdm;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;

namespace Ndhm.UnitTests.Abdm;

public sealed class AbdmErrorsTests
{
    [Theory]
    [InlineData("MISSING_REQUEST_ID", ErrorKind.Validation, "ABDM-1030")]
    [InlineData("INVALID_REQUEST_ID", ErrorKind.Validation, "ABDM-1030")]
    [InlineData("STALE_TIMESTAMP", ErrorKind.Validation, "ABDM-1016")]
    [InlineData("REQUEST_ID_REUSED", ErrorKind.Conflict, "ABDM-1064")]
    [InlineData("FACILITY_NOT_SERVED", ErrorKind.Forbidden, "ABDM-1035")]
    [InlineData("FACILITY_NOT_VERIFIED", ErrorKind.Forbidden, "ABDM-1035")]
    [InlineData("MALFORMED_JSON", ErrorKind.Validation, "ABDM-1017")]
    [InlineData("FORBIDDEN", ErrorKind.Forbidden, "ABDM-1069")]
    [InlineData("INVALID_TOKEN", ErrorKind.Unauthenticated, "ABDM-1002")]
    [InlineData("RATE_LIMITED", ErrorKind.TooManyRequests, "ABDM-1070")]
    [InlineData("DEPENDENCY_UNAVAILABLE", ErrorKind.DependencyUnavailable, "ABDM-1024")]
    [InlineData("INTERNAL_ERROR", (ErrorKind)(-1), "ABDM-1000")]
    public void GivenAPlatformError_WhenMapped_ThenTheClosestAbdmCode(string code, ErrorKind kind, string abdm) =>
        Assert.Equal(abdm, AbdmErrors.AbdmCodeFor(new DomainException(kind, code, "t")));

    [Fact]
    public void GivenAnErrorNamingItsAbdmCode_WhenMapped_ThenThatCodeWins()
    {
        var error = AbdmErrors.Invalid(AbdmErrors.InvalidPatient, "ABHA_NOT_FOUND", "Invalid ABHA Number or ABHA Address");

        Assert.Equal("ABDM-1051", AbdmErrors.AbdmCodeFor(error));
    }

    [Fact]
    public void GivenAnError_WhenSerialised_ThenAbdmShapeWithTheStableCodeBeside()
    {
        var error = new DomainException(ErrorKind.Validation, "INVALID_REQUEST_ID", "REQUEST-ID must be a UUID.", "Use the 8-4-4-4-12 form.");

        var json = JsonSerializer.Serialize(new AbdmErrorResponse(AbdmErrors.ToAbdmError(error)), NdhmJson.Options);

        Assert.Equal("{\"error\":{\"code\":\"ABDM-1030\",\"message\":\"REQUEST-ID must be a UUID. Use the 8-4-4-4-12 form.\",\"ndhmCode\":\"INVALID_REQUEST_ID\"}}", json);
    }
}

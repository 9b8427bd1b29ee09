using Ndhm.Core.Privacy;

namespace Ndhm.UnitTests.Security;

public sealed class AbhaNumberMaskTests
{
    [Theory]
    [InlineData("91-1234-5678-9012", "XX-XXXX-XXXX-9012")]
    [InlineData("91123456789012", "XXXXXXXXXX9012")]
    public void GivenAnAbhaNumber_WhenMasked_ThenOnlyTheLastFourDigitsShow(string number, string expected)
    {
        var masked = AbhaNumberMask.Mask(number);

        Assert.Equal(expected, masked);
    }

    [Theory]
    [InlineData("/api/v3/verification/abha/91-1234-5678-9012", "/api/v3/verification/abha/XX-XXXX-XXXX-9012")]
    [InlineData("/api/v3/profile/account?abhaNumber=91123456789012&x=1", "/api/v3/profile/account?abhaNumber=XXXXXXXXXX9012&x=1")]
    [InlineData("/api/v3/verification/abha/asha.k@sbx", "/api/v3/verification/abha/asha.k@sbx")]
    [InlineData("/api/v1/deliveries/123456789012345678", "/api/v1/deliveries/123456789012345678")]
    public void GivenTextWithOrWithoutAbhaNumbers_WhenMaskedWithin_ThenOnlyTheNumbersAreMasked(string text, string expected)
    {
        var masked = AbhaNumberMask.MaskWithin(text);

        Assert.Equal(expected, masked);
    }
}

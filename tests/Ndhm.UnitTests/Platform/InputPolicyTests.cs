using Ndhm.Core.Errors;
using Ndhm.Core.Ids;
using Ndhm.Core.Text;
using Ndhm.HealthId.Accounts;
using Ndhm.Triggers.Http;

namespace Ndhm.UnitTests.Platform;

public sealed class InputPolicyTests
{
    [Theory]
    [InlineData("..\\..\\x")]
    [InlineData("a/b")]
    [InlineData("a?b")]
    [InlineData("a#b")]
    [InlineData("a\u0000b")]
    [InlineData("a\u001Bb")]
    [InlineData("a\u202Eb")]
    [InlineData("a b")]
    [InlineData("..")]
    [InlineData("")]
    public void GivenAHostileId_WhenCheckedAsADocumentId_ThenItIsRefusedWithInvalidId(string id)
    {
        var error = Assert.Throws<DomainException>(() => DocumentIds.Ensure(id, "clientId"));

        Assert.Equal((ErrorKind.Validation, ErrorCodes.InvalidId), (error.Kind, error.Code));
        Assert.False(DocumentIds.IsSafe(id));
    }

    [Fact]
    public void GivenAVeryLongId_WhenCheckedAsADocumentId_ThenItIsRefused()
    {
        Assert.True(DocumentIds.IsSafe(new string('a', DocumentIds.MaxLength)));
        Assert.False(DocumentIds.IsSafe(new string('a', DocumentIds.MaxLength + 1)));
    }

    [Theory]
    [InlineData("partner:hip-1")]
    [InlineData("IN2810014366")]
    [InlineData("91-1234-5678-9012")]
    [InlineData("someone@sbx")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e")]
    public void GivenAnIdOfThePlatform_WhenCheckedAsADocumentId_ThenItPasses(string id) =>
        Assert.Equal(id, DocumentIds.Ensure(id));

    [Fact]
    public void GivenDecomposedText_WhenNormalised_ThenItIsNfc() =>
        Assert.Equal("Caf\u00E9", TextPolicy.Normalize("Cafe\u0301", "name"));

    [Fact]
    public void GivenIndicTextWithAZeroWidthJoiner_WhenNormalised_ThenItIsKept() =>
        Assert.Equal("\u0915\u094D\u200D\u0937", TextPolicy.Normalize("\u0915\u094D\u200D\u0937", "name"));

    [Theory]
    [InlineData("a\u0000")]
    [InlineData("a\u001B[2J")]
    [InlineData("a\u007F")]
    [InlineData("a\u0085")]
    [InlineData("a\u202Eb")]
    [InlineData("a\u2067b")]
    [InlineData("a\u200Fb")]
    public void GivenControlBidiOrBrokenText_WhenNormalised_ThenInvalidText(string text)
    {
        var error = Assert.Throws<DomainException>(() => TextPolicy.Normalize(text, "name"));

        Assert.Equal(ErrorCodes.InvalidText, error.Code);
        Assert.Equal("name", error.Extensions["field"]);
    }

    private sealed record Inner(string? Line, IReadOnlyList<string>? Tags);

    private sealed record Body(string? Name, [property: System.ComponentModel.DataAnnotations.MaxLength(3)] IReadOnlyList<string>? Scope,
        Inner? Address, [property: System.ComponentModel.DataAnnotations.MaxLength(5)] string? Code);

    [Fact]
    public void GivenABody_WhenThePolicyApplies_ThenNestedTextIsNormalisedInPlace()
    {
        var body = new Body("Cafe\u0301", new List<string> { "e\u0301" }, new Inner("Re\u0301sidence", new List<string> { "x" }), "ab");

        InputPolicy.Apply(body);

        Assert.Equal("Caf\u00E9", body.Name);
        Assert.Equal("\u00E9", body.Scope![0]);
        Assert.Equal("R\u00E9sidence", body.Address!.Line);
    }

    [Fact]
    public void GivenFieldsOverTheirDeclaredLimits_WhenThePolicyApplies_ThenTheyAreRefusedNamingTheField()
    {
        var tooMany = Assert.Throws<DomainException>(() => InputPolicy.Apply(new Body("a", ["1", "2", "3", "4"], null, null)));
        var tooLong = Assert.Throws<DomainException>(() => InputPolicy.Apply(new Body("a", null, null, "abcdef")));
        var defaultItems = Assert.Throws<DomainException>(() =>
            InputPolicy.Apply(new Body("a", null, new Inner(null, Enumerable.Repeat("x", TextPolicy.DefaultMaxItems + 1).ToList()), null)));
        var nested = Assert.Throws<DomainException>(() => InputPolicy.Apply(new Body("a", null, new Inner("x\u0000", null), null)));

        Assert.Equal((ErrorCodes.TooManyItems, "scope"), (tooMany.Code, tooMany.Extensions["field"]));
        Assert.Equal((ErrorCodes.InvalidText, "code"), (tooLong.Code, tooLong.Extensions["field"]));
        Assert.Equal((ErrorCodes.TooManyItems, "address.tags"), (defaultItems.Code, defaultItems.Extensions["field"]));
        Assert.Equal((ErrorCodes.InvalidText, "address.line"), (nested.Code, nested.Extensions["field"]));
    }

    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("Application/JSON;charset=UTF-8", true)]
    [InlineData("application/problem+json", true)]
    [InlineData("application/jsonx", false)]
    [InlineData("application/json-seq", false)]
    [InlineData("application/+json", false)]
    [InlineData("text/json", false)]
    [InlineData("application/json; charset=utf-16", false)]
    [InlineData(null, false)]
    public void GivenAContentType_WhenChecked_ThenOnlyJsonInUtf8Passes(string? contentType, bool json) =>
        Assert.Equal(json, RequestBody.IsJson(contentType));

    [Fact]
    public void GivenADistrictOrStateOver100Characters_WhenAnAddressIsCreated_ThenItIsRefused()
    {
        Assert.Throws<DomainException>(() => PostalAddress.Create("line", new string('d', 10_000), "Bihar", "821307"));
        Assert.Throws<DomainException>(() => PostalAddress.Create("line", "Rohtas", new string('s', 101), "821307"));
        Assert.Equal("Rohtas", PostalAddress.Create("line", "Rohtas", "Bihar", "821307").District);
    }
}

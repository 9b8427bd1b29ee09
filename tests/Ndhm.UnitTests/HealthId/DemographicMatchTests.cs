using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Demographic;

namespace Ndhm.UnitTests.HealthId;

/// <summary>Matching beyond exact for demographic enrolment: folded names, blocking keys and the likeness rule.</summary>
public sealed class DemographicMatchTests
{
    private static DemographicPerson Person(string first, string? last, string? middle = null, DateOfBirth? dob = null, Gender gender = Gender.F,
        string pin = "854301") => new(new PersonName(first, middle, last), dob ?? new DateOfBirth(1988, 7, 15), gender, pin);

    [Theory]
    [InlineData("Sita", "Devi", " SITA ", "devi.")]                 // case, spacing, punctuation
    [InlineData("Sita", "Devi", "Smt. Sita", "Devi")]              // an honorific
    [InlineData("Lakshmi", "Devi", "Laxmi", "Devi")]              // ksh = x
    [InlineData("Sita", "Devi", "Seeta", "Devee")]                // ee = i
    [InlineData("Ramesh", "Kumar", "Ramesha", "Kumaar")]          // the final schwa, aa = a
    [InlineData("Sita", "Devi", "सीता", "देवी")]                  // Devanagari against Latin
    [InlineData("Bharat", "Thakur", "Bharath", "Takur")]          // aspirates
    public void GivenTheSamePersonWrittenDifferently_WhenCompared_ThenSame_AndTheSameBlock(string first, string last, string otherFirst, string otherLast)
    {
        var a = Person(first, last);
        var b = Person(otherFirst, otherLast);

        Assert.Equal(DemographicLikeness.Same, DemographicMatch.Compare(a, b));
        Assert.Equal(DemographicMatch.BlockKey(a), DemographicMatch.BlockKey(b));
    }

    [Fact]
    public void GivenAnInitialForTheGivenName_WhenCompared_ThenPossible_InTheSameBlock()
    {
        var full = Person("Sita", "Devi");
        var initial = Person("S.", "Devi");

        Assert.Equal(DemographicLikeness.Possible, DemographicMatch.Compare(full, initial));
        Assert.Equal(DemographicMatch.BlockKey(full), DemographicMatch.BlockKey(initial));
    }

    [Fact]
    public void GivenANearSpelling_WhenCompared_ThenPossible()
    {
        Assert.Equal(DemographicLikeness.Possible, DemographicMatch.Compare(Person("Sanjay", "Mahto", gender: Gender.M), Person("Sanjai", "Mahto", gender: Gender.M)));
    }

    [Fact]
    public void GivenABirthYearAlone_WhenComparedWithAFullDateOfThatYear_ThenSame()
    {
        Assert.Equal(DemographicLikeness.Same, DemographicMatch.Compare(Person("Sita", "Devi"), Person("Sita", "Devi", dob: new DateOfBirth(1988))));
    }

    [Theory]
    [InlineData("Sita", "Devi", "Gita", "Devi")]       // another given name
    [InlineData("Sita", "Devi", "Sita", "Kumari")]     // another family
    [InlineData("Sunita", "Devi", "Savita", "Devi")]   // same initial, not close
    public void GivenAnotherPerson_WhenCompared_ThenDifferent(string first, string last, string otherFirst, string otherLast)
    {
        Assert.Equal(DemographicLikeness.Different, DemographicMatch.Compare(Person(first, last), Person(otherFirst, otherLast)));
    }

    [Fact]
    public void GivenTwoDifferentFullBirthDates_OrAnotherGenderOrPin_WhenCompared_ThenDifferent()
    {
        var sita = Person("Sita", "Devi");

        Assert.Equal(DemographicLikeness.Different, DemographicMatch.Compare(sita, Person("Sita", "Devi", dob: new DateOfBirth(1988, 7, 16))));
        Assert.Equal(DemographicLikeness.Different, DemographicMatch.Compare(sita, Person("Sita", "Devi", gender: Gender.M)));
        Assert.Equal(DemographicLikeness.Different, DemographicMatch.Compare(sita, Person("Sita", "Devi", pin: "854302")));
    }

    private static readonly string[] GivenNames = ["Sita", "Lakshmi", "Ramesh", "Mohammed", "Kiran", "Anil", "Priya", "Bharat"];
    private static readonly string[] FamilyNames = ["Devi", "Kumar", "Mahto", "Sharma", "Thakur", "Khan"];
    private static readonly string[] Honorifics = ["", "Smt. ", "Shri ", "Dr ", "Kumari ", "mr. "];
    private static readonly string[] Separators = ["", " ", ".", "  ", "-", "'"];

    /// <summary>A name as a camp might write it: any case per letter, an honorific, punctuation and spaces around it.</summary>
    private static string Presented(string name, int[] choices)
    {
        var letters = name.Select((c, i) => choices.Length > 0 && choices[i % choices.Length] % 2 == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
        var pick = choices.Length > 0 ? Math.Abs(choices[0]) : 0;
        return Honorifics[pick % Honorifics.Length] + Separators[pick / 7 % Separators.Length] + new string(letters.ToArray()) + Separators[pick / 3 % Separators.Length];
    }

    [Property(MaxTest = 300)]
    public bool GivenAnyPresentationOfAName_ThenItIsTheSamePerson_InTheSameBlock(byte given, byte family, int[] firstChoices, int[] lastChoices, bool yearOnly)
    {
        var first = GivenNames[given % GivenNames.Length];
        var last = FamilyNames[family % FamilyNames.Length];
        var original = Person(first, last);
        var presented = Person(Presented(first, firstChoices ?? []), Presented(last, lastChoices ?? []),
            dob: yearOnly ? new DateOfBirth(1988) : new DateOfBirth(1988, 7, 15));

        return DemographicMatch.Compare(original, presented) == DemographicLikeness.Same
            && DemographicMatch.BlockKey(original) == DemographicMatch.BlockKey(presented);
    }

    [Property(MaxTest = 300)]
    public bool GivenAnyTwoPeople_ThenTheComparisonIsSymmetric(byte g1, byte f1, byte g2, byte f2, bool initial, bool male)
    {
        var gender = male ? Gender.M : Gender.F;
        var a = Person(GivenNames[g1 % GivenNames.Length], FamilyNames[f1 % FamilyNames.Length], gender: gender);
        var secondGiven = GivenNames[g2 % GivenNames.Length];
        var b = Person(initial ? secondGiven[..1] + "." : secondGiven, FamilyNames[f2 % FamilyNames.Length], gender: gender);

        return DemographicMatch.Compare(a, b) == DemographicMatch.Compare(b, a);
    }

    [Property(MaxTest = 300)]
    public bool GivenAnyTwoPeopleInDifferentBlocks_ThenNeverSame(byte g1, byte f1, byte g2, byte f2)
    {
        var a = Person(GivenNames[g1 % GivenNames.Length], FamilyNames[f1 % FamilyNames.Length]);
        var b = Person(GivenNames[g2 % GivenNames.Length], FamilyNames[f2 % FamilyNames.Length]);

        return DemographicMatch.BlockKey(a) == DemographicMatch.BlockKey(b) || DemographicMatch.Compare(a, b) != DemographicLikeness.Same;
    }
}

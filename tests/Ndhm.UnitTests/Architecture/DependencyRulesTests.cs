using Ndhm.UnitTests.Architecture.Offending;

namespace Ndhm.UnitTests.Architecture;

/// <summary>The rule checker itself, on types of this assembly made to break the rules: the architecture tests can fail.</summary>
public sealed class DependencyRulesTests
{
    private const string Offending = "Ndhm.UnitTests.Architecture.Offending";

    [Fact]
    public void GivenATypeWithAnAdapterInItsConstructor_WhenChecked_ThenItIsNamed()
    {
        var offenders = DependencyRules.Offenders(typeof(DependencyRulesTests).Assembly, ["Ndhm.Infrastructure"], withinNamespace: Offending);

        Assert.Contains(typeof(TakesAnAdapter).FullName, offenders);
    }

    [Fact]
    public void GivenATypeThatUsesAnAdapterOnlyInAMethodBody_WhenChecked_ThenItIsNamed()
    {
        var offenders = DependencyRules.Offenders(typeof(DependencyRulesTests).Assembly, ["Ndhm.Infrastructure"], withinNamespace: Offending);

        Assert.Contains(typeof(UsesAnAdapterInside).FullName, offenders);
    }

    [Fact]
    public void GivenACompositionRoot_WhenCheckedWithTheRootsExempt_ThenOnlyTheOtherOffendersAreNamed()
    {
        var offenders = DependencyRules.Offenders(typeof(DependencyRulesTests).Assembly, ["Ndhm.Infrastructure"], DependencyRules.IsCompositionRoot,
            Offending);

        Assert.DoesNotContain(typeof(OffendingServices).FullName, offenders);
        Assert.Equal([typeof(TakesAnAdapter).FullName!, typeof(UsesAnAdapterInside).FullName!], offenders);
    }

    [Fact]
    public void GivenTypesThatKeepToPorts_WhenChecked_ThenNoneIsNamed()
    {
        var offenders = DependencyRules.Offenders(typeof(DependencyRulesTests).Assembly, ["Ndhm.Infrastructure"],
            withinNamespace: "Ndhm.UnitTests.Architecture.Clean");

        Assert.Empty(offenders);
    }
}

// Types that break the layering on purpose, so DependencyRulesTests can show the checker catches each way of doing it.
namespace Ndhm.UnitTests.Architecture.Offending
{
    internal sealed class TakesAnAdapter(Ndhm.Infrastructure.Cosmos.CosmosSettings settings)
    {
        public string Database => settings.Database;
    }

    internal sealed class UsesAnAdapterInside
    {
        public static int ContainerCount() => Ndhm.Infrastructure.Cosmos.CosmosContainers.All.Count;
    }

    internal static class OffendingServices
    {
        public static int Containers() => Ndhm.Infrastructure.Cosmos.CosmosContainers.All.Count;
    }
}

namespace Ndhm.UnitTests.Architecture.Clean
{
    internal sealed class KeepsToPorts(Ndhm.HealthId.Enrolment.IAbhaAccountStore store)
    {
        public object Store => store;
    }
}

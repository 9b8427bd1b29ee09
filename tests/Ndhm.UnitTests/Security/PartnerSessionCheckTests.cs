using Ndhm.Core.Errors;
using Ndhm.Core.Partners;
using Ndhm.Core.Security;

namespace Ndhm.UnitTests.Security;

public sealed class PartnerSessionCheckTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly Directory directory = new();

    private PartnerSessionCheck Check() => new(directory);

    private static CallerIdentity Caller(string subject, string? clientId, params string[] roles) =>
        new(subject, roles.ToHashSet(), "jti-1", DateTimeOffset.UnixEpoch.AddDays(1)) { ClientId = clientId };

    [Fact]
    public async Task GivenAPartnerSessionToken_WhenThePartnerIsActive_ThenItPasses()
    {
        directory.Add("city-hospital", active: true);

        await Check().EnsureCurrentAsync(Caller("city-hospital", "city-hospital", Roles.Hip), None);

        Assert.Equal(["city-hospital"], directory.Lookups);
    }

    [Fact]
    public async Task GivenAPartnerSessionToken_WhenThePartnerIsDeactivated_ThenItIsRefusedAsPartnerInactive()
    {
        directory.Add("city-hospital", active: false);

        var error = await Assert.ThrowsAsync<DomainException>(() => Check().EnsureCurrentAsync(Caller("city-hospital", "city-hospital", Roles.Hip), None));

        Assert.Equal(ErrorKind.Unauthenticated, error.Kind);
        Assert.Equal(ErrorCodes.PartnerInactive, error.Code);
    }

    [Fact]
    public async Task GivenAPartnerSessionToken_WhenThePartnerIsUnknown_ThenItIsRefusedAsPartnerInactive()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => Check().EnsureCurrentAsync(Caller("gone-lab", "gone-lab", Roles.Hiu), None));

        Assert.Equal(ErrorKind.Unauthenticated, error.Kind);
        Assert.Equal(ErrorCodes.PartnerInactive, error.Code);
    }

    [Fact]
    public async Task GivenATokenWithoutAClientId_WhenASubjectOfTheSameNameIsDeactivated_ThenItPassesWithoutALookup()
    {
        // A sandbox or platform token may name a deactivated partner as its subject; only client_id makes a partner session.
        directory.Add("city-hospital", active: false);

        await Check().EnsureCurrentAsync(Caller("city-hospital", null, Roles.Hip), None);
        await Check().EnsureCurrentAsync(Caller("admin-1", null, Roles.PlatformAdmin), None);
        await Check().EnsureCurrentAsync(Caller("91123456789012", null, Roles.Patient), None);

        Assert.Empty(directory.Lookups);
    }

    [Fact]
    public async Task GivenAPartnerSessionToken_ThenThePartnerIsLookedUpByClientIdNotSubject()
    {
        directory.Add("city-hospital", active: true);
        directory.Add("other-lab", active: false);

        await Assert.ThrowsAsync<DomainException>(() => Check().EnsureCurrentAsync(Caller("city-hospital", "other-lab", Roles.Hip), None));

        Assert.Equal(["other-lab"], directory.Lookups);
    }

    private sealed class Directory : IPartnerDirectory
    {
        private readonly Dictionary<string, PartnerEndpoint> partners = new(StringComparer.Ordinal);

        public List<string> Lookups { get; } = [];

        public void Add(string clientId, bool active) =>
            partners[clientId] = new PartnerEndpoint(clientId, new Uri("https://bridge.example.org"), new HashSet<string> { Roles.Hip }, active);

        public Task<PartnerEndpoint?> FindAsync(string partnerId, CancellationToken ct)
        {
            Lookups.Add(partnerId);
            return Task.FromResult(partners.GetValueOrDefault(partnerId));
        }
    }
}

using Ndhm.IntegrationTests.DataTransfer;

namespace Ndhm.IntegrationTests.Faults;

/// <summary>
/// The data-transfer fixture's host (consent, transfer and the test HIU), run against a <see cref="FaultSandbox"/> of
/// its own instead of the shared emulators, with the settings the booking and pharmacy flows need, so a test may stop and restart
/// every emulator and kill the host while flows run.
/// </summary>
public sealed class FaultHostFixture : TransferHostFixture
{
    public FaultSandbox Sandbox { get; private set; } = null!;

    // Long enough that no cell waits it out; a lost notify would show as a transaction still open at the cell's deadline.
    public override int PushWindowSeconds => 600;

    protected override IReadOnlyDictionary<string, string?> MoreSettings
    {
        get
        {
            var settings = new Dictionary<string, string?>(base.MoreSettings)
            {
                ["Telemedicine__EarlyStartMinutes"] = "2880",
                ["Pharmacy__SandboxConsultationFacts"] = "true",
                // A queue message a killed host had received comes back when its lease runs out: 10 minutes in Azure's
                // Functions host (and the local host's default), 20 s here so a host-kill cell does not wait that out.
                ["LocalHost__QueueProcessingLeaseSeconds"] = "20",
            };
            foreach (var (name, value) in Sandbox.HostSettings) settings[name] = value;
            return settings;
        }
    }

    public override async Task InitializeAsync()
    {
        Sandbox = await FaultSandbox.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            await Sandbox.DisposeAsync();
        }
    }
}

using System.Text.Json;
using Ndhm.IntegrationTests.Consents;

namespace Ndhm.IntegrationTests.DataTransfer;

/// <summary>Its own host, because it kills it.</summary>
public sealed class DataTransferRestartTests(TransferRestartHostFixture sandbox) : IClassFixture<TransferRestartHostFixture>
{
    [Fact]
    public async Task GivenAHostKilledWhileTheTransferWaitsForTheHip_WhenItRestarts_ThenTheTransferCompletesAndNothingIsSentOrStoredTwice()
    {
        var flow = new TransferFlow(sandbox, await sandbox.WorldAsync());
        var artefactId = await flow.GrantedArtefactAsync();
        var transactionId = await flow.TransactionAsync(artefactId);
        var hipRequest = (await flow.HipRequestsAsync(transactionId, TimeSpan.FromSeconds(60)))[0];

        await sandbox.Host.RestartAsync(); // killed while the orchestration waits on its timer and the HIP's event
        await flow.HipDeliversAsync(hipRequest);
        JsonElement closed;
        try
        {
            closed = await flow.ClosedAsync(transactionId, TimeSpan.FromSeconds(240));
        }
        catch (TimeoutException e)
        {
            using var request = Gateway.GatewayHostFixture.Request(HttpMethod.Get, $"api/ops/orchestrations/{transactionId}", await sandbox.Gateway.AdminTokenAsync());
            using var response = await sandbox.Client.SendAsync(request);
            var output = sandbox.Host.Output;
            throw new TimeoutException($"{e.Message}\norchestration: {await response.Content.ReadAsStringAsync()}\nhost:\n{output[^Math.Min(output.Length, 6000)..]}", e);
        }


        Assert.Equal("TRANSFERRED", closed.GetProperty("status").GetString());
        Assert.Single(await flow.HipRequestsAsync(transactionId));
        Assert.Single(await flow.HiuOutcomesAsync(transactionId));
        Assert.Equal(["LAB-2", "OP-1"], sandbox.Hiu.Records.Where(r => r.TransactionId == transactionId).Select(r => r.CareContextReference).Order());
    }
}

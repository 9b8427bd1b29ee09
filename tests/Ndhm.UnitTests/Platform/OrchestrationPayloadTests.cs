using System.Text.Json;
using Ndhm.Triggers.Operations;

namespace Ndhm.UnitTests.Platform;

public sealed class OrchestrationPayloadTests
{
    [Fact]
    public void GivenStoredJson_WhenRead_ThenTheSameJson()
    {
        var read = OrchestrationPayload.Read("{\"steps\":[{\"name\":\"cosmos\",\"ok\":true}]}");

        Assert.True(read!.Value.GetProperty("steps")[0].GetProperty("ok").GetBoolean());
    }

    [Fact]
    public void GivenAFailedRunsPlainTextOutput_WhenRead_ThenItIsAJsonString()
    {
        var read = OrchestrationPayload.Read("Orchestrator function 'PlatformSelfTest' failed: the durable timer was cancelled");

        Assert.Equal(JsonValueKind.String, read!.Value.ValueKind);
        Assert.Equal("Orchestrator function 'PlatformSelfTest' failed: the durable timer was cancelled", read.Value.GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void GivenNothingStored_WhenRead_ThenNull(string? stored)
    {
        Assert.Null(OrchestrationPayload.Read(stored));
    }
}

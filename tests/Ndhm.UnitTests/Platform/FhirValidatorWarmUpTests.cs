using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ndhm.Fhir.Validation;
using Ndhm.Triggers.Hosting;

namespace Ndhm.UnitTests.Platform;

public sealed class FhirValidatorWarmUpTests
{
    [Fact]
    public async Task GivenTheFunctionAppsServices_WhenTheHostStarts_ThenTheSingletonValidatorIsWarmedUpBeforeAnyCall()
    {
        var services = new ServiceCollection().AddLogging().AddFhirValidation();
        await using var provider = services.BuildServiceProvider();
        var validator = provider.GetRequiredService<AbdmFhirValidator>();
        Assert.Same(validator, provider.GetRequiredService<IFhirDocumentValidator>());
        Assert.Null(validator.ColdStart);

        var warmUp = Assert.Single(provider.GetServices<IHostedService>().OfType<FhirValidatorWarmUp>());
        await warmUp.StartAsync(CancellationToken.None);
        await warmUp.ExecuteTask!.WaitAsync(TimeSpan.FromMinutes(5));

        Assert.NotNull(validator.ColdStart);
        Assert.Equal(1, validator.ValidatorsCreated);
        Assert.Equal(FhirDefinitions.Compact, validator.Definitions);
    }
}

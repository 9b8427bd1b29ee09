using System.Diagnostics;
using Ndhm.Fhir.Validation;

namespace Ndhm.Fhir.Tests;

/// <summary>
/// One warmed validator for the whole suite: the process-wide <see cref="AbdmFhirValidator.Shared"/>, which the
/// CLI also uses, so the cold start (core definitions, compiled IG schemas) is paid once.
/// </summary>
public sealed class ValidatorFixture : IAsyncLifetime
{
    public AbdmFhirValidator Validator => AbdmFhirValidator.Shared;

    public TimeSpan WarmUp { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        await Validator.WarmUpAsync();
        WarmUp = clock.Elapsed;
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class ValidatorCollection : ICollectionFixture<ValidatorFixture>
{
    public const string Name = "fhir-validator";
}

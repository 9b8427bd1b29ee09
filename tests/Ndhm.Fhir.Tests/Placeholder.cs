namespace Ndhm.Fhir.Tests;

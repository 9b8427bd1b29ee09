namespace Ndhm.IntegrationTests;

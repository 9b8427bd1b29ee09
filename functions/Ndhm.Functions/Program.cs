using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Ndhm.Triggers;
using Ndhm.Triggers.Http;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<HttpGateMiddleware>();
builder.Services.AddNdhmPlatform(builder.Configuration);
builder.Build().Run();

using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ndhm.Triggers;
using Ndhm.Triggers.Http;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// ASP.NET Core's hosting scope would put the raw request path, which may name a patient
// (/v3/verification/abha/{ABHA number}), on every line logged during a request; the gate scopes the function name.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
builder.UseMiddleware<HttpGateMiddleware>();
builder.Services.AddNdhmPlatform(builder.Configuration);
builder.Build().Run();

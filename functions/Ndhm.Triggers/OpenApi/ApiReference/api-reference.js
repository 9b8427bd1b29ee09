// Starts the Scalar API reference (scalar.js and scalar.aspnetcore.js come from the Scalar.AspNetCore package and
// are served by this platform, like this file) on the platform's own OpenAPI document. Nothing here contacts
// another host: no web fonts, no telemetry, no request proxy; the Content-Security-Policy enforces it.
import { initialize } from './scalar.aspnetcore.js'

const page = document.getElementById('app')

initialize(page.dataset.pagePath, true, {
  sources: [{ title: 'NdhmFunctions API', url: page.dataset.openapiPath }],
  _integration: 'dotnet',
  withDefaultFonts: false,
  telemetry: false,
  persistAuth: false,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  defaultOpenAllTags: false,
  hideModels: false,
})

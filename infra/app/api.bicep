// The function app on the Flex Consumption plan (FC1): Linux, scales per function group from zero, bills per
// execution and GB-second, plus always-ready instances when asked for. It runs as the user-assigned identity and
// reaches every dependency with it: no keys or connection strings in its settings.

import { tagsType, appSettingsType } from 'types.bicep'

@description('Name of the Flex Consumption plan.')
param planName string

@description('Name of the function app (also its default host name).')
param name string

@description('Azure region (must offer Flex Consumption).')
param location string

@description('Tags applied to the plan and the app.')
param tags tagsType

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('URL of the blob container holding the deployment package.')
param deploymentContainerUrl string

@description('Blob, queue and table endpoints of the app\'s storage account (AzureWebJobsStorage).')
param storageEndpoints {
  @description('Blob service endpoint.')
  blob: string
  @description('Queue service endpoint.')
  queue: string
  @description('Table service endpoint.')
  table: string
}

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Memory of each instance in MB; CPU grows with it.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Upper bound on instances (a cost and downstream-load guard); the platform applies its own minimum.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Always-ready instances for the HTTP function group (0: scale to zero, nothing billed at idle).')
@minValue(0)
param alwaysReadyHttpInstances int

@description('Always-ready instances for the Durable Functions group (orchestrators, activities, entities).')
@minValue(0)
param alwaysReadyDurableInstances int

@description('Public base URL of the API; empty: the app\'s own https://<default host name>.')
param publicBaseUrl string

@description('Issuer of the tokens the platform signs; empty: <public base URL>/api (the routePrefix in host.json).')
param tokenIssuer string

@description('Registry__HprAddressSuffix: HPR address domain without the @ (hpr.sbx in the ABDM sandbox, hpr.abdm in production).')
param hprAddressSuffix string = 'hpr.abdm'

@description('The platform\'s own settings (Cosmos, Key Vault, Service Bus, ...), set as they are.')
param platformSettings appSettingsType

@description('Log Analytics workspace for diagnostics.')
param logAnalyticsWorkspaceId string

@description('Always-ready configuration: one entry per function group that keeps warm instances.')
var alwaysReady = concat(
  alwaysReadyHttpInstances > 0 ? [{ name: 'http', instanceCount: alwaysReadyHttpInstances }] : [],
  alwaysReadyDurableInstances > 0 ? [{ name: 'durable', instanceCount: alwaysReadyDurableInstances }] : []
)

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
    clientCertEnabled: false
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReady
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

@description('Base URL the platform puts in links and callbacks.')
var baseUrl = empty(publicBaseUrl) ? 'https://${site.properties.defaultHostName}' : publicBaseUrl

// Flex Consumption takes the runtime from functionAppConfig: FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION
// and WEBSITE_RUN_FROM_PACKAGE must not be set (the platform rejects them).
resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: union(platformSettings, {
    // Identity-based AzureWebJobsStorage: the host, the queue and timer triggers and Durable Functions (task hub
    // NdhmHub) all use these. The three service URIs instead of accountName because Durable needs the table URI.
    AzureWebJobsStorage__blobServiceUri: storageEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storageEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storageEndpoints.table
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId

    // Entra-authenticated telemetry (the component has local auth off).
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identityClientId}'

    Platform__PublicBaseUrl: baseUrl
    Auth__Issuer: empty(tokenIssuer) ? '${baseUrl}/api' : tokenIssuer
    Registry__HprAddressSuffix: hprAddressSuffix
  })
}

// Deployments authenticate with Entra ID (azd, az, the GitHub workflow); publishing user names and passwords are off.
resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

// 2021-05-01-preview is the newest diagnostic settings version (the linter suggests the unrelated 2016 one).
#disable-next-line use-recent-api-versions
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      { category: 'FunctionAppLogs', enabled: true }
    ]
    metrics: [
      { category: 'AllMetrics', enabled: true }
    ]
  }
}

@description('Name of the function app.')
output name string = site.name

@description('Default host name of the app.')
output defaultHostName string = site.properties.defaultHostName

@description('Public base URL the app uses.')
output publicBaseUrl string = baseUrl

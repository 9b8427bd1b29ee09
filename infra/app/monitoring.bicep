// Log Analytics (the one sink for every diagnostic setting) and a workspace-based Application Insights component
// with local (instrumentation-key) authentication off: telemetry is accepted only with an Entra token, which the
// function host gets for the app's identity through APPLICATIONINSIGHTS_AUTHENTICATION_STRING.

import { tagsType } from 'types.bicep'

@description('Name of the Log Analytics workspace.')
param logAnalyticsName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Azure region.')
param location string

@description('Tags applied to both resources.')
param tags tagsType

@description('Days the workspace keeps data (30 is included in the per-GB price).')
@minValue(30)
@maxValue(730)
param retentionInDays int

@description('Daily ingestion cap in GB for the workspace; -1 for none. A cap protects the bill from a log storm.')
param dailyQuotaGb int

@description('Principal id of the app identity, granted Monitoring Metrics Publisher on the component.')
param appPrincipalId string

@description('Resource id of the app identity: a deploy-time constant, so role assignment names are known before deployment (what-if).')
param appIdentityResourceId string

@description('Built-in role: Monitoring Metrics Publisher (needed to send telemetry when local auth is off).')
var monitoringMetricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb'

resource workspace 'Microsoft.OperationalInsights/workspaces@2026-03-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    workspaceCapping: {
      dailyQuotaGb: dailyQuotaGb
    }
    features: {
      enableLogAccessUsingOnlyResourcePermissions: true
    }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: true
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, appIdentityResourceId, monitoringMetricsPublisherRoleId)
  scope: applicationInsights
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisherRoleId)
  }
}

@description('Resource id of the Log Analytics workspace.')
output logAnalyticsWorkspaceId string = workspace.id

@description('Name of the Application Insights component.')
output applicationInsightsName string = applicationInsights.name

@description('Connection string of the component (not a secret with local auth off: it only names the endpoint).')
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString

// The function app's storage account: the Functions host (leases, timers, queue triggers), Durable Functions
// (the Azure Storage backend keeps the task hub's queues, history tables and lease blobs here) and the Flex
// Consumption deployment package. No account keys at all: shared-key access is off, so every caller, the host
// included, authenticates with Entra ID (AzureWebJobsStorage__credential = managedidentity).

import { tagsType } from 'types.bicep'

@description('Name of the storage account (3-24 lower-case letters and digits, globally unique).')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the account.')
param tags tagsType

@description('Replication: Standard_LRS is enough for dev; zone-redundant for production.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GZRS'
])
param skuName string

@description('Blob container the Flex Consumption plan deploys the app package from.')
param deploymentContainerName string

@description('Storage queues the app reads or writes (queue triggers and output bindings).')
param queueNames string[]

@description('Principal id of the app identity.')
param appPrincipalId string

@description('Resource id of the app identity: a deploy-time constant, so role assignment names are known before deployment (what-if).')
param appIdentityResourceId string

@description('Log Analytics workspace for diagnostics.')
param logAnalyticsWorkspaceId string

@description('Also log every read (StorageRead). Durable Functions polls its queues continuously, so read logs cost far more than they tell; writes and deletes are always logged.')
param logReads bool

// Why each role, all scoped to this account:
// - Storage Blob Data Owner: the host takes blob leases (singleton locks, timer schedule status, Durable partition
//   leases) and the Flex plan reads the deployment package; Durable also stores large payloads in blobs.
//   The Functions documentation requires Owner, not Contributor, for AzureWebJobsStorage.
// - Storage Queue Data Contributor: queue triggers and output bindings, poison queues, and Durable's control
//   and work-item queues (it creates and deletes them as the task hub starts).
// - Storage Table Data Contributor: Durable's History and Instances tables for the NdhmHub task hub.
@description('Built-in data-plane roles the app identity needs on this account.')
var roleIds = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

@description('Log categories of the blob, queue and table services.')
var serviceLogs = concat(
  [
    { category: 'StorageWrite', enabled: true }
    { category: 'StorageDelete', enabled: true }
  ],
  logReads ? [{ category: 'StorageRead', enabled: true }] : []
)

resource account 'Microsoft.Storage/storageAccounts@2026-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2026-06-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-06-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2026-06-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2026-06-01' = [
  for queueName in queueNames: {
    parent: queueService
    name: queueName
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2026-06-01' = {
  parent: account
  name: 'default'
}

resource roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in items(roleIds): {
    name: guid(account.id, appIdentityResourceId, roleId.value)
    scope: account
    properties: {
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId.value)
    }
  }
]

// Account-level diagnostic settings carry metrics only; the logs belong to each service.
// 2021-05-01-preview is the newest diagnostic settings version (the linter suggests the unrelated 2016 one).
#disable-next-line use-recent-api-versions
resource accountDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    metrics: [
      { category: 'Transaction', enabled: true }
    ]
  }
}

#disable-next-line use-recent-api-versions
resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: serviceLogs
    metrics: [
      { category: 'Transaction', enabled: true }
    ]
  }
}

#disable-next-line use-recent-api-versions
resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: queueService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: serviceLogs
    metrics: [
      { category: 'Transaction', enabled: true }
    ]
  }
}

#disable-next-line use-recent-api-versions
resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: tableService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: serviceLogs
    metrics: [
      { category: 'Transaction', enabled: true }
    ]
  }
}

@description('Name of the storage account.')
output name string = account.name

@description('Blob service endpoint, with a trailing slash.')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('Queue service endpoint, with a trailing slash.')
output queueEndpoint string = account.properties.primaryEndpoints.queue

@description('Table service endpoint, with a trailing slash.')
output tableEndpoint string = account.properties.primaryEndpoints.table

@description('URL of the deployment package container.')
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainer.name}'

// NdhmFunctions in one resource group: the function app (Flex Consumption) and everything it talks to, wired with
// one user-assigned managed identity and no keys. Deploy with `az deployment group create` and a parameter file
// (main.dev.bicepparam, main.prod.bicepparam), or with `azd up` (azure.yaml, main.parameters.json): see README.md.
//
// Every setting the code marks [RequiredInAzure] in Ndhm.Core.Configuration.SettingNames is set below or in
// app/api.bicep, and the containers in app/cosmos-containers.json are those of
// Ndhm.Infrastructure.Cosmos.CosmosContainers: tests/Ndhm.UnitTests/Infra/BicepSettingsTests.cs checks both.
targetScope = 'resourceGroup'

import { tagsType } from 'app/types.bicep'

@description('Short environment name (dev, prod, ...; lower-case letters, digits and hyphens): part of every resource name and tag.')
@minLength(1)
@maxLength(12)
param environmentName string

@description('Azure region for every resource; it must offer the Flex Consumption plan (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Extra tags for every resource.')
param tags tagsType = {}

// ---- Platform settings the code reads ---------------------------------------------------------------------------

@description('Platform__Environment: the environment name the code sees (e.g. Dev, Production).')
param platformEnvironment string

@description('HealthId__AddressSuffix: ABHA address domain without the @ (sbx in the ABDM sandbox, abdm in production).')
param abhaAddressSuffix string

@description('Http__MaxRequestBodyBytes: largest request body the API accepts.')
@minValue(1024)
param maxRequestBodyBytes int = 1048576

@description('Platform__PublicBaseUrl: public base URL (a custom domain or gateway in front of the app); empty: https://<function app default host name>.')
param publicBaseUrl string = ''

@description('Auth__Issuer: issuer of the tokens the platform signs; empty: <public base URL>/api.')
param tokenIssuer string = ''

@description('Cosmos__Database: database id.')
param cosmosDatabaseName string = 'ndhm'

@description('KeyVault__SigningKeyName: EC P-256 signing key.')
param signingKeyName string = 'ndhm-signing'

@description('KeyVault__WrappingKeyName: RSA wrapping key.')
param wrappingKeyName string = 'ndhm-wrapping'

@description('KeyVault__AbhaEncryptionKeyName: RSA 2048 key whose public half encrypts ABDM loginId/otpValue fields.')
param abhaEncryptionKeyName string = 'ndhm-abha-encryption'

@description('ServiceBus__PartnerEventsTopic: topic with one subscription per partner.')
param partnerEventsTopicName string = 'partner-events'

@description('Storage queues created up front (queue triggers and output bindings). Partner events use Service Bus in Azure; the per-partner queues exist only in the sandbox.')
param storageQueueNames string[] = [
  'gateway-callbacks'
]

// ---- Function app -----------------------------------------------------------------------------------------------

@description('Memory per instance in MB (512, 2048 or 4096).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Maximum instances the app scales out to.')
param maximumInstanceCount int = 100

@description('Always-ready (pre-warmed, billed while idle) instances for HTTP functions; 0 scales to zero.')
param alwaysReadyHttpInstances int = 0

@description('Always-ready instances for Durable Functions; 0 scales to zero.')
param alwaysReadyDurableInstances int = 0

// ---- Data and security services ---------------------------------------------------------------------------------

@description('Storage replication (Standard_LRS, Standard_ZRS, Standard_GZRS).')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GZRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Log blob/queue/table reads too (costly: Durable Functions polls its queues all the time).')
param storageLogReads bool = false

@description('Cosmos DB capacity: Serverless (default; pay per request) or Provisioned (autoscale at database level).')
@allowed([
  'Serverless'
  'Provisioned'
])
param cosmosCapacityMode string = 'Serverless'

@description('Autoscale maximum RU/s of the database when cosmosCapacityMode is Provisioned.')
param cosmosAutoscaleMaxThroughput int = 1000

@description('Cosmos DB backup: Periodic, Continuous7Days or Continuous30Days (point-in-time restore).')
@allowed([
  'Periodic'
  'Continuous7Days'
  'Continuous30Days'
])
param cosmosBackupPolicy string = 'Periodic'

@description('Cosmos DB zone redundancy in the region.')
param cosmosZoneRedundant bool = false

@description('National-scale analytics: the Cosmos DB analytical store for the analytics-facts outbox (Synapse Link / Fabric), queried with infra/analytics/aggregates.sql. See infra/README.md.')
param cosmosAnalyticalStore bool = false

@description('Key Vault SKU: standard, or premium for HSM-protected keys.')
@allowed([
  'standard'
  'premium'
])
param keyVaultSkuName string = 'standard'

@description('Create the keys HSM-protected (needs keyVaultSkuName premium).')
param keyVaultHsmProtectedKeys bool = false

@description('Days deleted keys stay recoverable (7-90; fixed once the vault exists).')
param keyVaultSoftDeleteRetentionInDays int = 90

@description('RSA key size of the wrapping key (2048, 3072 or 4096).')
@allowed([
  2048
  3072
  4096
])
param wrappingKeySize int = 3072

@description('How the app may create partner subscriptions on the topic: customRole, dataOwnerOnTopic or none (see app/servicebus.bicep).')
@allowed([
  'customRole'
  'dataOwnerOnTopic'
  'none'
])
param partnerSubscriptionAccess string = 'customRole'

@description('Days Log Analytics keeps data.')
param logRetentionInDays int = 30

@description('Daily Log Analytics ingestion cap in GB; -1 for none.')
param logDailyQuotaGb int = -1

// ---- Names ------------------------------------------------------------------------------------------------------

@description('Lower-case environment name used in resource names.')
var env = toLower(environmentName)

@description('Deterministic suffix that makes global names unique per subscription, resource group and environment.')
var token = toLower(uniqueString(subscription().id, resourceGroup().id, env))

@description('Tags on every resource (azd finds the environment by azd-env-name).')
var allTags = union(tags, {
  'azd-env-name': env
  application: 'ndhm-functions'
})

@description('Resource names.')
var names = {
  identity: 'id-ndhm-${env}-${token}'
  logAnalytics: 'log-ndhm-${env}-${token}'
  applicationInsights: 'appi-ndhm-${env}-${token}'
  storage: take('stndhm${token}', 24)
  cosmos: 'cosmos-ndhm-${env}-${token}'
  serviceBus: 'sb-ndhm-${env}-${token}'
  keyVault: 'kv-ndhm-${token}'
  plan: 'plan-ndhm-${env}-${token}'
  functionApp: 'func-ndhm-${env}-${token}'
  deploymentContainer: 'app-package'
}

@description('Partners__SubscriptionManagement for each partnerSubscriptionAccess: the API the app creates partner subscriptions with.')
var partnerSubscriptionManagement = {
  customRole: 'arm'
  dataOwnerOnTopic: 'dataPlane'
  none: 'none'
}

@description('Resource id of the app identity, known before deployment.')
var identityResourceId = resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', names.identity)

// ---- Resources --------------------------------------------------------------------------------------------------

module identity 'app/identity.bicep' = {
  params: {
    name: names.identity
    location: location
    tags: allTags
  }
}

module monitoring 'app/monitoring.bicep' = {
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: allTags
    retentionInDays: logRetentionInDays
    dailyQuotaGb: logDailyQuotaGb
    appPrincipalId: identity.outputs.principalId
    appIdentityResourceId: identityResourceId
  }
}

module storage 'app/storage.bicep' = {
  params: {
    name: names.storage
    location: location
    tags: allTags
    skuName: storageSkuName
    deploymentContainerName: names.deploymentContainer
    queueNames: storageQueueNames
    appPrincipalId: identity.outputs.principalId
    appIdentityResourceId: identityResourceId
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    logReads: storageLogReads
  }
}

module cosmos 'app/cosmos.bicep' = {
  params: {
    name: names.cosmos
    location: location
    tags: allTags
    databaseName: cosmosDatabaseName
    capacityMode: cosmosCapacityMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    backupPolicy: cosmosBackupPolicy
    zoneRedundant: cosmosZoneRedundant
    analyticalStore: cosmosAnalyticalStore
    appPrincipalId: identity.outputs.principalId
    appIdentityResourceId: identityResourceId
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module serviceBus 'app/servicebus.bicep' = {
  params: {
    name: names.serviceBus
    location: location
    tags: allTags
    partnerEventsTopicName: partnerEventsTopicName
    partnerSubscriptionAccess: partnerSubscriptionAccess
    appPrincipalId: identity.outputs.principalId
    appIdentityResourceId: identityResourceId
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module keyVault 'app/keyvault.bicep' = {
  params: {
    name: names.keyVault
    location: location
    tags: allTags
    skuName: keyVaultSkuName
    hsmProtectedKeys: keyVaultHsmProtectedKeys
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
    signingKeyName: signingKeyName
    wrappingKeyName: wrappingKeyName
    abhaEncryptionKeyName: abhaEncryptionKeyName
    wrappingKeySize: wrappingKeySize
    appPrincipalId: identity.outputs.principalId
    appIdentityResourceId: identityResourceId
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module api 'app/api.bicep' = {
  params: {
    planName: names.plan
    name: names.functionApp
    location: location
    tags: allTags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    storageEndpoints: {
      blob: storage.outputs.blobEndpoint
      queue: storage.outputs.queueEndpoint
      table: storage.outputs.tableEndpoint
    }
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    alwaysReadyDurableInstances: alwaysReadyDurableInstances
    publicBaseUrl: publicBaseUrl
    tokenIssuer: tokenIssuer
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    // The settings of Ndhm.Core.Configuration.SettingNames (the storage, telemetry, base URL and issuer settings are
    // added in app/api.bicep, next to the resources they describe).
    platformSettings: {
      AZURE_CLIENT_ID: identity.outputs.clientId
      Cosmos__Endpoint: cosmos.outputs.endpoint
      Cosmos__Database: cosmos.outputs.databaseName
      KeyVault__Uri: keyVault.outputs.uri
      KeyVault__SigningKeyName: keyVault.outputs.signingKeyName
      KeyVault__WrappingKeyName: keyVault.outputs.wrappingKeyName
      KeyVault__AbhaEncryptionKeyName: keyVault.outputs.abhaEncryptionKeyName
      ServiceBus__FullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
      ServiceBus__PartnerEventsTopic: serviceBus.outputs.partnerEventsTopicName
      ServiceBus__PartnerEventsTopicResourceId: serviceBus.outputs.partnerEventsTopicResourceId
      Partners__SubscriptionManagement: partnerSubscriptionManagement[partnerSubscriptionAccess]
      Platform__Environment: platformEnvironment
      HealthId__AddressSuffix: abhaAddressSuffix
      Http__MaxRequestBodyBytes: string(maxRequestBodyBytes)
      Gateway__CallbackQueue: 'gateway-callbacks'
      Pharmacy__OrderQueue: 'pharmacy-orders'
      // Audit chain heads are signed every 15 minutes: entries newer than the last signature rest on hashes alone.
      Audit__SigningSchedule: '0 */15 * * * *'
      // The TCP peer of the worker is the platform: the client's address is the entry the front end appends.
      RateLimits__ClientIpHeader: 'X-Forwarded-For'
    }
  }
}

// ---- Outputs (azd stores them in the environment's .env) --------------------------------------------------------

@description('Region of the deployment.')
output AZURE_LOCATION string = location

@description('Tenant of the deployment.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Client id of the app\'s managed identity.')
output AZURE_CLIENT_ID string = identity.outputs.clientId

@description('Name of the function app (azd service api).')
output SERVICE_API_NAME string = api.outputs.name

@description('Public base URL of the API.')
output SERVICE_API_URI string = api.outputs.publicBaseUrl

@description('Cosmos DB document endpoint.')
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint

@description('Key Vault URI.')
output KEY_VAULT_URI string = keyVault.outputs.uri

@description('Service Bus fully qualified namespace.')
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace

@description('Resource id of the partner events topic (subscriptions are created under it).')
output SERVICE_BUS_PARTNER_EVENTS_TOPIC_ID string = serviceBus.outputs.partnerEventsTopicResourceId

@description('Blob endpoint of the app\'s storage account.')
output STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint

@description('Queue endpoint of the app\'s storage account.')
output STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint

@description('Table endpoint of the app\'s storage account.')
output STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint

@description('Name of the Application Insights component.')
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName

// Cosmos DB for NoSQL: the platform's system of record. Keys are disabled (disableLocalAuth): the app reaches the
// data plane only with its managed identity and the built-in Data Contributor role, and container or database
// changes happen only through this template (disableKeyBasedMetadataWriteAccess), which is also why the app must
// not call CreateContainerIfNotExists in Azure: the data-plane role cannot create containers.

import { tagsType, cosmosContainer } from 'types.bicep'

@description('Name of the Cosmos DB account (3-44 lower-case letters, digits and hyphens, globally unique).')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the account.')
param tags tagsType

@description('Database id the app uses (Cosmos__Database).')
param databaseName string

@description('Serverless bills per request unit and GB stored (nothing at idle); Provisioned shares autoscale throughput across all containers at database level.')
@allowed([
  'Serverless'
  'Provisioned'
])
param capacityMode string

@description('Autoscale ceiling in RU/s for the database when capacityMode is Provisioned (the floor is a tenth of it).')
@minValue(1000)
param autoscaleMaxThroughput int

@description('Periodic (two free copies, restore by support request) or continuous point-in-time restore. Switching from Periodic to Continuous is possible later; back is not.')
@allowed([
  'Periodic'
  'Continuous7Days'
  'Continuous30Days'
])
param backupPolicy string

@description('Spread the region over availability zones (not every region offers it; costs more when provisioned).')
param zoneRedundant bool

@description('Principal id of the app identity, granted Cosmos DB Built-in Data Contributor.')
param appPrincipalId string

@description('Resource id of the app identity: a deploy-time constant, so role assignment names are known before deployment (what-if).')
param appIdentityResourceId string

@description('Log Analytics workspace for diagnostics.')
param logAnalyticsWorkspaceId string

@description('National-scale analytics: turn on the analytical store (Azure Synapse Link) and keep the analytics-facts outbox there indefinitely (its transactional copy still expires after 30 days), for Spark / Fabric queries generated from the same definitions (infra/analytics/aggregates.sql). Fabric mirroring of the account additionally needs a Continuous backup policy.')
param analyticalStore bool = false

@description('The containers, shared with the test that compares them with Ndhm.Infrastructure.Cosmos.CosmosContainers.')
var containers cosmosContainer[] = loadJsonContent('cosmos-containers.json')

@description('Cosmos DB Built-in Data Contributor: read, write, query and delete items; no database or container management.')
var dataContributorRoleId = '00000000-0000-0000-0000-000000000002'

@description('Backup settings for each policy choice.')
var backupPolicies = {
  Periodic: {
    type: 'Periodic'
    periodicModeProperties: {
      backupIntervalInMinutes: 240
      backupRetentionIntervalInHours: 8
      backupStorageRedundancy: 'Local'
    }
  }
  Continuous7Days: {
    type: 'Continuous'
    continuousModeProperties: {
      tier: 'Continuous7Days'
    }
  }
  Continuous30Days: {
    type: 'Continuous'
    continuousModeProperties: {
      tier: 'Continuous30Days'
    }
  }
}

// Every path is indexed (the queries of the platform are not all known yet, and writes are small documents);
// the system _etag is excluded because nothing queries it. Narrow a container's policy when its write RU
// charge matters more than ad-hoc queries.
@description('Indexing policy of every container.')
var indexingPolicy = {
  indexingMode: 'consistent'
  automatic: true
  includedPaths: [
    { path: '/*' }
  ]
  excludedPaths: [
    { path: '/"_etag"/?' }
  ]
}

resource account 'Microsoft.DocumentDB/databaseAccounts@2026-03-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: zoneRedundant
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: capacityMode == 'Serverless' ? [{ name: 'EnableServerless' }] : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
    enableAutomaticFailover: false
    enableFreeTier: false
    backupPolicy: backupPolicies[backupPolicy]
    enableAnalyticalStorage: analyticalStore
    analyticalStorageConfiguration: analyticalStore ? { schemaType: 'FullFidelity' } : null
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2026-03-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    // Serverless accounts take no throughput setting at all; provisioned ones share autoscale at database level.
    options: capacityMode == 'Serverless'
      ? {}
      : {
          autoscaleSettings: {
            maxThroughput: autoscaleMaxThroughput
          }
        }
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2026-03-15' = [
  for container in containers: {
    parent: database
    name: container.name
    properties: {
      resource: union(
        {
          id: container.name
          partitionKey: {
            paths: [
              container.partitionKeyPath
            ]
            kind: 'Hash'
            version: 2
          }
          indexingPolicy: indexingPolicy
          uniqueKeyPolicy: {
            uniqueKeys: map(container.uniqueKeyPaths, path => { paths: [path] })
          }
        },
        // Leaving defaultTtl out turns TTL off; -1 turns it on with no default.
        container.?defaultTtl != null ? { defaultTtl: container.?defaultTtl } : {},
        // -1: the analytical copy of every fact is kept forever, whatever the transactional TTL.
        analyticalStore && container.name == 'analytics-facts' ? { analyticalStorageTtl: -1 } : {}
      )
    }
  }
]

resource dataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2026-03-15' = {
  parent: account
  name: guid(account.id, appIdentityResourceId, dataContributorRoleId)
  properties: {
    principalId: appPrincipalId
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributorRoleId}'
    scope: account.id
  }
}

// Resource-specific tables (Dedicated): CDBDataPlaneRequests, CDBQueryRuntimeStatistics, ... are cheaper to query
// than AzureDiagnostics. Query text is not logged unless full-text query logging is turned on (it stays off:
// health data could appear in query parameters).
// 2021-05-01-preview is the newest diagnostic settings version (the linter suggests the unrelated 2016 one).
#disable-next-line use-recent-api-versions
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      { categoryGroup: 'allLogs', enabled: true }
    ]
    metrics: [
      { category: 'Requests', enabled: true }
    ]
  }
}

@description('Document endpoint of the account (Cosmos__Endpoint).')
output endpoint string = account.properties.documentEndpoint

@description('Name of the account.')
output name string = account.name

@description('Database id.')
output databaseName string = database.name

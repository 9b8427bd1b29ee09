// Production: provisioned autoscale Cosmos DB with point-in-time restore, zone-redundant storage and Cosmos,
// one warm HTTP instance, HSM-protected keys, the production ABHA address domain.
//   az deployment group create -g <resource group> -f infra/main.bicep -p infra/main.prod.bicepparam
using './main.bicep'

param environmentName = 'prod'
param platformEnvironment = 'Production'
param abhaAddressSuffix = 'abdm'

param alwaysReadyHttpInstances = 1
param alwaysReadyDurableInstances = 0
param maximumInstanceCount = 100
param instanceMemoryMB = 2048

param storageSkuName = 'Standard_ZRS'
param cosmosCapacityMode = 'Provisioned'
param cosmosAutoscaleMaxThroughput = 4000
param cosmosBackupPolicy = 'Continuous7Days'
param cosmosZoneRedundant = true
param keyVaultSkuName = 'premium'
param keyVaultHsmProtectedKeys = true
param wrappingKeySize = 3072
param logRetentionInDays = 90
param logDailyQuotaGb = -1

// Development: everything scales to zero; the ABDM sandbox's address domain.
//   az deployment group create -g <resource group> -f infra/main.bicep -p infra/main.dev.bicepparam
using './main.bicep'

param environmentName = 'dev'
param platformEnvironment = 'Dev'
param abhaAddressSuffix = 'sbx'

param alwaysReadyHttpInstances = 0
param alwaysReadyDurableInstances = 0
param maximumInstanceCount = 40

param storageSkuName = 'Standard_LRS'
param cosmosCapacityMode = 'Serverless'
param cosmosBackupPolicy = 'Periodic'
param keyVaultSkuName = 'standard'
param logRetentionInDays = 30
param logDailyQuotaGb = 1

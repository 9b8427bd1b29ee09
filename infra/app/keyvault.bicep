// Key Vault holds the platform's two keys; their private parts never leave it. The app signs (JWS for tokens and
// consent artefacts) and wraps data keys through the Key Vault REST API with its managed identity. Authorization
// is Azure RBAC only (no access policies); soft delete and purge protection make a deleted key recoverable for
// the retention period and impossible to destroy early, which matters because consent artefacts signed with the
// key must stay verifiable.

import { tagsType } from 'types.bicep'

@description('Name of the vault (3-24 letters, digits and hyphens, globally unique).')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the vault and its keys.')
param tags tagsType

@description('standard: software-protected keys; premium: also allows HSM-protected keys (EC-HSM / RSA-HSM).')
@allowed([
  'standard'
  'premium'
])
param skuName string

@description('Protect the keys with an HSM (needs skuName premium): kty EC-HSM / RSA-HSM instead of EC / RSA.')
param hsmProtectedKeys bool

@description('Days a deleted vault or key stays recoverable (soft delete); cannot be changed after creation.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

@description('Name of the signing key (KeyVault__SigningKeyName): EC P-256, ES256.')
param signingKeyName string

@description('Name of the wrapping key (KeyVault__WrappingKeyName): RSA, wrapKey/unwrapKey.')
param wrappingKeyName string

@description('Name of the ABHA field encryption key (KeyVault__AbhaEncryptionKeyName): RSA 2048, encrypt/decrypt. Its public key is what ABDM clients fetch from v3/profile/public/certificate to encrypt loginId and otpValue.')
param abhaEncryptionKeyName string

@description('RSA modulus length of the wrapping key.')
@allowed([
  2048
  3072
  4096
])
param wrappingKeySize int

@description('Principal id of the app identity, granted Key Vault Crypto User on each key.')
param appPrincipalId string

@description('Resource id of the app identity: a deploy-time constant, so role assignment names are known before deployment (what-if).')
param appIdentityResourceId string

@description('Log Analytics workspace for diagnostics.')
param logAnalyticsWorkspaceId string

@description('Key Vault Crypto User: get a key\'s public part and use it (sign, verify, wrap, unwrap); no create, delete or export.')
var cryptoUserRoleId = '12338af0-0e69-4776-bea7-57ae8d297424'

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: skuName
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

// The template creates the keys; it does not rotate them. A rotation is a new key version made outside the
// template (az keyvault key rotate, or a rotation policy once the app publishes every live version in its JWKS),
// so tokens and artefacts signed with an older version stay verifiable.
resource signingKey 'Microsoft.KeyVault/vaults/keys@2026-05-15' = {
  parent: vault
  name: signingKeyName
  tags: tags
  properties: {
    kty: hsmProtectedKeys ? 'EC-HSM' : 'EC'
    curveName: 'P-256'
    keyOps: [
      'sign'
      'verify'
    ]
    attributes: {
      enabled: true
    }
  }
}

resource wrappingKey 'Microsoft.KeyVault/vaults/keys@2026-05-15' = {
  parent: vault
  name: wrappingKeyName
  tags: tags
  properties: {
    kty: hsmProtectedKeys ? 'RSA-HSM' : 'RSA'
    keySize: wrappingKeySize
    keyOps: [
      'wrapKey'
      'unwrapKey'
    ]
    attributes: {
      enabled: true
    }
  }
}

// 2048 bits, not the wrapping key's size: ABDM clients expect 256-byte (344 base64 characters) ciphertexts.
resource abhaEncryptionKey 'Microsoft.KeyVault/vaults/keys@2026-05-15' = {
  parent: vault
  name: abhaEncryptionKeyName
  tags: tags
  properties: {
    kty: hsmProtectedKeys ? 'RSA-HSM' : 'RSA'
    keySize: 2048
    keyOps: [
      'encrypt'
      'decrypt'
    ]
    attributes: {
      enabled: true
    }
  }
}

// Granted per key, not on the vault: the app can use these keys and nothing else stored here.
resource signingKeyUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(signingKey.id, appIdentityResourceId, cryptoUserRoleId)
  scope: signingKey
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cryptoUserRoleId)
  }
}

resource wrappingKeyUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(wrappingKey.id, appIdentityResourceId, cryptoUserRoleId)
  scope: wrappingKey
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cryptoUserRoleId)
  }
}

resource abhaEncryptionKeyUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(abhaEncryptionKey.id, appIdentityResourceId, cryptoUserRoleId)
  scope: abhaEncryptionKey
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cryptoUserRoleId)
  }
}

// 2021-05-01-preview is the newest diagnostic settings version (the linter suggests the unrelated 2016 one).
#disable-next-line use-recent-api-versions
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      { categoryGroup: 'audit', enabled: true }
    ]
    metrics: [
      { category: 'AllMetrics', enabled: true }
    ]
  }
}

@description('Vault URI with a trailing slash (KeyVault__Uri).')
output uri string = vault.properties.vaultUri

@description('Name of the vault.')
output name string = vault.name

@description('Name of the signing key.')
output signingKeyName string = signingKey.name

@description('Name of the wrapping key.')
output wrappingKeyName string = wrappingKey.name

@description('Name of the ABHA field encryption key.')
output abhaEncryptionKeyName string = abhaEncryptionKey.name

// The one user-assigned managed identity the function app runs as. Every data-plane role in the other modules is
// granted to this identity, so access survives re-creating the function app and the grants can be reviewed in one
// place. The app reads its client id from AZURE_CLIENT_ID (DefaultAzureCredential) and the *__clientId settings.

import { tagsType } from 'types.bicep'

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the identity.')
param tags tagsType

// 2025-05-31-preview is newer, but this stays on the newest stable version.
#disable-next-line use-recent-api-versions
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output id string = identity.id

@description('Client (application) id of the identity.')
output clientId string = identity.properties.clientId

@description('Object (principal) id of the identity, used in role assignments.')
output principalId string = identity.properties.principalId

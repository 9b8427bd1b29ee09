// Service Bus carries partner events in Azure: one topic, one subscription per partner. The namespace accepts
// Entra ID only (disableLocalAuth: no SAS keys, no connection strings). The template creates the namespace and the
// topic; the app creates a partner's subscription when it registers the partner.

import { tagsType } from 'types.bicep'

@description('Name of the Service Bus namespace (6-50 letters, digits and hyphens, globally unique).')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the namespace.')
param tags tagsType

@description('Name of the partner events topic (ServiceBus__PartnerEventsTopic).')
param partnerEventsTopicName string

@description('How the app gets the right to create partner subscriptions: customRole (least privilege, through Azure Resource Manager), dataOwnerOnTopic (through ServiceBusAdministrationClient), or none (an operator creates them).')
@allowed([
  'customRole'
  'dataOwnerOnTopic'
  'none'
])
param partnerSubscriptionAccess string

@description('Principal id of the app identity.')
param appPrincipalId string

@description('Resource id of the app identity: a deploy-time constant, so role assignment names are known before deployment (what-if).')
param appIdentityResourceId string

@description('Log Analytics workspace for diagnostics.')
param logAnalyticsWorkspaceId string

// Publishing needs only Azure Service Bus Data Sender, granted on the topic rather than the namespace.
//
// Creating a subscription is a management operation. Two ways, picked by partnerSubscriptionAccess:
// - customRole (default): a custom role holding only Microsoft.ServiceBus/namespaces/topics/subscriptions/* (and
//   their rules), assigned on this topic. The app then creates subscriptions through Azure Resource Manager (REST
//   calls over Azure.Core, Partners__SubscriptionManagement=arm, topic id ServiceBus__PartnerEventsTopicResourceId
//   from partnerEventsTopicResourceId below). It can neither read nor send messages through that role, nor touch
//   the topic or any other entity.
// - dataOwnerOnTopic: Azure Service Bus Data Owner on this topic only. Needed if the app uses the data-plane
//   ServiceBusAdministrationClient (Azure.Messaging.ServiceBus, Partners__SubscriptionManagement=dataPlane), because
//   Service Bus has no narrower data action for "manage". It also lets the app receive from every partner's
//   subscription, so prefer customRole.
// - none: Partners__SubscriptionManagement=none; the app logs the subscription and filter an operator must create.
// Deploying a custom role needs Microsoft.Authorization/roleDefinitions/write (Owner or User Access Administrator on
// the resource group), which the deployment has anyway for its role assignments.
@description('Built-in Service Bus data-plane roles.')
var roleIds = {
  dataSender: '69a216fc-b8fb-44d8-bc22-1f3c2552a39d'
  dataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419'
}

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource partnerEvents 'Microsoft.ServiceBus/namespaces/topics@2026-01-01' = {
  parent: namespace
  name: partnerEventsTopicName
  properties: {
    defaultMessageTimeToLive: 'P14D'
    maxSizeInMegabytes: 1024
    enableBatchedOperations: true
    // A publisher that sets MessageId to the event id can retry a send without the partner seeing it twice.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    supportOrdering: false
  }
}

resource sender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(partnerEvents.id, appIdentityResourceId, roleIds.dataSender)
  scope: partnerEvents
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.dataSender)
  }
}

resource subscriptionManagerRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (partnerSubscriptionAccess == 'customRole') {
  // Role definition names (GUIDs) and role names are unique per tenant: both derive from this resource group.
  name: guid(resourceGroup().id, 'ndhm-partner-subscription-manager')
  properties: {
    roleName: 'NDHM partner subscription manager (${resourceGroup().name})'
    description: 'Create, read and delete subscriptions and their filter rules under the NDHM partner events topic; nothing else.'
    type: 'CustomRole'
    assignableScopes: [
      resourceGroup().id
    ]
    permissions: [
      {
        actions: [
          'Microsoft.ServiceBus/namespaces/topics/read'
          'Microsoft.ServiceBus/namespaces/topics/subscriptions/read'
          'Microsoft.ServiceBus/namespaces/topics/subscriptions/write'
          'Microsoft.ServiceBus/namespaces/topics/subscriptions/delete'
          'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules/read'
          'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules/write'
          'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules/delete'
        ]
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
  }
}

resource subscriptionManager 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (partnerSubscriptionAccess == 'customRole') {
  name: guid(partnerEvents.id, appIdentityResourceId, 'ndhm-partner-subscription-manager')
  scope: partnerEvents
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    // The canonical subscription-level id of the definition (its symbolic .id would carry this resource group).
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', subscriptionManagerRole.name)
  }
}

resource topicOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (partnerSubscriptionAccess == 'dataOwnerOnTopic') {
  name: guid(partnerEvents.id, appIdentityResourceId, roleIds.dataOwner)
  scope: partnerEvents
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.dataOwner)
  }
}

// 2021-05-01-preview is the newest diagnostic settings version (the linter suggests the unrelated 2016 one).
#disable-next-line use-recent-api-versions
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      { categoryGroup: 'allLogs', enabled: true }
    ]
    metrics: [
      { category: 'AllMetrics', enabled: true }
    ]
  }
}

@description('Fully qualified namespace host name, e.g. sb-ndhm-dev-xyz.servicebus.windows.net (ServiceBus__FullyQualifiedNamespace).')
output fullyQualifiedNamespace string = split(split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), '/')[0], ':')[0]

@description('Name of the partner events topic.')
output partnerEventsTopicName string = partnerEvents.name

@description('Resource id of the partner events topic (for creating subscriptions through Azure Resource Manager).')
output partnerEventsTopicResourceId string = partnerEvents.id

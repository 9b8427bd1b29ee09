// Types shared by main.bicep and the modules.

@export()
@description('Resource tags: string values only, as Azure stores them.')
type tagsType = {
  @description('Tag value.')
  *: string
}

@export()
@description('One Cosmos DB container, as listed in cosmos-containers.json (mirrors Ndhm.Infrastructure.Cosmos.CosmosContainers).')
type cosmosContainer = {
  @description('Container id.')
  name: string

  @description('Partition key path; every container of the platform is partitioned on /pk.')
  partitionKeyPath: '/pk'

  @description('null: TTL off; -1: on, and each document sets its own ttl; n > 0: documents expire n seconds after their last write.')
  defaultTtl: int?

  @description('Unique key paths (each path is its own unique key). They cannot be changed once the container exists.')
  uniqueKeyPaths: string[]
}

@export()
@description('Function app settings: name to string value.')
type appSettingsType = {
  @description('Setting value.')
  *: string
}

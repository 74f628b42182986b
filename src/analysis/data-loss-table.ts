// Data-driven table of stateful resource types and the attributes that make data loss certain or avoidable.
// A type not in the table is "unknown", never "safe". Sources: each provider's resource documentation.

/** A rule reads one attribute of the prior object; the first rule that matches decides. */
export interface ProtectionRule {
  /** Attribute path in the resource's before value. */
  path: readonly (string | number)[];
  /** Matches when the attribute equals this value; `"set"` matches any non-empty value, `"unset"` null/empty. */
  equals: unknown;
  /** What a match means for the data. */
  outcome: "certain" | "avoidable";
  /** Why, for the reviewer: names the attribute, never a value beyond booleans and the word "set". */
  reason: string;
}

export interface StatefulType {
  /** Human category: database, bucket, volume, ... */
  category: string;
  /** Risk when no rule matches. */
  default: "certain" | "likely";
  rules: readonly ProtectionRule[];
}

const finalSnapshot = (skipAttr: string, idAttr: string): ProtectionRule[] => [
  { path: [skipAttr], equals: true, outcome: "certain", reason: `${skipAttr} = true: no final snapshot is taken` },
  { path: [idAttr], equals: "set", outcome: "avoidable", reason: `${idAttr} is set: a final snapshot is taken before deletion` },
];
const deletionProtection = (attr = "deletion_protection"): ProtectionRule => ({
  path: [attr],
  equals: true,
  outcome: "avoidable",
  reason: `${attr} = true: the provider refuses to delete it until protection is turned off`,
});

/** Exact type names. */
export const STATEFUL_TYPES: Readonly<Record<string, StatefulType>> = Object.freeze({
  // AWS
  aws_db_instance: { category: "database", default: "likely", rules: [deletionProtection(), ...finalSnapshot("skip_final_snapshot", "final_snapshot_identifier")] },
  aws_rds_cluster: { category: "database", default: "likely", rules: [deletionProtection(), ...finalSnapshot("skip_final_snapshot", "final_snapshot_identifier")] },
  aws_rds_cluster_instance: { category: "database instance", default: "likely", rules: [] },
  aws_neptune_cluster: { category: "database", default: "likely", rules: [deletionProtection(), ...finalSnapshot("skip_final_snapshot", "final_snapshot_identifier")] },
  aws_docdb_cluster: { category: "database", default: "likely", rules: [deletionProtection(), ...finalSnapshot("skip_final_snapshot", "final_snapshot_identifier")] },
  aws_redshift_cluster: { category: "data warehouse", default: "likely", rules: [...finalSnapshot("skip_final_snapshot", "final_snapshot_identifier")] },
  aws_dynamodb_table: { category: "database table", default: "certain", rules: [deletionProtection("deletion_protection_enabled")] },
  aws_elasticache_cluster: { category: "cache", default: "likely", rules: [{ path: ["final_snapshot_identifier"], equals: "set", outcome: "avoidable", reason: "final_snapshot_identifier is set: a final snapshot is taken" }] },
  aws_elasticache_replication_group: { category: "cache", default: "likely", rules: [{ path: ["final_snapshot_identifier"], equals: "set", outcome: "avoidable", reason: "final_snapshot_identifier is set: a final snapshot is taken" }] },
  aws_s3_bucket: {
    category: "bucket",
    default: "likely",
    rules: [
      { path: ["force_destroy"], equals: true, outcome: "certain", reason: "force_destroy = true: every object in the bucket is deleted with it" },
      { path: ["force_destroy"], equals: false, outcome: "avoidable", reason: "force_destroy = false: deleting a bucket that still holds objects fails" },
    ],
  },
  aws_ebs_volume: { category: "volume", default: "certain", rules: [{ path: ["final_snapshot"], equals: true, outcome: "avoidable", reason: "final_snapshot = true: a snapshot is taken before deletion" }] },
  aws_efs_file_system: { category: "file system", default: "certain", rules: [] },
  aws_fsx_lustre_file_system: { category: "file system", default: "certain", rules: [] },
  aws_fsx_windows_file_system: { category: "file system", default: "likely", rules: [{ path: ["skip_final_backup"], equals: true, outcome: "certain", reason: "skip_final_backup = true: no final backup" }] },
  aws_sqs_queue: { category: "queue", default: "certain", rules: [] },
  aws_kinesis_stream: { category: "stream", default: "certain", rules: [] },
  aws_msk_cluster: { category: "stream cluster", default: "certain", rules: [] },
  aws_kms_key: { category: "encryption key", default: "likely", rules: [{ path: ["deletion_window_in_days"], equals: "set", outcome: "avoidable", reason: "deletion_window_in_days is set: the key can be recovered during the waiting period" }] },
  aws_secretsmanager_secret: { category: "secret", default: "likely", rules: [{ path: ["recovery_window_in_days"], equals: 0, outcome: "certain", reason: "recovery_window_in_days = 0: the secret is deleted at once" }] },
  aws_route53_zone: { category: "DNS zone", default: "likely", rules: [{ path: ["force_destroy"], equals: true, outcome: "certain", reason: "force_destroy = true: every record in the zone is deleted with it" }] },
  aws_cloudwatch_log_group: { category: "log group", default: "certain", rules: [{ path: ["skip_destroy"], equals: true, outcome: "avoidable", reason: "skip_destroy = true: the log group is left in place" }] },
  aws_ecr_repository: { category: "image repository", default: "likely", rules: [{ path: ["force_delete"], equals: true, outcome: "certain", reason: "force_delete = true: every image is deleted with it" }] },
  aws_opensearch_domain: { category: "search cluster", default: "certain", rules: [] },
  aws_elasticsearch_domain: { category: "search cluster", default: "certain", rules: [] },
  aws_backup_vault: { category: "backup vault", default: "likely", rules: [{ path: ["force_destroy"], equals: true, outcome: "certain", reason: "force_destroy = true: recovery points are deleted with it" }] },
  aws_instance: { category: "virtual machine (root volume)", default: "likely", rules: [{ path: ["disable_api_termination"], equals: true, outcome: "avoidable", reason: "disable_api_termination = true: termination is refused" }] },
  // Google Cloud
  google_sql_database_instance: { category: "database", default: "likely", rules: [deletionProtection()] },
  google_sql_database: { category: "database", default: "certain", rules: [] },
  google_storage_bucket: {
    category: "bucket",
    default: "likely",
    rules: [
      { path: ["force_destroy"], equals: true, outcome: "certain", reason: "force_destroy = true: every object is deleted with it" },
      { path: ["force_destroy"], equals: false, outcome: "avoidable", reason: "force_destroy = false: deleting a bucket that still holds objects fails" },
    ],
  },
  google_compute_disk: { category: "disk", default: "certain", rules: [] },
  google_compute_instance: { category: "virtual machine (boot disk)", default: "likely", rules: [deletionProtection()] },
  google_bigquery_dataset: { category: "data warehouse dataset", default: "likely", rules: [{ path: ["delete_contents_on_destroy"], equals: true, outcome: "certain", reason: "delete_contents_on_destroy = true: every table is deleted with it" }] },
  google_bigquery_table: { category: "data warehouse table", default: "likely", rules: [deletionProtection()] },
  google_spanner_instance: { category: "database", default: "certain", rules: [] },
  google_spanner_database: { category: "database", default: "likely", rules: [deletionProtection()] },
  google_bigtable_instance: { category: "database", default: "likely", rules: [deletionProtection()] },
  google_redis_instance: { category: "cache", default: "certain", rules: [] },
  google_filestore_instance: { category: "file system", default: "certain", rules: [] },
  google_pubsub_topic: { category: "queue", default: "likely", rules: [] },
  google_pubsub_subscription: { category: "queue", default: "certain", rules: [] },
  google_kms_crypto_key: { category: "encryption key", default: "likely", rules: [] },
  google_dns_managed_zone: { category: "DNS zone", default: "likely", rules: [{ path: ["force_destroy"], equals: true, outcome: "certain", reason: "force_destroy = true: every record is deleted with it" }] },
  google_container_cluster: { category: "Kubernetes cluster", default: "likely", rules: [deletionProtection()] },
  google_secret_manager_secret: { category: "secret", default: "certain", rules: [] },
  // Azure
  azurerm_mssql_database: { category: "database", default: "likely", rules: [] },
  azurerm_mssql_server: { category: "database server", default: "likely", rules: [] },
  azurerm_postgresql_flexible_server: { category: "database", default: "likely", rules: [] },
  azurerm_postgresql_server: { category: "database", default: "likely", rules: [] },
  azurerm_mysql_flexible_server: { category: "database", default: "likely", rules: [] },
  azurerm_cosmosdb_account: { category: "database", default: "likely", rules: [] },
  azurerm_storage_account: { category: "storage account", default: "certain", rules: [] },
  azurerm_storage_container: { category: "bucket", default: "certain", rules: [] },
  azurerm_managed_disk: { category: "disk", default: "certain", rules: [] },
  azurerm_key_vault: { category: "secret vault", default: "likely", rules: [{ path: ["purge_protection_enabled"], equals: true, outcome: "avoidable", reason: "purge_protection_enabled = true: the vault can be recovered" }] },
  azurerm_redis_cache: { category: "cache", default: "certain", rules: [] },
  azurerm_servicebus_namespace: { category: "queue", default: "certain", rules: [] },
  azurerm_log_analytics_workspace: { category: "log workspace", default: "likely", rules: [] },
  azurerm_dns_zone: { category: "DNS zone", default: "likely", rules: [] },
  azurerm_kubernetes_cluster: { category: "Kubernetes cluster", default: "likely", rules: [] },
  // Kubernetes
  kubernetes_persistent_volume_claim: { category: "volume", default: "likely", rules: [] },
  kubernetes_persistent_volume_claim_v1: { category: "volume", default: "likely", rules: [] },
  kubernetes_persistent_volume: { category: "volume", default: "likely", rules: [{ path: ["spec", 0, "persistent_volume_reclaim_policy"], equals: "Retain", outcome: "avoidable", reason: "persistent_volume_reclaim_policy = Retain: the volume outlives the object" }] },
  kubernetes_persistent_volume_v1: { category: "volume", default: "likely", rules: [{ path: ["spec", 0, "persistent_volume_reclaim_policy"], equals: "Retain", outcome: "avoidable", reason: "persistent_volume_reclaim_policy = Retain: the volume outlives the object" }] },
  kubernetes_namespace: { category: "namespace (everything in it)", default: "certain", rules: [] },
  kubernetes_namespace_v1: { category: "namespace (everything in it)", default: "certain", rules: [] },
  kubernetes_stateful_set: { category: "stateful workload", default: "likely", rules: [] },
  kubernetes_stateful_set_v1: { category: "stateful workload", default: "likely", rules: [] },
  kubernetes_secret: { category: "secret", default: "certain", rules: [] },
  kubernetes_secret_v1: { category: "secret", default: "certain", rules: [] },
  // Others
  github_repository: { category: "code repository", default: "likely", rules: [{ path: ["archive_on_destroy"], equals: true, outcome: "avoidable", reason: "archive_on_destroy = true: the repository is archived, not deleted" }] },
  tls_private_key: { category: "private key", default: "certain", rules: [] },
  random_password: { category: "generated secret", default: "certain", rules: [] },
  vault_mount: { category: "secret engine", default: "certain", rules: [] },
  digitalocean_database_cluster: { category: "database", default: "likely", rules: [] },
  digitalocean_volume: { category: "volume", default: "certain", rules: [] },
  cloudflare_zone: { category: "DNS zone", default: "likely", rules: [] },
});

/** Types that hold no data of their own: destroying them loses configuration, not data. Prefix match on `*`. */
export const STATELESS_TYPES: readonly string[] = [
  "terraform_data",
  "null_resource",
  "time_sleep",
  "time_static",
  "random_id",
  "random_string",
  "random_pet",
  "random_integer",
  "random_shuffle",
  "local_file",
  "aws_security_group",
  "aws_security_group_rule",
  "aws_vpc_security_group_*",
  "aws_iam_*",
  "aws_route",
  "aws_route_table",
  "aws_route_table_association",
  "aws_lb_listener",
  "aws_lb_listener_rule",
  "aws_lb_target_group",
  "aws_lb_target_group_attachment",
  "aws_route53_record",
  "aws_cloudwatch_metric_alarm",
  "aws_cloudwatch_event_rule",
  "aws_cloudwatch_event_target",
  "aws_lambda_permission",
  "aws_subnet",
  "aws_vpc",
  "aws_internet_gateway",
  "aws_nat_gateway",
  "aws_eip",
  "google_project_iam_*",
  "google_*_iam_member",
  "google_*_iam_binding",
  "google_*_iam_policy",
  "google_compute_firewall",
  "google_compute_network",
  "google_compute_subnetwork",
  "google_compute_route",
  "google_dns_record_set",
  "azurerm_role_assignment",
  "azurerm_network_security_group",
  "azurerm_network_security_rule",
  "azurerm_subnet",
  "azurerm_virtual_network",
  "azurerm_dns_*_record",
  "kubernetes_config_map",
  "kubernetes_config_map_v1",
  "kubernetes_service",
  "kubernetes_service_v1",
  "kubernetes_deployment",
  "kubernetes_deployment_v1",
  "kubernetes_ingress_v1",
  "kubernetes_role",
  "kubernetes_role_binding",
];

export function isStateless(type: string): boolean {
  return STATELESS_TYPES.some((p) => (p.includes("*") ? new RegExp("^" + p.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$").test(type) : p === type));
}

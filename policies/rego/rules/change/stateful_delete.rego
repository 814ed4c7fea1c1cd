package baseplate.rules.change

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Deleting or replacing a stateful resource needs approval
# description: |
#   A plan that deletes or replaces a resource holding data (databases and clusters, S3
#   buckets, DynamoDB tables, EFS file systems, EBS volumes, KMS keys, backup vaults, log
#   groups, secrets, caches and search domains) is routed to an approver.
# custom:
#   id: CHG-001
#   severity: high
#   enforcement: advisory
#   controls: [SOC 2 CC8.1, SOC 2 A1.2]
#   remediation: Confirm the data loss is intended and backed up; to avoid a replacement, revert the change to the immutable argument or use a moved/import block.
#   message: "{address} will be {observed}d: data held by it is lost unless it was backed up."
#   resource_types: [aws_db_instance, aws_rds_cluster, aws_docdb_cluster, aws_neptune_cluster,
#     aws_redshift_cluster, aws_elasticache_replication_group, aws_opensearch_domain, aws_s3_bucket,
#     aws_dynamodb_table, aws_efs_file_system, aws_ebs_volume, aws_kms_key, aws_backup_vault,
#     aws_cloudwatch_log_group, aws_secretsmanager_secret]
#   sources: plan
#   risk: stateful-delete
deny contains finding if {
	res.is_plan
	some t in stateful_types
	some r in res.managed(t)
	change := _change(r)
	change in {"delete", "replace"}
	finding := {"rule": "CHG-001", "address": res.address(r), "attribute": null, "observed": change}
}

# Resources that hold data which a delete or replacement destroys.
stateful_types := [
	"aws_db_instance", "aws_rds_cluster", "aws_docdb_cluster", "aws_neptune_cluster",
	"aws_redshift_cluster", "aws_elasticache_replication_group", "aws_opensearch_domain",
	"aws_s3_bucket", "aws_dynamodb_table", "aws_efs_file_system", "aws_ebs_volume",
	"aws_kms_key", "aws_backup_vault", "aws_cloudwatch_log_group", "aws_secretsmanager_secret",
]

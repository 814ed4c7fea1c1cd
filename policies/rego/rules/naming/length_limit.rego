package baseplate.rules.naming

import rego.v1

import data.baseplate.lib.naming
import data.baseplate.lib.resources as res

# METADATA
# title: Names fit the service's length limit
# description: |
#   S3 buckets and RDS identifiers allow 63 characters, IAM roles and Lambda functions 64, load
#   balancers and target groups 32, backup vaults 50, ElastiCache replication groups 40. A
#   longer name fails at apply; the baseline naming helper shortens names with a hash.
# custom:
#   id: NAME-002
#   severity: medium
#   enforcement: mandatory
#   controls: [SOC 2 CC8.1]
#   remediation: Shorten the service or resource name, or use the baseline naming helper, which truncates with a stable hash.
#   message: "{address} has a {attribute} of {observed} characters, more than the service allows."
#   resource_types: [aws_s3_bucket, aws_iam_role, aws_iam_policy, aws_db_instance, aws_rds_cluster,
#     aws_lambda_function, aws_sqs_queue, aws_sns_topic, aws_dynamodb_table, aws_kms_alias, aws_lb, aws_alb,
#     aws_lb_target_group, aws_ecs_cluster, aws_ecs_service, aws_secretsmanager_secret, aws_backup_vault,
#     aws_backup_plan, aws_elasticache_replication_group]
#   sources: both
deny contains finding if {
	some e in naming.named_resources
	spec := e.spec
	r := e.resource
	name := res.known(r, [spec.attr])
	is_string(name)
	count(name) > spec.max
	finding := {"rule": "NAME-002", "address": res.address(r), "attribute": spec.attr, "observed": count(name)}
}

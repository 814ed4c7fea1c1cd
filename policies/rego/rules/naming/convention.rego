package baseplate.rules.naming

import rego.v1

import data.baseplate.lib.naming
import data.baseplate.lib.resources as res

# METADATA
# scope: rule
# title: Names follow the org-environment-service-name convention
# description: |
#   The physical name (bucket, role name, DB identifier, function name, ...) is lowercase and
#   reads <org>-<environment>-<service>-<name>. The environment segment must equal the
#   resource's Environment tag (else the stack's environment name) and the service segment its
#   Service tag, when those are known; otherwise the name needs at least four hyphen-separated
#   lowercase segments. A name_prefix is checked the same way, its own-name part may be empty.
# custom:
#   id: NAME-001
#   severity: low
#   enforcement: mandatory
#   controls: [SOC 2 CC8.1]
#   remediation: Name the resource with the baseline naming helper (formatName) or the construct's name prop, e.g. acme-prod-payments-api-invoices.
#   message: "{address} is named {observed}, which does not follow <org>-<environment>-<service>-<name> ({attribute})."
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
	b := naming.body(name, spec)
	not _follows(b, e)
	finding := {"rule": "NAME-001", "address": res.address(r), "attribute": spec.attr, "observed": name}
}

deny contains finding if {
	some e in naming.named_resources
	spec := e.spec
	spec.prefix_attr != ""
	r := e.resource
	res.is_unset(r, [spec.attr])
	prefix := res.known(r, [spec.prefix_attr])
	is_string(prefix)
	not _follows(concat("", [prefix, "x"]), e)
	finding := {"rule": "NAME-001", "address": res.address(r), "attribute": spec.prefix_attr, "observed": prefix}
}

_follows(b, e) if {
	naming.shape_ok(b)
	naming.segments_ok(b, e)
}

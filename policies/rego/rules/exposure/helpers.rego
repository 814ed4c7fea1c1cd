# METADATA
# title: Resource policies
# description: |
#   Who the resource policy of every AWS service that has one lets in, judged with the policy
#   analysis library (data.baseplate.lib.policy) as AWS evaluates it: world principals and
#   NotPrincipal without a condition that narrows who, and grants to accounts outside the
#   organization (input.organization, from governance/organization.json).
package baseplate.rules.exposure

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.resources as res

# [type, attribute]: the resource policy attribute of every service that has one.
resource_policy_attributes := [
	["aws_s3_bucket_policy", "policy"],
	["aws_s3_bucket", "policy"],
	["aws_kms_key", "policy"],
	["aws_kms_key_policy", "policy"],
	["aws_sqs_queue", "policy"],
	["aws_sqs_queue_policy", "policy"],
	["aws_sns_topic", "policy"],
	["aws_sns_topic_policy", "policy"],
	["aws_secretsmanager_secret", "policy"],
	["aws_secretsmanager_secret_policy", "policy"],
	["aws_ecr_repository_policy", "policy"],
	["aws_ecr_registry_policy", "policy"],
	["aws_opensearch_domain", "access_policies"],
	["aws_opensearch_domain_policy", "access_policies"],
	["aws_elasticsearch_domain", "access_policies"],
	["aws_elasticsearch_domain_policy", "access_policies"],
	["aws_efs_file_system_policy", "policy"],
	["aws_backup_vault_policy", "policy"],
	["aws_glacier_vault", "access_policy"],
	["aws_api_gateway_rest_api", "policy"],
	["aws_api_gateway_rest_api_policy", "policy"],
	["aws_cloudwatch_event_bus_policy", "policy"],
	["aws_cloudwatch_log_destination_policy", "access_policy"],
	["aws_cloudwatch_log_resource_policy", "policy_document"],
	["aws_glue_resource_policy", "policy"],
]

# Types whose world-open statements have their own rule (S3-009, KMS-002).
judged_elsewhere := {"aws_s3_bucket_policy", "aws_s3_bucket", "aws_kms_key", "aws_kms_key_policy"}

# resource_policies is [address, attribute, type, statements] of every resource policy, each
# document parsed once.
resource_policies := [[res.address(r), attr, t, iam.attribute_statements(r, attr)] |
	some [t, attr] in resource_policy_attributes
	some r in res.live(t)
	_has_policy(r, attr)
]

_has_policy(r, attr) if res.raw(r, [attr]) != null

_has_policy(r, attr) if {
	res.raw(r, [attr]) == null
	res.is_unknown(r, [attr])
}

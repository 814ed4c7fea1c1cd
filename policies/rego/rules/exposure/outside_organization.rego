package baseplate.rules.exposure

import rego.v1

import data.baseplate.lib.policy

# METADATA
# title: Resource policies grant nothing to accounts outside the organization
# description: |
#   No Allow statement of a resource policy (every service of EXP-001, plus S3 bucket policies
#   and KMS key policies) names an account outside the organization, as an account id, a root,
#   role or user ARN in any partition, or as the account of an aws:PrincipalAccount,
#   aws:SourceAccount or kms:CallerAccount condition on a world principal. The organization
#   and its member accounts come from governance/organization.json (input.organization);
#   without it only the stack's own account is inside. Judged only when the stack's account is
#   known; principals given by reference are not judged.
# custom:
#   id: EXP-002
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP S3.6, FSBP KMS.1, SOC 2 CC6.1, SOC 2 CC6.6]
#   remediation: >-
#     Remove the outside account from the policy, or add it to governance/organization.json when it is a
#     member account; a third party's access needs a waiver with its ticket.
#   message: "{address} grants access to the account {observed}, outside the organization ({attribute})."
#   resource_types: [aws_s3_bucket_policy, aws_s3_bucket, aws_kms_key, aws_kms_key_policy, aws_sqs_queue,
#     aws_sqs_queue_policy, aws_sns_topic, aws_sns_topic_policy, aws_secretsmanager_secret,
#     aws_secretsmanager_secret_policy, aws_ecr_repository_policy, aws_ecr_registry_policy,
#     aws_opensearch_domain, aws_opensearch_domain_policy, aws_elasticsearch_domain,
#     aws_elasticsearch_domain_policy, aws_efs_file_system_policy, aws_backup_vault_policy, aws_glacier_vault,
#     aws_api_gateway_rest_api, aws_api_gateway_rest_api_policy, aws_cloudwatch_event_bus_policy,
#     aws_cloudwatch_log_destination_policy, aws_cloudwatch_log_resource_policy, aws_glue_resource_policy,
#     aws_iam_policy_document]
#   sources: both
deny contains finding if {
	some [addr, attr, _, statements] in resource_policies
	some s in statements
	some account in policy.external_accounts(s)
	finding := {"rule": "EXP-002", "address": addr, "attribute": attr, "observed": account}
}

package baseplate.rules.exposure

import rego.v1

import data.baseplate.lib.policy

# METADATA
# title: Resource policies are not open to everyone
# description: |
#   No Allow statement in the resource policy of an SQS queue, SNS topic, Secrets Manager
#   secret, ECR repository or registry, OpenSearch/Elasticsearch domain, EFS file system, Backup
#   vault, Glacier vault, API Gateway REST API, EventBridge bus, CloudWatch Logs destination or
#   resource policy, or Glue catalog names everyone ("*", {"AWS": "*"}, a wildcard AWS principal,
#   or NotPrincipal) unless a condition narrows who: aws:PrincipalOrgID, aws:PrincipalAccount,
#   aws:PrincipalArn in a concrete account, aws:SourceVpce, aws:SourceAccount, aws:SourceArn, a
#   narrow aws:SourceIp, with a positive operator and concrete values. aws:SecureTransport,
#   ...IfExists, negated operators, ForAllValues and wildcard values narrow nothing. Buckets and
#   keys are judged by S3-009 and KMS-002. A document unknown until apply is not judged here.
# custom:
#   id: EXP-001
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP SQS.3, FSBP SNS.4, FSBP SecretsManager.5, FSBP Opensearch.1, SOC 2 CC6.1]
#   remediation: >-
#     Name the principals that need access (roles or accounts of the organization), or add a condition
#     that narrows who, such as StringEquals aws:PrincipalOrgID or aws:SourceVpce.
#   message: "{address} lets anyone in through its resource policy ({attribute}, statement {observed})."
#   resource_types: [aws_sqs_queue, aws_sqs_queue_policy, aws_sns_topic, aws_sns_topic_policy,
#     aws_secretsmanager_secret, aws_secretsmanager_secret_policy, aws_ecr_repository_policy,
#     aws_ecr_registry_policy, aws_opensearch_domain, aws_opensearch_domain_policy, aws_elasticsearch_domain,
#     aws_elasticsearch_domain_policy, aws_efs_file_system_policy, aws_backup_vault_policy, aws_glacier_vault,
#     aws_api_gateway_rest_api, aws_api_gateway_rest_api_policy, aws_cloudwatch_event_bus_policy,
#     aws_cloudwatch_log_destination_policy, aws_cloudwatch_log_resource_policy, aws_glue_resource_policy,
#     aws_iam_policy_document]
#   sources: both
deny contains finding if {
	some [addr, attr, t, statements] in resource_policies
	not judged_elsewhere[t]
	some s in statements
	policy.world_open(s)
	finding := {"rule": "EXP-001", "address": addr, "attribute": attr, "observed": s.sid}
}

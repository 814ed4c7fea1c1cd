package baseplate.rules.naming

import rego.v1

import data.baseplate.lib.naming
import data.baseplate.lib.resources as res

# METADATA
# title: Named resources set their name explicitly
# description: |
#   When neither the name nor its prefix is set, AWS or Terraform generates a random name
#   (terraform-2026...), which no one can find by convention. Names unknown until apply are
#   not judged.
# custom:
#   id: NAME-003
#   severity: low
#   enforcement: advisory
#   controls: [SOC 2 CC8.1]
#   remediation: Set the name (bucket, name, identifier, ...) with the baseline naming helper.
#   message: "{address} has no {attribute}; a random name would be generated."
#   resource_types: [aws_s3_bucket, aws_iam_role, aws_iam_policy, aws_db_instance, aws_rds_cluster,
#     aws_sqs_queue, aws_sns_topic, aws_kms_alias, aws_lb, aws_alb, aws_lb_target_group,
#     aws_secretsmanager_secret]
#   sources: both
deny contains finding if {
	some e in naming.named_resources
	spec := e.spec
	spec.prefix_attr != ""
	r := e.resource
	res.is_unset(r, [spec.attr])
	res.is_unset(r, [spec.prefix_attr])
	finding := {"rule": "NAME-003", "address": res.address(r), "attribute": spec.attr, "observed": null}
}

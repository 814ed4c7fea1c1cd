package baseplate.rules.s3

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.resources as res

# METADATA
# title: S3 bucket policies do not allow anonymous access
# description: |
#   No Allow statement in an aws_s3_bucket_policy may name the principal "*" (or {"AWS": "*"})
#   without a condition that narrows it (for example aws:SourceVpce or aws:PrincipalOrgID).
# custom:
#   id: S3-009
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP S3.2, FSBP S3.3, FSBP S3.6, SOC 2 CC6.1]
#   remediation: Name the principals that need access, or add a condition such as aws:PrincipalOrgID or aws:SourceVpce to the statement.
#   message: "{address} allows anonymous access in its bucket policy (statement {observed})."
#   resource_types: [aws_s3_bucket_policy, aws_iam_policy_document]
#   sources: both
deny contains finding if {
	some p in res.live("aws_s3_bucket_policy")
	some s in iam.attribute_statements(p, "policy")
	iam.allows(s)
	iam.is_public_principal(s)
	not iam.is_conditioned(s)
	finding := {"rule": "S3-009", "address": res.address(p), "attribute": "policy", "observed": s.sid}
}

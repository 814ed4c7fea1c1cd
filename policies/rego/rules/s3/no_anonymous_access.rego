package baseplate.rules.s3

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.policy
import data.baseplate.lib.resources as res

# METADATA
# title: S3 bucket policies do not allow anonymous access
# description: |
#   No Allow statement in an aws_s3_bucket_policy (or the legacy inline policy of aws_s3_bucket)
#   lets everyone in. Everyone and what narrows it are judged by the policy library
#   (policies/rego/lib/policy) as AWS evaluates it: "*", {"AWS": "*"}, a wildcard AWS principal
#   and NotPrincipal with Allow are everyone; only a condition that narrows who counts
#   (aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn in a concrete account,
#   aws:SourceVpce, aws:SourceAccount, aws:SourceArn, a narrow aws:SourceIp), with a positive
#   operator, without ...IfExists or ForAllValues, and with concrete values. aws:SecureTransport,
#   0.0.0.0/0 and wildcard values narrow nothing.
# custom:
#   id: S3-009
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP S3.2, FSBP S3.3, FSBP S3.6, SOC 2 CC6.1]
#   remediation: Name the principals that need access, or add a condition that narrows who, such as StringEquals aws:PrincipalOrgID or aws:SourceVpce, to the statement.
#   message: "{address} allows anonymous access in its bucket policy (statement {observed})."
#   resource_types: [aws_s3_bucket_policy, aws_s3_bucket, aws_iam_policy_document]
#   sources: both
deny contains finding if {
	some t in ["aws_s3_bucket_policy", "aws_s3_bucket"]
	some p in res.live(t)
	_has_policy(p)
	some s in iam.attribute_statements(p, "policy")
	policy.world_open(s)
	finding := {"rule": "S3-009", "address": res.address(p), "attribute": "policy", "observed": s.sid}
}

_has_policy(p) if res.raw(p, ["policy"]) != null

_has_policy(p) if res.is_unknown(p, ["policy"])

package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.policy
import data.baseplate.lib.resources as res

# METADATA
# title: Role trust policies do not trust everyone
# description: |
#   An aws_iam_role's assume_role_policy must not let everyone assume it: "*", {"AWS": "*"}, a
#   wildcard AWS principal or NotPrincipal with Allow, unless a condition narrows who
#   (aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn in a concrete account, ...) with
#   a positive operator, without ...IfExists or ForAllValues, and with concrete values
#   (policies/rego/lib/policy). aws:SecureTransport, 0.0.0.0/0 and wildcard values narrow nothing.
# custom:
#   id: IAM-003
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP IAM.1, SOC 2 CC6.1, SOC 2 CC6.3]
#   remediation: Name the trusted principal (a service such as lambda.amazonaws.com or an account/role ARN), or add a condition such as aws:PrincipalOrgID.
#   message: "{address} lets any principal assume it ({attribute}, statement {observed})."
#   resource_types: [aws_iam_role, aws_iam_policy_document]
#   sources: both
deny contains finding if {
	some r in res.live("aws_iam_role")
	some s in iam.attribute_statements(r, "assume_role_policy")
	policy.world_open(s)
	finding := {"rule": "IAM-003", "address": res.address(r), "attribute": "assume_role_policy", "observed": s.sid}
}

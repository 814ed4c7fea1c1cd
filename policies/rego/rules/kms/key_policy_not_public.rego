package baseplate.rules.kms

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.resources as res

# METADATA
# title: KMS key policies do not allow everyone
# description: |
#   No Allow statement of a key policy (aws_kms_key.policy or aws_kms_key_policy.policy) names
#   the principal "*" without a condition such as kms:CallerAccount or kms:ViaService.
# custom:
#   id: KMS-002
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP KMS.1, FSBP KMS.2, SOC 2 CC6.1]
#   remediation: Name the account root or the roles that use the key, or add a kms:CallerAccount / kms:ViaService condition to the statement.
#   message: "{address} has a key policy that allows any principal (statement {observed})."
#   resource_types: [aws_kms_key, aws_kms_key_policy, aws_iam_policy_document]
#   sources: both
deny contains finding if {
	some t in ["aws_kms_key", "aws_kms_key_policy"]
	some k in res.live(t)
	some s in iam.attribute_statements(k, "policy")
	iam.allows(s)
	iam.is_public_principal(s)
	not iam.is_conditioned(s)
	finding := {"rule": "KMS-002", "address": res.address(k), "attribute": "policy", "observed": s.sid}
}

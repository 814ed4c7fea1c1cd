package baseplate.rules.kms

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.policy
import data.baseplate.lib.resources as res

# METADATA
# title: KMS key policies do not allow everyone
# description: |
#   No Allow statement of a key policy (aws_kms_key.policy or aws_kms_key_policy.policy) lets
#   everyone use the key. Everyone and what narrows it are judged by the policy library
#   (policies/rego/lib/policy) as AWS evaluates it: "*", {"AWS": "*"}, a wildcard AWS principal
#   and NotPrincipal with Allow are everyone; only a condition that narrows who counts
#   (kms:CallerAccount, aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn in a concrete
#   account, aws:SourceVpce, ...), with a positive operator, without ...IfExists or
#   ForAllValues, and with concrete values. kms:ViaService alone, aws:SecureTransport and
#   wildcard values (kms:CallerAccount like "*") narrow nothing.
# custom:
#   id: KMS-002
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP KMS.1, FSBP KMS.2, SOC 2 CC6.1]
#   remediation: Name the account root or the roles that use the key, or add a StringEquals kms:CallerAccount (with kms:ViaService) condition naming the account to the statement.
#   message: "{address} has a key policy that allows any principal (statement {observed})."
#   resource_types: [aws_kms_key, aws_kms_key_policy, aws_iam_policy_document]
#   sources: both
deny contains finding if {
	some t in ["aws_kms_key", "aws_kms_key_policy"]
	some k in res.live(t)
	some s in iam.attribute_statements(k, "policy")
	policy.world_open(s)
	finding := {"rule": "KMS-002", "address": res.address(k), "attribute": "policy", "observed": s.sid}
}

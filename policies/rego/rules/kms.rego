# METADATA
# title: KMS guardrails
# description: |
#   Customer managed keys rotate, are not open to everyone, are deleted only after a safe
#   waiting period, and stay enabled.
package baseplate.rules.kms

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.resources as res

# Minimum deletion window in production; AWS allows 7 to 30 days and defaults to 30.
prod_min_deletion_window := 30

_symmetric(k) if {
	spec := object.get(res.values(k), "customer_master_key_spec", null)
	spec in {null, "SYMMETRIC_DEFAULT"}
	usage := object.get(res.values(k), "key_usage", null)
	usage in {null, "ENCRYPT_DECRYPT"}
}

# METADATA
# title: Symmetric KMS keys rotate automatically
# description: |
#   Every aws_kms_key with the SYMMETRIC_DEFAULT spec and ENCRYPT_DECRYPT usage (the defaults)
#   sets enable_key_rotation = true. Rotation is off when the attribute is absent. Asymmetric
#   and HMAC keys cannot rotate automatically and are not judged.
# custom:
#   id: KMS-001
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP KMS.4, CIS 3.6, SOC 2 CC6.1]
#   remediation: Set enable_key_rotation = true (and optionally rotation_period_in_days) on the key.
#   message: "{address} does not rotate its key material (enable_key_rotation = {observed})."
#   resource_types: [aws_kms_key]
#   sources: both
deny contains finding if {
	some k in res.live("aws_kms_key")
	_symmetric(k)
	not _rotates(k)
	not res.is_undecided(k, ["enable_key_rotation"])
	finding := {"rule": "KMS-001", "address": res.address(k), "attribute": "enable_key_rotation", "observed": res.raw(k, ["enable_key_rotation"])}
}

_rotates(k) if res.known(k, ["enable_key_rotation"]) in {true, "true"}

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

# METADATA
# title: Production KMS keys keep the 30-day deletion window
# description: |
#   In production (tier prod) deletion_window_in_days must be 30 (the default when absent): a
#   key scheduled for deletion by mistake makes every object it encrypts unreadable once it is
#   gone, and the window is the only time to cancel.
# custom:
#   id: KMS-003
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP KMS.3, SOC 2 A1.2]
#   remediation: Remove deletion_window_in_days or set it to 30 for production keys.
#   message: "{address} has a deletion window of {observed} days; production keys keep 30."
#   resource_types: [aws_kms_key]
#   sources: both
deny contains finding if {
	res.is_prod
	some k in res.live("aws_kms_key")
	days := res.known(k, ["deletion_window_in_days"])
	_short_window(days)
	finding := {"rule": "KMS-003", "address": res.address(k), "attribute": "deletion_window_in_days", "observed": days}
}

_short_window(days) if {
	is_number(days)
	days < prod_min_deletion_window
}

_short_window(days) if {
	is_string(days)
	to_number(days) < prod_min_deletion_window
}

# METADATA
# title: KMS keys are not created disabled
# description: |
#   An aws_kms_key with is_enabled = false cannot encrypt or decrypt; resources that depend on
#   it fail at runtime rather than at deploy time.
# custom:
#   id: KMS-004
#   severity: low
#   enforcement: advisory
#   controls: [FSBP KMS.3, SOC 2 A1.2]
#   remediation: Remove is_enabled = false, or remove the key if it is no longer used.
#   message: "{address} is disabled (is_enabled = {observed})."
#   resource_types: [aws_kms_key]
#   sources: both
deny contains finding if {
	some k in res.live("aws_kms_key")
	v := res.known(k, ["is_enabled"])
	v in {false, "false"}
	finding := {"rule": "KMS-004", "address": res.address(k), "attribute": "is_enabled", "observed": v}
}

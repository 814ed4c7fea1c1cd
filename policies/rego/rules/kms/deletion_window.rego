package baseplate.rules.kms

import rego.v1

import data.baseplate.lib.resources as res

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

# Minimum deletion window in production; AWS allows 7 to 30 days and defaults to 30.
prod_min_deletion_window := 30

_short_window(days) if {
	is_number(days)
	days < prod_min_deletion_window
}

_short_window(days) if {
	is_string(days)
	to_number(days) < prod_min_deletion_window
}

package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: No IAM access keys
# description: aws_iam_access_key creates a long-lived secret that leaks into state and logs.
# custom:
#   id: IAM-006
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP IAM.3, CIS 1.4, CIS 1.14, SOC 2 CC6.1]
#   remediation: Remove the access key; use a role (for CI, OIDC federation) that issues temporary credentials.
#   message: "{address} creates a long-lived IAM access key."
#   resource_types: [aws_iam_access_key]
#   sources: both
deny contains finding if {
	some r in res.live("aws_iam_access_key")
	finding := {"rule": "IAM-006", "address": res.address(r), "attribute": null, "observed": null}
}

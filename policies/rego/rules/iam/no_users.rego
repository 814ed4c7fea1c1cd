package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: No IAM users
# description: |
#   People sign in through IAM Identity Center and workloads use roles; aws_iam_user creates
#   long-lived identities outside both.
# custom:
#   id: IAM-005
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP IAM.2, CIS 1.15, SOC 2 CC6.2]
#   remediation: Remove the user; grant people access through IAM Identity Center permission sets and workloads through roles.
#   message: "{address} creates an IAM user."
#   resource_types: [aws_iam_user]
#   sources: both
deny contains finding if {
	some r in res.live("aws_iam_user")
	finding := {"rule": "IAM-005", "address": res.address(r), "attribute": null, "observed": null}
}

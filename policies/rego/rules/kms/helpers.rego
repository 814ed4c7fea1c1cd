# METADATA
# title: KMS guardrails
# description: |
#   Customer managed keys rotate, are not open to everyone, are deleted only after a safe
#   waiting period, and stay enabled.
package baseplate.rules.kms

import rego.v1

# METADATA
# title: Compute guardrails
# description: |
#   Instance metadata service v2, EBS encryption and instance sizes per tier.
#
#   Instance sizes (EC2-004, advisory):
#
#   | tier  | allowed instance types                                             |
#   | ----- | ------------------------------------------------------------------ |
#   | dev   | families t3, t3a, t4g; sizes nano, micro, small, medium, large      |
#   | stage | any family; sizes nano up to 2xlarge (no metal, nothing larger)     |
#   | prod  | any (capacity is reviewed in the change, not by this rule)         |
#
#   An unknown tier is not judged.
package baseplate.rules.compute

import rego.v1

import data.baseplate.lib.resources as res

# --- IMDS ----------------------------------------------------------------------------------
_is_true(true)

_is_true("true")

_block_value_undecided(_, _, v) if res.is_reference(v)

_block_value_undecided(r, path, _) if res.is_unknown(r, path)

# --- block devices -------------------------------------------------------------------------
_encryption_by_default if {
	some e in res.live("aws_ebs_encryption_by_default")
	not res.raw(e, ["enabled"]) in {false, "false"}
}

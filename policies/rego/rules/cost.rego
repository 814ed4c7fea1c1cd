# METADATA
# title: Cost guardrails
# description: |
#   Advisory rules that point at cheaper equivalent choices. None of them fails the gate.
#
#   | rule     | tiers | what                                                              |
#   | -------- | ----- | ----------------------------------------------------------------- |
#   | COST-001 | dev   | one public NAT gateway in total, not one per Availability Zone    |
#   | COST-002 | all   | gp3 instead of gp2 volumes and RDS storage                        |
#   | COST-003 | dev   | RDS classes db.t3 / db.t4g up to large, or db.serverless          |
#   | COST-004 | all   | current-generation instance and database classes                  |
package baseplate.rules.cost

import rego.v1

import data.baseplate.lib.resources as res

dev_db_families := {"t3", "t4g"}

dev_db_sizes := {"micro", "small", "medium", "large"}

# Previous-generation EC2 families (RDS classes use the same names after "db.").
previous_generation := {"t1", "t2", "m1", "m2", "m3", "m4", "c1", "c3", "c4", "r3", "r4", "i2", "d2", "g2", "p2", "x1"}

# METADATA
# title: Dev environments share one NAT gateway
# description: |
#   In dev, more than one public aws_nat_gateway (a numeric count counts as that many) is
#   reported on every NAT gateway after the first (by address): one NAT gateway for all
#   Availability Zones is enough outside production.
# custom:
#   id: COST-001
#   severity: low
#   enforcement: advisory
#   controls: [SOC 2 CC9.1]
#   remediation: Set the network construct's natGateways to "single" in dev (one NAT gateway shared by every private subnet).
#   message: "{address} is one of {observed} NAT gateways in a dev environment; one is enough."
#   resource_types: [aws_nat_gateway]
#   sources: both
deny contains finding if {
	res.tier == "dev"
	nats := [r | some r in res.live("aws_nat_gateway"); not _private_nat(r)]
	total := sum([_instances(r) | some r in nats])
	total > 1
	some i, r in nats
	_extra(i, r)
	finding := {"rule": "COST-001", "address": res.address(r), "attribute": null, "observed": total}
}

# METADATA
# title: Volumes use gp3 rather than gp2
# description: |
#   gp3 costs about 20 % less than gp2 at the same baseline performance. Checks aws_ebs_volume
#   type, aws_instance root and EBS block devices, aws_launch_template EBS mappings and
#   aws_db_instance storage_type.
# custom:
#   id: COST-002
#   severity: info
#   enforcement: advisory
#   controls: [SOC 2 CC9.1]
#   remediation: Change the volume type to gp3 (an online modification for EBS; for RDS a storage modification).
#   message: "{address} uses gp2 at {attribute}; gp3 is cheaper at the same baseline performance."
#   resource_types: [aws_ebs_volume, aws_instance, aws_launch_template, aws_db_instance]
#   sources: both
deny contains finding if {
	some hit in _gp2
	finding := {"rule": "COST-002", "address": hit.address, "attribute": hit.attribute, "observed": "gp2"}
}

# METADATA
# title: Dev databases use small burstable classes
# description: In dev, aws_db_instance and aws_rds_cluster_instance use db.t3 or db.t4g up to large, or db.serverless.
# custom:
#   id: COST-003
#   severity: low
#   enforcement: advisory
#   controls: [SOC 2 CC9.1]
#   remediation: Use db.t4g.medium (or smaller) in dev; size up in stage and prod.
#   message: "{address} uses {observed} in a dev environment; use db.t3/db.t4g up to large."
#   resource_types: [aws_db_instance, aws_rds_cluster_instance]
#   sources: both
deny contains finding if {
	res.tier == "dev"
	some t in ["aws_db_instance", "aws_rds_cluster_instance"]
	some r in res.live(t)
	class := res.known(r, ["instance_class"])
	not _dev_db_class(class)
	finding := {"rule": "COST-003", "address": res.address(r), "attribute": "instance_class", "observed": class}
}

# METADATA
# title: Instances use current-generation types
# description: |
#   aws_instance and aws_launch_template instance_type and aws_db_instance /
#   aws_rds_cluster_instance instance_class should not use a previous-generation family
#   (t2, m4, c4, r4, ...): current generations cost less for the same capacity.
# custom:
#   id: COST-004
#   severity: low
#   enforcement: advisory
#   controls: [SOC 2 CC9.1]
#   remediation: Move to the current family (t2 -> t3/t4g, m4 -> m6i/m7g, c4 -> c6i/c7g, r4 -> r6i/r7g).
#   message: "{address} uses previous-generation type {observed}."
#   resource_types: [aws_instance, aws_launch_template, aws_db_instance, aws_rds_cluster_instance]
#   sources: both
deny contains finding if {
	some t, attr in {"aws_instance": "instance_type", "aws_launch_template": "instance_type", "aws_db_instance": "instance_class", "aws_rds_cluster_instance": "instance_class"}
	some r in res.live(t)
	v := res.known(r, [attr])
	_family(v) in previous_generation
	finding := {"rule": "COST-004", "address": res.address(r), "attribute": attr, "observed": v}
}

# --- helpers -----------------------------------------------------------------------------

_private_nat(r) if res.raw(r, ["connectivity_type"]) == "private"

_instances(r) := n if {
	n := res.raw(r, ["count"])
	is_number(n)
} else := 1

# _extra(i, r): every NAT gateway after the first, and the first itself when it counts several.
_extra(i, _) if i > 0

_extra(0, r) if _instances(r) > 1

_is_gp2(v) if {
	is_string(v)
	lower(v) == "gp2"
}

_gp2 contains {"address": res.address(r), "attribute": "type"} if {
	some r in res.live("aws_ebs_volume")
	_is_gp2(res.raw(r, ["type"]))
}

_gp2 contains {"address": res.address(r), "attribute": "storage_type"} if {
	some r in res.live("aws_db_instance")
	_is_gp2(res.raw(r, ["storage_type"]))
}

_gp2 contains {"address": res.address(r), "attribute": concat("", [attr, "[", format_int(i, 10), "].volume_type"])} if {
	some r in res.live("aws_instance")
	some attr in ["root_block_device", "ebs_block_device"]
	some i, b in res.as_array(res.raw(r, [attr]))
	is_object(b)
	_is_gp2(object.get(b, "volume_type", null))
}

_gp2 contains {"address": res.address(r), "attribute": concat("", ["block_device_mappings[", format_int(i, 10), "].ebs.volume_type"])} if {
	some r in res.live("aws_launch_template")
	some i, m in res.as_array(res.raw(r, ["block_device_mappings"]))
	is_object(m)
	some ebs in res.as_array(object.get(m, "ebs", null))
	is_object(ebs)
	_is_gp2(object.get(ebs, "volume_type", null))
}

_dev_db_class(class) if {
	is_string(class)
	lower(class) == "db.serverless"
}

_dev_db_class(class) if {
	is_string(class)
	parts := split(lower(class), ".")
	count(parts) == 3
	parts[0] == "db"
	parts[1] in dev_db_families
	parts[2] in dev_db_sizes
}

# _family("m4.large") == "m4", _family("db.r4.large") == "r4"
_family(v) := parts[0] if {
	is_string(v)
	parts := split(lower(v), ".")
	count(parts) == 2
}

_family(v) := parts[1] if {
	is_string(v)
	parts := split(lower(v), ".")
	count(parts) == 3
	parts[0] == "db"
}

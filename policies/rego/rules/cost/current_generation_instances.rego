package baseplate.rules.cost

import rego.v1

import data.baseplate.lib.resources as res

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

# Previous-generation EC2 families (RDS classes use the same names after "db.").
previous_generation := {"t1", "t2", "m1", "m2", "m3", "m4", "c1", "c3", "c4", "r3", "r4", "i2", "d2", "g2", "p2", "x1"}

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

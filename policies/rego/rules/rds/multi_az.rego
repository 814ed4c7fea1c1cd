package baseplate.rules.rds

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# scope: rule
# title: Production databases span several Availability Zones
# description: |
#   In prod, aws_db_instance must set multi_az = true (read replicas exempt), and an Aurora
#   aws_rds_cluster must have at least two aws_rds_cluster_instance resources referencing it
#   (a numeric count on one instance resource counts as that many). Aurora Serverless v1 and
#   Multi-AZ DB clusters (db_cluster_instance_class) span zones by design.
# custom:
#   id: RDS-005
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP RDS.5, FSBP RDS.15, SOC 2 A1.2]
#   remediation: Set multi_az = true on the instance, or add a second cluster instance (a reader) in another Availability Zone.
#   message: "{address} is a production database in a single Availability Zone ({attribute} = {observed})."
#   resource_types: [aws_db_instance, aws_rds_cluster, aws_rds_cluster_instance]
#   sources: both
deny contains finding if {
	res.is_prod
	some r in res.live("aws_db_instance")
	not _replica(r)
	_not_true(r, ["multi_az"])
	finding := {"rule": "RDS-005", "address": res.address(r), "attribute": "multi_az", "observed": res.raw(r, ["multi_az"])}
}

deny contains finding if {
	res.is_prod
	some c in res.live("aws_rds_cluster")
	_aurora_provisioned(c)
	n := _cluster_instance_count(c)
	n < 2
	finding := {"rule": "RDS-005", "address": res.address(c), "attribute": "aws_rds_cluster_instance", "observed": n}
}

# _aurora_provisioned(c) holds for an Aurora cluster whose instances are separate resources.
_aurora_provisioned(c) if {
	not _serverless_v1(c)
	res.raw(c, ["db_cluster_instance_class"]) == null
	not res.is_unknown(c, ["db_cluster_instance_class"])
	_aurora_engine(res.raw(c, ["engine"]))
}

_aurora_engine(null)

_aurora_engine(e) if {
	is_string(e)
	startswith(lower(e), "aurora")
}

# _cluster_instance_count(c) is the number of cluster instances that reference cluster c.
_cluster_instance_count(c) := sum([n |
	some i in res.referrers("aws_rds_cluster_instance", c)
	n := _instances(i)
])

_instances(i) := n if {
	n := res.raw(i, ["count"])
	is_number(n)
} else := 2 if {
	# a count or for_each that is a reference cannot be counted; do not report it
	res.is_reference(res.raw(i, ["count"]))
} else := 2 if {
	res.raw(i, ["for_each"]) != null
} else := 1

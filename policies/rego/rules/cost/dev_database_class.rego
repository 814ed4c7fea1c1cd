package baseplate.rules.cost

import rego.v1

import data.baseplate.lib.resources as res

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

dev_db_families := {"t3", "t4g"}

dev_db_sizes := {"micro", "small", "medium", "large"}

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

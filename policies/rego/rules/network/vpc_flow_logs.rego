package baseplate.rules.network

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Every VPC has flow logs
# description: |
#   Each aws_vpc needs an aws_flow_log that references it (through vpc_id) or whose known
#   vpc_id equals the VPC's known id.
# custom:
#   id: NET-003
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP EC2.6, CIS 3.7, SOC 2 CC7.2]
#   remediation: Add an aws_flow_log with vpc_id set to this VPC (the network baseline construct does this), delivering to CloudWatch Logs or S3.
#   message: "{address} has no VPC flow log."
#   resource_types: [aws_vpc, aws_flow_log]
#   sources: both
deny contains finding if {
	some vpc in res.live("aws_vpc")
	not _has_flow_log(vpc)
	finding := {"rule": "NET-003", "address": res.address(vpc), "attribute": null, "observed": null}
}

_has_flow_log(vpc) if res.referenced_by("aws_flow_log", vpc)

_has_flow_log(vpc) if {
	id := res.known(vpc, ["id"])
	_flow_log_vpc_ids[id]
}

# Known vpc_id values of the flow logs, collected once.
_flow_log_vpc_ids contains id if {
	some f in res.live("aws_flow_log")
	id := res.known(f, ["vpc_id"])
}

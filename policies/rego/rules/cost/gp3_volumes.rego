package baseplate.rules.cost

import rego.v1

import data.baseplate.lib.resources as res

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

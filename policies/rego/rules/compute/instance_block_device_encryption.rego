package baseplate.rules.compute

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Instance block devices are encrypted
# description: |
#   aws_instance must declare root_block_device with encrypted = true and every
#   ebs_block_device encrypted; every ebs block of an aws_launch_template's
#   block_device_mappings must be encrypted. A stack that enables
#   aws_ebs_encryption_by_default is exempt. Launch templates without block_device_mappings
#   use the AMI's devices and are not judged.
# custom:
#   id: EC2-002
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP EC2.3, FSBP EC2.7, CIS 2.2.1, SOC 2 CC6.1]
#   remediation: Set encrypted = true (and kms_key_id) on root_block_device and each ebs_block_device, or enable aws_ebs_encryption_by_default in the account baseline.
#   message: "{address} has an unencrypted block device ({attribute} = {observed})."
#   resource_types: [aws_instance, aws_launch_template, aws_ebs_encryption_by_default]
#   sources: both
deny contains finding if {
	not _encryption_by_default
	some d in _unencrypted_devices
	finding := {"rule": "EC2-002", "address": d.address, "attribute": d.attribute, "observed": d.observed}
}

_unencrypted_devices contains d if {
	some r in res.live("aws_instance")
	count(res.blocks(r, "root_block_device")) == 0
	not res.is_undecided(r, ["root_block_device"])
	not _inherits_from_template_devices(r)
	d := {"address": res.address(r), "attribute": "root_block_device", "observed": null}
}

_unencrypted_devices contains d if {
	some r in res.live("aws_instance")
	some attr in ["root_block_device", "ebs_block_device"]
	some i, b in res.as_array(res.raw(r, [attr]))
	is_object(b)
	v := object.get(b, "encrypted", null)
	not _is_true(v)
	not _block_value_undecided(r, [attr, i, "encrypted"], v)
	d := {"address": res.address(r), "attribute": _indexed(attr, i, "encrypted"), "observed": v}
}

_unencrypted_devices contains d if {
	some r in res.live("aws_launch_template")
	some i, m in res.as_array(res.raw(r, ["block_device_mappings"]))
	is_object(m)
	some j, ebs in res.as_array(object.get(m, "ebs", null))
	is_object(ebs)
	v := object.get(ebs, "encrypted", null)
	not _is_true(v)
	not _block_value_undecided(r, ["block_device_mappings", i, "ebs", j, "encrypted"], v)
	not res.is_unknown(r, ["block_device_mappings", i, "ebs"])
	d := {"address": res.address(r), "attribute": _indexed("block_device_mappings", i, "ebs.encrypted"), "observed": v}
}

_inherits_from_template_devices(r) if count(res.blocks(r, "launch_template")) > 0

_indexed(attr, i, rest) := concat("", [attr, "[", format_int(i, 10), "].", rest])

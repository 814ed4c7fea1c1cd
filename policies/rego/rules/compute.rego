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

allowed_families := {"dev": {"t3", "t3a", "t4g"}}

allowed_sizes := {
	"dev": {"nano", "micro", "small", "medium", "large"},
	"stage": {"nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"},
}

# METADATA
# title: Instances require IMDSv2
# description: |
#   aws_instance and aws_launch_template must set metadata_options.http_tokens = "required"
#   (or disable the endpoint with http_endpoint = "disabled"). An aws_instance launched from a
#   launch template without its own metadata_options inherits the template's, which is checked
#   instead.
# custom:
#   id: EC2-001
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP EC2.8, FSBP EC2.170, CIS 5.6, SOC 2 CC6.1]
#   remediation: Add metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 } (the compute constructs set it).
#   message: "{address} allows IMDSv1 ({attribute} = {observed}); require session tokens."
#   resource_types: [aws_instance, aws_launch_template]
#   sources: both
deny contains finding if {
	some t in ["aws_instance", "aws_launch_template"]
	some r in res.live(t)
	not _imdsv2(r)
	not _imds_undecided(r)
	not _inherits_from_template(r)
	finding := {"rule": "EC2-001", "address": res.address(r), "attribute": "metadata_options.http_tokens", "observed": _http_tokens(r)}
}

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

# METADATA
# title: EBS volumes are encrypted
# description: aws_ebs_volume must set encrypted = true, unless the stack enables aws_ebs_encryption_by_default.
# custom:
#   id: EC2-003
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP EC2.3, FSBP EC2.7, CIS 2.2.1, SOC 2 CC6.1]
#   remediation: Set encrypted = true (and kms_key_id); an existing volume must be replaced from an encrypted snapshot copy.
#   message: "{address} is not encrypted ({attribute} = {observed})."
#   resource_types: [aws_ebs_volume, aws_ebs_encryption_by_default]
#   sources: both
deny contains finding if {
	not _encryption_by_default
	some v in res.live("aws_ebs_volume")
	not res.is_undecided(v, ["encrypted"])
	not _is_true(res.raw(v, ["encrypted"]))
	finding := {"rule": "EC2-003", "address": res.address(v), "attribute": "encrypted", "observed": res.raw(v, ["encrypted"])}
}

# METADATA
# title: Instance types fit the tier
# description: |
#   In dev, instances use t3, t3a or t4g up to large; in stage, any family up to 2xlarge.
#   Applies to aws_instance and aws_launch_template instance_type. Prod is not limited.
# custom:
#   id: EC2-004
#   severity: low
#   enforcement: advisory
#   controls: [SOC 2 CC9.1]
#   remediation: Use an instance type allowed for the tier (see policies/rego/rules/compute.rego) or raise it in a reviewed change with a waiver.
#   message: "{address} uses instance type {observed}, which this tier does not allow (dev: t3/t3a/t4g up to large; stage: up to 2xlarge)."
#   resource_types: [aws_instance, aws_launch_template]
#   sources: both
deny contains finding if {
	tier := res.tier
	sizes := allowed_sizes[tier]
	some t in ["aws_instance", "aws_launch_template"]
	some r in res.live(t)
	it := res.known(r, ["instance_type"])
	not _type_allowed(tier, sizes, it)
	finding := {"rule": "EC2-004", "address": res.address(r), "attribute": "instance_type", "observed": it}
}

# --- IMDS ----------------------------------------------------------------------------------

_is_true(v) if v == true

_is_true(v) if v == "true"

_imdsv2(r) if {
	some b in res.blocks(r, "metadata_options")
	b.http_tokens == "required"
}

_imdsv2(r) if {
	some b in res.blocks(r, "metadata_options")
	b.http_endpoint == "disabled"
}

_imds_undecided(r) if res.is_undecided(r, ["metadata_options"])

_imds_undecided(r) if {
	some i, b in res.as_array(res.raw(r, ["metadata_options"]))
	some attr in ["http_tokens", "http_endpoint"]
	_block_value_undecided(r, ["metadata_options", i, attr], object.get(b, attr, null))
}

_block_value_undecided(_, _, v) if res.is_reference(v)

_block_value_undecided(r, path, _) if res.is_unknown(r, path)

_inherits_from_template(r) if {
	r.type == "aws_instance"
	count(res.blocks(r, "launch_template")) > 0
	count(res.blocks(r, "metadata_options")) == 0
}

_http_tokens(r) := v if {
	some b in res.blocks(r, "metadata_options")
	v := b.http_tokens
} else := null

# --- block devices -------------------------------------------------------------------------

_encryption_by_default if {
	some e in res.live("aws_ebs_encryption_by_default")
	not res.raw(e, ["enabled"]) in {false, "false"}
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

# --- sizes ---------------------------------------------------------------------------------

_type_allowed(tier, sizes, it) if {
	is_string(it)
	parts := split(lower(trim_space(it)), ".")
	count(parts) == 2
	parts[1] in sizes
	_family_allowed(tier, parts[0])
}

_family_allowed(tier, family) if family in allowed_families[tier]

_family_allowed(tier, _) if not allowed_families[tier]

package baseplate.rules.backup

import rego.v1

import data.baseplate.lib.resources as res
import data.baseplate.lib.tags

# METADATA
# title: Production data stores are covered by a backup plan
# description: |
#   In prod, every aws_db_instance (read replicas exempt), aws_rds_cluster, aws_dynamodb_table
#   and aws_efs_file_system must be selected by an aws_backup_selection: by reference or ARN in
#   resources, by a selection_tag (STRINGEQUALS) or condition string_equals on
#   aws:ResourceTag/<key> matching a tag the store carries, or by resources = ["*"] without
#   tag filters.
# custom:
#   id: BAK-001
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP RDS.26, FSBP DynamoDB.4, FSBP EFS.2, SOC 2 A1.2]
#   remediation: >-
#     Tag the store Backup = <plan name> (the data-store constructs do this in prod) so the environment's
#     backup selection picks it up, or add its ARN to an aws_backup_selection.
#   message: "{address} is a production data store that no backup selection covers."
#   resource_types: [aws_db_instance, aws_rds_cluster, aws_dynamodb_table, aws_efs_file_system, aws_backup_selection]
#   sources: both
deny contains finding if {
	res.is_prod
	some t in data_store_types
	some s in res.live(t)
	not _replica(s)
	not _covered(s)
	not _tags_undecided_with_tag_selection(s)
	finding := {"rule": "BAK-001", "address": res.address(s), "attribute": null, "observed": null}
}

data_store_types := ["aws_db_instance", "aws_rds_cluster", "aws_dynamodb_table", "aws_efs_file_system"]

# What the selections select is collected once, so each store is a few set lookups.
_selections := res.live("aws_backup_selection")

# Addresses the selections reference (outside not_resources).
_selected_refs contains ref if {
	some sel in _selections
	some ref in res.references(sel)
	not _excluded(sel, ref)
}

# Known ARNs listed in resources.
_selected_arns contains arn if {
	some sel in _selections
	some arn in res.string_list(res.raw(sel, ["resources"]))
	arn != "*"
}

# [key, value] tag pairs that select resources.
_selected_tags contains [key, value] if {
	some sel in _selections
	some st in res.blocks(sel, "selection_tag")
	upper(object.get(st, "type", "")) == "STRINGEQUALS"
	key := st.key
	value := st.value
	is_string(key)
	is_string(value)
}

_selected_tags contains [trim_prefix(key, "aws:ResourceTag/"), value] if {
	some sel in _selections
	some c in res.blocks(sel, "condition")
	some se in res.sub_blocks(c, "string_equals")
	key := se.key
	value := se.value
	is_string(key)
	is_string(value)
	startswith(key, "aws:ResourceTag/")
}

# A selection of every resource without tag filters.
_select_all if {
	some sel in _selections
	"*" in res.string_list(res.raw(sel, ["resources"]))
	not _tag_filtered(sel)
}

_tag_selection if {
	some sel in _selections
	_tag_filtered(sel)
}

_covered(_) if _select_all

# Set lookups (`set[x]`), not `x in set`: the latter scans the set in OPA-Wasm.
_covered(s) if _selected_refs[res.address(s)]

# a plan instance address (module.m.aws_db_instance.db[0]) is selected through its base address
_covered(s) if _selected_refs[_instance_base(res.address(s))]

_covered(s) if {
	arn := res.known(s, ["arn"])
	is_string(arn)
	_selected_arns[arn]
}

_covered(s) if {
	some pair in _selected_tags
	tags.value(s, pair[0]) == pair[1]
}

_instance_base(a) := m[0][1] if {
	m := regex.find_all_string_submatch_n(`^(.+?)\[[^\[\]]*\]$`, a, 1)
	count(m) == 1
}

_tag_filtered(sel) if count(res.blocks(sel, "selection_tag")) > 0

_tag_filtered(sel) if {
	some c in res.blocks(sel, "condition")
	some op in ["string_equals", "string_like", "string_not_equals", "string_not_like"]
	count(res.sub_blocks(c, op)) > 0
}

# _excluded(sel, ref) holds when the reference to ref sits in not_resources (synth).
_excluded(sel, ref) if {
	some nr in res.string_list(res.raw(sel, ["not_resources"]))
	contains(nr, concat("", ["${", ref, "."]))
}

_tags_undecided_with_tag_selection(s) if {
	_tag_selection
	tags.undecided(s)
}

_replica(s) if res.raw(s, ["replicate_source_db"]) != null

_replica(s) if res.is_unknown(s, ["replicate_source_db"])

# METADATA
# title: Change-risk rules
# description: |
#   Plan-only rules that classify risky changes so the right people approve them. They are
#   advisory: they route approval (custom.risk) and never fail the gate by themselves.
#   A change is "create", "update", "delete" or "replace" (delete and create in either order);
#   no-op, read and forget never produce a finding. Synthesized input has no actions and
#   produces nothing here.
package baseplate.rules.change

import rego.v1

import data.baseplate.lib.resources as res

# _change(r) is the kind of change a plan makes to r; undefined for no-op, read, forget and
# synthesized input.
_change(r) := "replace" if {
	_replaced(r)
} else := "delete" if {
	"delete" in res.actions(r)
} else := "create" if {
	"create" in res.actions(r)
} else := "update" if {
	"update" in res.actions(r)
}

_replaced(r) if r.replace == true

_replaced(r) if {
	acts := res.actions(r)
	"delete" in acts
	"create" in acts
}

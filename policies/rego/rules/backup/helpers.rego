# METADATA
# title: Backup guardrails
# description: |
#   Production data stores are in a backup plan; backup vaults use a customer managed key and,
#   in prod, a vault lock.
#
#   Coverage convention: the data-store constructs tag each store Backup = <backup plan name>
#   and the backup baseline selects by that tag (selection_tag STRINGEQUALS, or a condition
#   string_equals on aws:ResourceTag/Backup). Listing the store's ARN in resources also counts.
package baseplate.rules.backup

import rego.v1

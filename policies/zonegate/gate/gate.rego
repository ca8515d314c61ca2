# METADATA
# title: zonegate gate entrypoints
# description: >-
#   Aggregates every rule package under data.zonegate.rules.<service>.<rule>. Estate-scope rules
#   (custom.scope: estate) run only when input.complete is true; otherwise their ids are reported in unevaluated.
package zonegate.gate

import rego.v1

# rules maps each rule package, by its path under data.zonegate.rules ("kv.purge_protection"), to {id, scope}.
rules[name] := m if {
	some service, rule
	m := data.zonegate.rules[service][rule].meta
	name := concat(".", [service, rule])
}

# complete is true only when the input says it is a whole estate.
complete if input.complete == true

_runs(m) if m.scope != "estate"

_runs(m) if {
	m.scope == "estate"
	complete
}

# METADATA
# title: findings
# description: The union of every evaluated rule's deny set (what the gate reports).
# entrypoint: true
findings contains f if {
	some service, rule
	_runs(data.zonegate.rules[service][rule].meta)
	some f in data.zonegate.rules[service][rule].deny
}

# METADATA
# title: unevaluated
# description: The ids of estate-scope rules skipped because the input is not a whole estate.
# entrypoint: true
unevaluated contains id if {
	some m in rules
	m.scope == "estate"
	not complete
	id := m.id
}

# METADATA
# title: result
# description: findings and the ids of the rules not evaluated, in one evaluation.
# entrypoint: true
result := {"findings": findings, "not_evaluated": unevaluated}

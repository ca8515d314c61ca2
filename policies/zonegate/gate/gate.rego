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

# findings is the union of every evaluated rule's deny set.
findings contains f if {
	some service, rule
	_runs(data.zonegate.rules[service][rule].meta)
	some f in data.zonegate.rules[service][rule].deny
}

# unevaluated is the set of estate-scope rule ids skipped because the input is partial.
unevaluated contains id if {
	some m in rules
	m.scope == "estate"
	not complete
	id := m.id
}

# result bundles both for a single evaluation.
result := {"findings": findings, "not_evaluated": unevaluated}

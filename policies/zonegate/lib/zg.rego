# METADATA
# title: zonegate rule helpers
# description: >-
#   Shared helpers for every rule: resources by type (no full scans), attribute lookup over the names
#   the azurerm provider used across v3/v4/v5, tri-state values (known / unknown / absent), blocks that
#   are an object (synth) or a list of objects (plan/HCL), residency lookups and the finding builder.
package zonegate.lib

import rego.v1

# ---------------------------------------------------------------------------------------------------
# Resources

# resources(type) is the list of [index, resource] pairs of that type, via input.by_type (whose index
# lists hold each index once). A list, not a set: a set would hash every resource object deeply on every
# call, and functions are not memoized in Wasm.
resources(t) := [[i, input.resources[i]] | some i in object.get(input.by_type, t, [])]

# resources_of(types) is resources() over several (distinct) types.
resources_of(ts) := [p | some t in {x | some x in ts}; some p in resources(t)]

# managed(r) is true for managed resources that are not being deleted.
managed(r) if {
	object.get(r, "mode", "managed") == "managed"
	not _deleting(r)
}

_deleting(r) if {
	r.actions == ["delete"]
}

# ---------------------------------------------------------------------------------------------------
# Paths and values

_segments(path) := split(path, ".")

_numeric(s) if regex.match(`^[0-9]+$`, s)

# _step descends one segment. A non-numeric segment on a list reads the first block (plan/HCL emit
# single blocks as one-element lists, synth emits an object).
_step(x, k) := x[k] if is_object(x)

_step(x, k) := x[to_number(k)] if {
	is_array(x)
	_numeric(k)
}

_step(x, k) := x[0][k] if {
	is_array(x)
	not _numeric(k)
	is_object(x[0])
}

# get(obj, path) reads a dotted path (up to 5 segments) from an object; undefined when absent.
get(obj, path) := _get(obj, _segments(path))

_get(x, s) := _step(x, s[0]) if count(s) == 1

_get(x, s) := _step(_step(x, s[0]), s[1]) if count(s) == 2

_get(x, s) := _step(_step(_step(x, s[0]), s[1]), s[2]) if count(s) == 3

_get(x, s) := _step(_step(_step(_step(x, s[0]), s[1]), s[2]), s[3]) if count(s) == 4

_get(x, s) := _step(_step(_step(_step(_step(x, s[0]), s[1]), s[2]), s[3]), s[4]) if count(s) == 5

_names(p) := p if is_array(p)

_names(p) := [p] if is_string(p)

# attr(r, names) is the value of the first name in names that is known and non-null in r.values.
attr(r, names) := [v |
	some n in _names(names)
	v := get(r.values, n)
	v != null
][0]

# known(r, names): some name holds a non-null value.
known(r, names) if {
	_ = attr(r, names)
}

# unknown(r, names): no name is known, and some name (or one of its parents) is known only after apply.
unknown(r, names) if {
	not known(r, names)
	some n in _names(names)
	_is_unknown(r, n)
}

_strip(path) := concat(".", [s | some s in split(path, "."); not _numeric(s)])

# _is_unknown(r, n): some unknown path of r is n, or a parent of n (list indexes ignored).
_is_unknown(r, n) if {
	sn := _strip(n)
	some u in object.get(r, "unknown", [])
	_within(_strip(u), sn)
}

_within(su, sn) if su == sn

_within(su, sn) if startswith(sn, concat("", [su, "."]))

# absent(r, names): neither known nor unknown.
absent(r, names) if {
	not known(r, names)
	not unknown(r, names)
}

# referenced(r, names): some name is a reference to another resource in the input (r.refs).
referenced(r, names) if {
	some n in _names(names)
	some p, keys in object.get(r, "refs", {})
	_strip(p) == _strip(n)
	count(keys) > 0
}

# present(r, names): an id-like attribute that is or will be set (known non-null, unknown, or a reference).
present(r, names) if known(r, names)

present(r, names) if unknown(r, names)

present(r, names) if referenced(r, names)

# value(r, names, dflt) is the known value, or dflt when the attribute is absent (the provider default;
# pass null when absence is itself a violation). Undefined when the value is unknown.
value(r, names, _) := attr(r, names)

value(r, names, dflt) := dflt if absent(r, names)

# refs_to(r, names) is the set of resource keys the attribute(s) reference.
refs_to(r, names) := {k |
	some n in _names(names)
	some p, keys in object.get(r, "refs", {})
	_strip(p) == _strip(n)
	some k in keys
}

# points_to(r, names, target): the attribute references target (by key) or equals its known id.
points_to(r, names, target) if target.key in refs_to(r, names)

points_to(r, names, target) if {
	id := get(target.values, "id")
	is_string(id)
	lower(attr(r, names)) == lower(id)
}

# ---------------------------------------------------------------------------------------------------
# Blocks

# blocks(values, name) is the list of blocks under name: an object becomes a one-element list.
blocks(values, name) := [values[name]] if is_object(values[name])

blocks(values, name) := [b | some b in values[name]; is_object(b)] if is_array(values[name])

blocks(values, name) := [] if {
	not is_object(object.get(values, name, null))
	not is_array(object.get(values, name, null))
}

# block(values, name) is the single (first) block under name; undefined when there is none.
block(values, name) := blocks(values, name)[0]

# ---------------------------------------------------------------------------------------------------
# Tenant and residency

norm_region(loc) := lower(replace(replace(loc, " ", ""), "-", ""))

zone_regions(zone) := object.get(_zone_regions, zone, set())

# _zone_regions[zone] is the set of normalized regions of each zone, computed once (a rule is memoized; a
# function is not), and looked up by key (`x in s` scans a set in Wasm; `s[x]` is a hash lookup).
_zone_regions[zone] := {norm_region(x) | some x in z.regions} if some zone, z in data.residency.zones

in_zone(location, zone) if {
	ks := _zone_regions
	ks[zone][norm_region(location)]
}

pair_of(location) := data.residency.pairs[norm_region(location)]

# zone(r) is the residency zone r's data must stay in: its tenant's, or for a stack without a tenant (the
# shared platform cluster) the zone in its stack context (its region's zone, or --residency/--tenant).
# Undefined when neither decides; residency rules report such resources rather than pass them.
zone(r) := z if {
	z := r.tenant.residency
	is_string(z)
}

zone(r) := z if {
	not _tenant_zone(r)
	z := r.context.residency
	is_string(z)
}

_tenant_zone(r) if is_string(r.tenant.residency)

tenant_has(r, framework) if framework in object.get(object.get(r, "tenant", {}), "compliance", [])

# env(r) is the tenant's environment, or the stack context's for platform stacks (tenant: null).
env(r) := r.tenant.env

env(r) := r.context.env if r.tenant == null

prod(r) if env(r) == "prod"

# owner(r) is who a subscription belongs to: the tenant id, or "platform:<region>" for the shared platform stacks
# (tenant: null). Subscription-scope controls (Defender plans, Activity Log export and alerts) are decided per
# owner_env(r) = "<owner>/<env>": one subscription per tenant × environment (all its regions), one platform
# subscription per environment × region (each shared cluster's landing zone is self-contained, and one platform unit
# of the incremental gate is one env × region).
owner(r) := object.get(r.tenant, "id", "") if is_object(r.tenant)

owner(r) := concat(":", ["platform", object.get(object.get(r, "context", {}), "region", "")]) if r.tenant == null

owner_env(r) := concat("/", [owner(r), env(r)])

# min_days(r, pci, sox, other) is the retention minimum for the tenant's frameworks (the strictest wins).
min_days(r, _, sox, _) := sox if tenant_has(r, "sox")

min_days(r, pci, _, _) := pci if {
	not tenant_has(r, "sox")
	tenant_has(r, "pci-dss-4.0")
}

min_days(r, _, _, other) := other if {
	not tenant_has(r, "sox")
	not tenant_has(r, "pci-dss-4.0")
}

# same_stack(r, t): both resources come from the same stack.
same_stack(r, t) if r.stack == t.stack

# ---------------------------------------------------------------------------------------------------
# Findings

# rule_id(chain) is the custom.id of the nearest METADATA in rego.metadata.chain().
rule_id(chain) := [id |
	some a in chain
	id := a.annotations.custom.id
][0]

# meta(chain) is what the gate needs to know about a rule: its id and scope (resource | estate).
meta(chain) := {"id": rule_id(chain), "scope": _scope(chain)}

_scope(chain) := s if {
	s := [x |
		some a in chain
		x := a.annotations.custom.scope
	][0]
} else := "resource"

finding(id, idx, msg) := {"rule": id, "resource": idx, "message": msg, "unknown": false}

unknown_finding(id, idx, path) := {
	"rule": id,
	"resource": idx,
	"message": concat("", [path, " is known only after apply; a mandatory control cannot be verified"]),
	"unknown": true,
}

# check(id, i, r, names, want, dflt, msg): the standard tri-state decision for one attribute that must
# be in the set want. A known value not in want (or dflt when absent) is a finding; an unknown value is
# an unknown finding.
check(id, i, r, names, _, _, _) := unknown_finding(id, i, _names(names)[0]) if unknown(r, names)

check(id, i, r, names, want, dflt, msg) := finding(id, i, msg) if {
	not value(r, names, dflt) in want
	not unknown(r, names)
}

# num(v) is v as a number (numbers and numeric strings); undefined otherwise.
num(v) := v if is_number(v)

num(v) := to_number(v) if {
	is_string(v)
	regex.match(`^[0-9]+(\.[0-9]+)?$`, v)
}

_ge(v, m) if num(v) >= m

# check_min(id, i, r, names, min, dflt, msg): like check, for a number that must be >= min.
check_min(id, i, r, names, _, _, _) := unknown_finding(id, i, _names(names)[0]) if unknown(r, names)

check_min(id, i, r, names, min, dflt, msg) := finding(id, i, msg) if {
	not unknown(r, names)
	not _ge(value(r, names, dflt), min)
}

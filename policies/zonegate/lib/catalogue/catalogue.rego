# METADATA
# title: approved-services catalogue helpers
# description: >-
#   Reads policies/data/services.json (data.services: resource type → entry; data.services_data_sources;
#   data.services_denied). Computes, once per evaluation, the resources whose type the catalogue does not
#   approve (managed types, data sources, and azapi resources by their ARM type), the entry each resource is
#   judged by, and the values at the catalogue's location paths (nested blocks included).
package zonegate.lib.catalogue

import data.zonegate.lib as zg
import rego.v1

_arm_types := {"azapi_resource", "azapi_update_resource"}

# arm_type(r) is the ARM resource type of an azapi resource, lower-cased, without its @api-version.
arm_type(r) := lower(split(r.values.type, "@")[0]) if is_string(r.values.type)

# _arm_index[lower(arm type)] is the catalogue type approved for it (computed once).
_arm_index[lower(e.arm_type)] := t if {
	some t, e in data.services
	is_string(e.arm_type)
}

# entry_type(r) is the catalogue type r is judged as: its own type, or for azapi resources the type whose
# arm_type matches its ARM type. Undefined when there is none.
entry_type(r) := r.type if not _arm_types[r.type]

entry_type(r) := t if {
	_arm_types[r.type]
	ix := _arm_index
	t := ix[arm_type(r)]
}

# entry(r) is the catalogue entry r is judged by.
entry(r) := data.services[entry_type(r)]

# Types present in the input that need a look at each resource: not plainly approved as managed or data.
_suspect_types contains t if {
	some t, _ in input.by_type
	not _plain(t)
}

_plain(t) if {
	data.services[t]
	data.services_data_sources[t]
}

_plain(t) if {
	data.services[t]
	not _arm_types[t]
	not _data_type_in_input(t)
}

# Whether some resource of type t is a data source (by_type does not split managed from data).
_data_type_in_input(t) if {
	some i in input.by_type[t]
	input.resources[i].mode == "data"
}

# unapproved contains [index, message] for every resource whose type the catalogue does not approve:
# managed types not in data.services, data sources not in data.services_data_sources, azapi resources whose
# ARM type is unknown, unmapped or not approved for azapi. Types in data.services_denied are left to the
# denial rule. Set elements are small (index, message), never whole resources.
unapproved contains [i, msg] if {
	some t in _suspect_types
	not data.services_denied[t]
	some [i, r] in zg.resources(t)
	msg := _why(t, r)
}

_why(t, r) := sprintf("resource type %s is not in the approved-services catalogue (policies/data/services.json)", [t]) if {
	zg.managed(r)
	not data.services[t]
}

_why(t, r) := sprintf("data source %s is not in the approved-services catalogue (policies/data/services.json services_data_sources)", [t]) if {
	r.mode == "data"
	not data.services_data_sources[t]
}

_why(t, r) := sprintf("%s has no known ARM type, so the catalogue cannot judge it", [t]) if {
	zg.managed(r)
	_arm_types[t]
	not _has_type(r)
}

_has_type(r) if is_string(r.values.type)

_why(t, r) := sprintf("%s of ARM type %s is not in the approved-services catalogue", [t, r.values.type]) if {
	zg.managed(r)
	_arm_types[t]
	is_string(r.values.type)
	ix := _arm_index
	not ix[arm_type(r)]
}

_why(t, r) := sprintf("%s of ARM type %s: only %s is approved for it (its rules read azurerm attributes, not azapi bodies)", [t, r.values.type, et]) if {
	zg.managed(r)
	_arm_types[t]
	et := entry_type(r)
	not data.services[et].azapi == true
}

# A resource of a catalogued type whose provider source is not an approved one: a fork publishing the same
# type names is not the reviewed service (its attributes need not mean what the rules assume).
unapproved contains [i, msg] if {
	some t, ids in input.by_type
	p := _type_provider(t)
	allowed := {s | some s in object.get(data.services_provider_sources, p, [])}
	some i in ids
	src := input.resources[i].provider_source
	is_string(src)
	not allowed[src]
	msg := sprintf("%s comes from provider %s; the catalogue approves %s resources only from %v", [t, src, p, sort(allowed)])
}

# _type_provider(t) is the provider short name the catalogue records for type t (else the type's prefix),
# computed once per type in the input, not once per resource.
_type_provider(t) := data.services[t].provider

_type_provider(t) := data.services_data_sources[t].provider if not data.services[t]

_type_provider(t) := split(t, "_")[0] if {
	not data.services[t]
	not data.services_data_sources[t]
}

# env_prod(r): the resource's environment is prod, or unknown (an unknown environment is judged as prod).
env_prod(r) if zg.prod(r)

env_prod(r) if not zg.env(r)

# ---------------------------------------------------------------------------------------------------
# Location paths

# body(r) is an azapi body as an object (azapi v1 plans carry it as a JSON string).
body(r) := r.values.body if is_object(r.values.body)

body(r) := json.unmarshal(r.values.body) if {
	is_string(r.values.body)
	json.is_valid(r.values.body)
}

# type_paths[t] is the catalogue's location paths of every input type that has some (computed once):
# `location` for an uncatalogued azurerm type (the catalogue rules report the type itself).
type_paths[t] := ps if {
	some t, _ in input.by_type
	ps := _type_paths(t)
	count(ps) > 0
}

_type_paths(t) := data.services[t].location_paths

_type_paths(t) := ["location"] if {
	not data.services[t]
	startswith(t, "azurerm_")
}

# location_values(r, ps) is the list of [path, value] at the location paths ps of r (for azapi resources also
# the arm_location_paths of its ARM type's entry, under body; a JSON-string body is parsed).
location_values(r, ps) := array.concat(
	[[p, v] |
		some p in ps
		not contains(p, ".")
		v := r.values[p]
		v != null
	],
	[[p, v] |
		some p in ps
		contains(p, ".")
		some v in values_at(r.values, p)
	],
) if not _arm_types[r.type]

location_values(r, ps) := [[p, v] |
	some p in array.concat(ps, _arm_paths(r))
	some v in values_at(_values(r), p)
] if _arm_types[r.type]

# location_paths(r, ps): ps plus, for azapi resources, the body paths of its ARM type's entry.
location_paths(r, ps) := array.concat(ps, _arm_paths(r))

_values(r) := object.union(r.values, {"body": b}) if b := body(r)

_values(r) := r.values if not body(r)

_arm_paths(r) := [concat(".", ["body", p]) | some p in object.get(entry(r), "arm_location_paths", [])] if _arm_types[r.type]

_arm_paths(r) := [] if not _arm_types[r.type]

# values_at(x, path) is the list of values at a dotted path: `*` (or a name on a list) visits every element
# of a list (an object is a single block), a number indexes a list. Up to 6 segments.
values_at(x, path) := _follow([x], split(path, "."))

_follow(xs, s) := _step(xs, s[0]) if count(s) == 1

_follow(xs, s) := _step(_step(xs, s[0]), s[1]) if count(s) == 2

_follow(xs, s) := _step(_step(_step(xs, s[0]), s[1]), s[2]) if count(s) == 3

_follow(xs, s) := _step(_step(_step(_step(xs, s[0]), s[1]), s[2]), s[3]) if count(s) == 4

_follow(xs, s) := _step(_step(_step(_step(_step(xs, s[0]), s[1]), s[2]), s[3]), s[4]) if count(s) == 5

_follow(xs, s) := _step(_step(_step(_step(_step(_step(xs, s[0]), s[1]), s[2]), s[3]), s[4]), s[5]) if count(s) == 6

_step(xs, k) := [v | some x in xs; some v in _at(x, k)]

_at(x, "*") := x if is_array(x)

_at(x, "*") := [x] if is_object(x)

_at(x, k) := [x[k]] if {
	k != "*"
	is_object(x)
	x[k] != null
}

_at(x, k) := [x[to_number(k)]] if {
	is_array(x)
	regex.match(`^[0-9]+$`, k)
	x[to_number(k)] != null
}

_at(x, k) := [e[k] | some e in x; is_object(e); e[k] != null] if {
	k != "*"
	is_array(x)
	not regex.match(`^[0-9]+$`, k)
}

# path_unknown(r, p): the location path (in any block), or a parent of it, is known only after apply. Unlike
# zg.unknown, a known value in another block (e.g. the first geo_location) does not hide an unknown one.
path_unknown(r, p) if {
	pp := _plain_path(p)
	some u in object.get(r, "unknown", [])
	_under(_plain_path(u), pp)
}

_under(u, p) if u == p

_under(u, p) if startswith(p, concat("", [u, "."]))

_plain_path(p) := concat(".", [s | some s in split(p, "."); s != "*"; not regex.match(`^[0-9]+$`, s)])

# global_ok(r): location "global" is allowed for r's type (catalogue global flag or residency list).
global_ok(r) if entry(r).global == true

global_ok(r) if r.type in data.residency.global_location_types

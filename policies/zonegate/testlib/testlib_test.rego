# Test fixtures shared by every *_test.rego (not part of the bundle: *_test.rego files are excluded).
package zonegate.testlib

import rego.v1

tenant := {"id": "acme", "tier": "premium", "residency": "eu", "compliance": ["pci-dss-4.0", "gdpr"], "env": "prod"}

# res(type, name, values) is a normalized resource in stack "s" of the default tenant.
res(t, name, values) := {
	"key": concat("", ["s::", t, ".", name]),
	"address": concat("", [t, ".", name]),
	"type": t,
	"name": name,
	"provider": split(t, "_")[0],
	"mode": "managed",
	"actions": ["create"],
	"values": values,
	"unknown": [],
	"refs": {},
	"source": {"kind": "synth", "file": "test"},
	"stack": "s",
	"tenant": tenant,
}

# override(r, extra) overrides top-level fields (unknown, refs, tenant, stack, …).
override(r, extra) := object.union(r, extra)

# unk(r, paths) marks paths unknown.
unk(r, paths) := object.union(r, {"unknown": paths})

# ref(r, path, target) makes r's attribute path reference target.
ref(r, path, target) := object.union(r, {"refs": object.union(r.refs, {path: [target.key]})})

# tenant_with(r, extra) overrides tenant fields.
tenant_with(r, extra) := object.union(r, {"tenant": object.union(r.tenant, extra)})

# mk(resources) is a gate input over the list.
mk(rs) := {
	"resources": rs,
	"by_type": {t: [i | some i, r in rs; r.type == t] | some x in rs; t := x.type},
	"complete": true,
}

partial(rs) := object.union(mk(rs), {"complete": false})

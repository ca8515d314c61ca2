/* zonegate posture report: client-side filtering and drawing (inlined into reports/index.html; no network). */
/* global document, window, uPlot */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("zg-data").textContent);
  var STATUSES = data.statuses; // pass, violation, advisory, waived, notEvaluated
  var GLYPH = { pass: "✓", violation: "✗", advisory: "!", waived: "W", notEvaluated: "?", none: "–" };
  var WORDS = {
    pass: "pass",
    violation: "violation",
    advisory: "advisory",
    waived: "waived",
    notEvaluated: "not evaluated",
    none: "nothing to evaluate",
  };
  var NR = data.rules.length;
  var $ = function (id) {
    return document.getElementById(id);
  };
  var sel = { tenant: $("f-tenant"), env: $("f-env"), sev: $("f-sev"), fw: $("f-fw") };

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function state() {
    return { tenant: sel.tenant.value, env: sel.env.value, sev: sel.sev.value, fw: sel.fw.value };
  }

  function fwIndex(id) {
    for (var i = 0; i < data.frameworks.length; i++) if (data.frameworks[i].id === id) return i;
    return -1;
  }

  /** counts[t * NR + r] = [pass, violation, advisory, waived, notEvaluated] under the env/severity filters. */
  function tenantRuleCounts(s) {
    var envIdx = s.env ? data.envs.indexOf(s.env) : -1;
    var out = new Map();
    for (var i = 0; i < data.cells.length; i++) {
      var c = data.cells[i];
      if (envIdx >= 0 && c[1] !== envIdx) continue;
      var rule = data.rules[c[2]];
      if (!rule) continue;
      if (s.sev && rule.sev !== s.sev) continue;
      var k = c[0] * NR + c[2];
      var acc = out.get(k);
      if (!acc) out.set(k, (acc = [0, 0, 0, 0, 0]));
      for (var j = 0; j < 5; j++) acc[j] += c[3 + j];
    }
    return out;
  }

  function worst(n) {
    if (n[1] > 0) return "violation";
    if (n[2] > 0) return "advisory";
    if (n[3] > 0) return "waived";
    if (n[4] > 0) return "notEvaluated";
    if (n[0] > 0) return "pass";
    return "none";
  }

  function visibleTenants(s) {
    return s.tenant ? [data.tenants.indexOf(s.tenant)] : data.tenants.map((_, i) => i);
  }
  function visibleFrameworks(s) {
    return s.fw ? [fwIndex(s.fw)] : data.frameworks.map((_, i) => i);
  }

  function countsText(n) {
    return STATUSES.map(function (st, j) {
      return GLYPH[st] + n[j];
    }).join(" ");
  }
  function countsLabel(n) {
    return STATUSES.map(function (st, j) {
      return n[j] + " " + WORDS[st];
    }).join(", ");
  }

  function cellNode(n, attrs, label, onActivate) {
    var st = worst(n);
    var main =
      st === "none"
        ? "–"
        : GLYPH[st] + " " + (st === "pass" ? n[0] + " pass" : n[STATUSES.indexOf(st)] + " " + WORDS[st]);
    var node = onActivate && st !== "none" ? el("a", { href: "#findings" }) : el("span");
    node.className = "cell st-" + st;
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    STATUSES.forEach(function (s2, j) {
      node.setAttribute("data-" + s2.toLowerCase(), String(n[j]));
    });
    node.setAttribute("data-status", st);
    var sr =
      label +
      ": " +
      (st === "none" ? "nothing to evaluate" : countsLabel(n)) +
      (onActivate && st !== "none" ? ". Show findings" : "");
    node.appendChild(el("span", { class: "main", "aria-hidden": "true" }, main));
    if (st !== "none") node.appendChild(el("span", { class: "counts", "aria-hidden": "true" }, countsText(n)));
    node.appendChild(el("span", { class: "sr-only" }, sr));
    if (onActivate && st !== "none") node.addEventListener("click", onActivate);
    return node;
  }

  function renderHeat(s, trc) {
    var table = $("heat");
    var thead = table.tHead;
    var tbody = table.tBodies[0];
    thead.textContent = "";
    tbody.textContent = "";
    var fws = visibleFrameworks(s);
    var hr = el("tr");
    hr.appendChild(el("th", { scope: "col" }, "Tenant"));
    fws.forEach(function (f) {
      hr.appendChild(el("th", { scope: "col" }, data.frameworks[f].label));
    });
    thead.appendChild(hr);
    var tenants = visibleTenants(s);
    var total = fws.map(function () {
      return [0, 0, 0, 0, 0];
    });
    var rows = [];
    tenants.forEach(function (t) {
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, data.tenants[t]));
      fws.forEach(function (f, fi) {
        var n = [0, 0, 0, 0, 0];
        for (var r = 0; r < NR; r++) {
          if (data.rules[r].fws.indexOf(f) < 0) continue;
          var acc = trc.get(t * NR + r);
          if (acc) for (var j = 0; j < 5; j++) n[j] += acc[j];
        }
        for (var j2 = 0; j2 < 5; j2++) total[fi][j2] += n[j2];
        var td = el("td");
        td.appendChild(
          cellNode(
            n,
            { "data-tenant": data.tenants[t], "data-fw": data.frameworks[f].id },
            data.tenants[t] + ", " + data.frameworks[f].label,
            function (ev) {
              ev.preventDefault();
              sel.tenant.value = data.tenants[t];
              sel.fw.value = data.frameworks[f].id;
              apply();
              $("h-findings").setAttribute("tabindex", "-1");
              $("findings").scrollIntoView();
              $("h-findings").focus();
            },
          ),
        );
        tr.appendChild(td);
      });
      rows.push(tr);
    });
    if (tenants.length > 1) {
      var tt = el("tr", { class: "total" });
      tt.appendChild(el("th", { scope: "row" }, "All " + tenants.length + " tenants"));
      fws.forEach(function (f, fi) {
        var td = el("td");
        td.appendChild(
          cellNode(
            total[fi],
            { "data-total": "true", "data-fw": data.frameworks[f].id },
            "All tenants, " + data.frameworks[f].label,
          ),
        );
        tt.appendChild(td);
      });
      tbody.appendChild(tt);
    }
    rows.forEach(function (r) {
      tbody.appendChild(r);
    });
  }

  var PER_TENANT_MAX = 8;

  /** Status counts of a requirement's rules for one tenant. */
  function sumRules(q, t, s, trc) {
    var n = [0, 0, 0, 0, 0];
    q.r.forEach(function (ri) {
      var rule = data.rules[ri];
      if (!rule || (s.sev && rule.sev !== s.sev)) return;
      var acc = trc.get(t * NR + ri);
      if (acc) for (var j = 0; j < 5; j++) n[j] += acc[j];
    });
    return n;
  }

  function renderPci(s, trc) {
    var view = $("pci-view");
    view.textContent = "";
    if (s.fw && s.fw !== "pci-dss-4.0") {
      view.appendChild(el("p", { class: "muted" }, "Hidden: the framework filter is " + s.fw + "."));
      return;
    }
    var showUncovered = $("pci-uncovered").checked;
    var tenants = visibleTenants(s);
    var perTenant = tenants.length <= PER_TENANT_MAX;
    var groups = new Map();
    data.pci.reqs.forEach(function (q) {
      if (!groups.has(q.p)) groups.set(q.p, []);
      groups.get(q.p).push(q);
    });
    data.pci.principal.forEach(function (p) {
      var reqs = groups.get(p.id) || [];
      var covered = reqs.filter(function (q) {
        return q.r.length > 0;
      }).length;
      // Open the groups where a visible tenant is not passing; the rest stay folded (their summary says so).
      var issues = 0;
      reqs.forEach(function (q) {
        tenants.forEach(function (t) {
          var n = sumRules(q, t, s, trc);
          if (n[1] + n[2] + n[3] + n[4] > 0) issues++;
        });
      });
      var det = el("details", issues ? { class: "pci-group", open: "" } : { class: "pci-group" });
      var label = "Requirement " + p.id + " — " + p.title + " (" + covered + " of " + reqs.length + " covered by rules";
      det.appendChild(el("summary", null, label + (issues ? "; " + issues + " results not passing)" : ")")));
      var table = el("table", { class: "pci-table" });
      var hr = el("tr");
      hr.appendChild(el("th", { scope: "col" }, "Requirement"));
      hr.appendChild(el("th", { scope: "col" }, "Rules"));
      if (perTenant)
        tenants.forEach(function (t) {
          hr.appendChild(el("th", { scope: "col" }, data.tenants[t]));
        });
      else hr.appendChild(el("th", { scope: "col" }, "Status per tenant"));
      var thead = el("thead");
      thead.appendChild(hr);
      table.appendChild(thead);
      var tbody = el("tbody");
      reqs.forEach(function (q) {
        if (!showUncovered && q.r.length === 0) return;
        var tr = el("tr", { "data-req": q.id, "data-covered": q.r.length ? "true" : "false" });
        var th = el("th", { scope: "row" });
        th.appendChild(el("span", { class: "pci-req-id" }, q.id));
        th.appendChild(document.createTextNode(" " + q.t));
        tr.appendChild(th);
        var rc = el("td");
        if (q.r.length === 0) rc.appendChild(el("span", { class: "tag-na" }, "not covered by any rule"));
        q.r.forEach(function (ri, k) {
          var rule = data.rules[ri];
          if (!rule) return;
          if (k) rc.appendChild(document.createTextNode(", "));
          var a = el("a", { href: rule.doc, title: rule.title }, rule.id);
          rc.appendChild(a);
        });
        tr.appendChild(rc);
        var statusOf = function (t) {
          return sumRules(q, t, s, trc);
        };
        if (q.r.length === 0) {
          var na = el("td", perTenant ? { colspan: String(tenants.length) } : null, "—");
          tr.appendChild(na);
        } else if (perTenant) {
          tenants.forEach(function (t) {
            var td = el("td");
            td.appendChild(cellNode(statusOf(t), { "data-tenant": data.tenants[t] }, q.id + ", " + data.tenants[t]));
            tr.appendChild(td);
          });
        } else {
          var by = { pass: [], violation: [], advisory: [], waived: [], notEvaluated: [], none: [] };
          tenants.forEach(function (t) {
            by[worst(statusOf(t))].push(data.tenants[t]);
          });
          var td2 = el("td");
          ["violation", "advisory", "waived", "notEvaluated", "pass", "none"].forEach(function (st) {
            var list = by[st];
            if (!list.length) return;
            var named =
              st === "pass" || st === "none" ? "" : ": " + list.slice(0, 6).join(", ") + (list.length > 6 ? " …" : "");
            var chip = el("span", { class: "chip st-" + st }, GLYPH[st] + " " + list.length + " " + WORDS[st] + named);
            td2.appendChild(chip);
          });
          tr.appendChild(td2);
        }
        tbody.appendChild(tr);
      });
      table.appendChild(tbody);
      var wrap = el("div", {
        class: "scroll",
        tabindex: "0",
        role: "region",
        "aria-label": "PCI DSS requirement " + p.id,
      });
      wrap.appendChild(table);
      det.appendChild(wrap);
      view.appendChild(det);
    });
  }

  function rowMatches(tr, s) {
    if (s.tenant) {
      var t = tr.getAttribute("data-tenant");
      if (t !== s.tenant && t !== "*") return false;
    }
    if (s.env && tr.hasAttribute("data-env") && tr.getAttribute("data-env") !== s.env) return false;
    if (s.sev && tr.getAttribute("data-sev") !== s.sev) return false;
    if (s.fw && (" " + tr.getAttribute("data-fw") + " ").indexOf(" " + s.fw + " ") < 0) return false;
    return true;
  }

  function filterRows(selector, s) {
    var rows = document.querySelectorAll(selector);
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var ok = rowMatches(rows[i], s);
      rows[i].hidden = !ok;
      if (ok) shown++;
    }
    return { shown: shown, total: rows.length };
  }

  var FSTATUS = ["violation", "advisory", "waived"];
  var FGLYPH = ["✗", "!", "W"];
  var PAGE = 200;
  var findingLimit = PAGE;

  function findingMatches(f, s) {
    var rule = data.rules[f[1]];
    if (s.tenant && data.tenants[f[2]] !== s.tenant) return false;
    if (s.env && data.envs[f[3]] !== s.env) return false;
    if (s.sev && f[13] !== s.sev) return false;
    if (s.fw && (!rule || rule.fws.indexOf(fwIndex(s.fw)) < 0)) return false;
    return true;
  }

  function small(text) {
    return el("small", null, text);
  }

  function td(label) {
    return el("td", { "data-label": label });
  }

  function findingRow(f, i) {
    var rule = data.rules[f[1]] || { id: f[14], title: "", href: "", doc: "", fix: "", construct: "", fws: [] };
    var status = FSTATUS[f[0]];
    var tenant = data.tenants[f[2]];
    var tr = el("tr", {
      id: "f" + (i + 1),
      class: "finding",
      "data-tenant": tenant,
      "data-env": data.envs[f[3]],
      "data-sev": f[13],
      "data-rule": f[14],
      "data-status": status,
      "data-fw": rule.fws
        .map(function (k) {
          return data.frameworks[k].id;
        })
        .join(" "),
    });
    var c = td("Status");
    c.appendChild(el("span", { class: "badge st-" + status }, FGLYPH[f[0]] + " " + status));
    if (f[11]) {
      c.appendChild(el("br"));
      c.appendChild(small("waiver expired " + f[11]));
    }
    if (f[10]) {
      c.appendChild(el("br"));
      c.appendChild(small("unknown until apply"));
    }
    tr.appendChild(c);
    c = td("Severity");
    c.appendChild(el("span", { class: "sev sev-" + f[13] }, f[13]));
    tr.appendChild(c);
    c = td("Rule");
    c.appendChild(el("a", { href: rule.doc }, rule.id));
    c.appendChild(el("br"));
    c.appendChild(small(rule.title));
    c.appendChild(el("br"));
    var src = el("small");
    src.appendChild(el("a", { href: rule.href }, "rule source"));
    c.appendChild(src);
    tr.appendChild(c);
    c = td("Tenant · env");
    c.appendChild(document.createTextNode(tenant + " · " + data.envs[f[3]]));
    c.appendChild(el("br"));
    c.appendChild(small(data.stacks[f[4]]));
    tr.appendChild(c);
    c = td("Resource");
    c.appendChild(el("code", null, f[5]));
    c.appendChild(el("br"));
    c.appendChild(small(f[6]));
    tr.appendChild(c);
    c = td("Where it is set");
    if (f[8]) {
      c.appendChild(el("code", null, f[8]));
      c.appendChild(el("br"));
    }
    if (rule.construct) {
      c.appendChild(small("construct " + rule.construct));
      c.appendChild(el("br"));
    }
    c.appendChild(small(f[7]));
    if (tenant && tenant.charAt(0) !== "(") {
      c.appendChild(el("br"));
      var tf = el("small");
      tf.appendChild(el("a", { href: data.base + "tenants/" + tenant + ".yaml" }, "tenant file"));
      c.appendChild(tf);
    }
    tr.appendChild(c);
    c = td("Finding");
    c.appendChild(document.createTextNode(f[9]));
    if (rule.fix) {
      var p = el("p", { class: "remediation" });
      p.appendChild(el("b", null, "Fix: "));
      p.appendChild(document.createTextNode(rule.fix));
      c.appendChild(p);
    }
    if (f[12]) c.appendChild(el("p", { class: "waived-by" }, f[12]));
    tr.appendChild(c);
    return tr;
  }

  /** Draw the matching findings, the first `findingLimit` of them. */
  function renderFindings(s) {
    var table = $("findings-table");
    if (!table) return { shown: 0, total: 0 };
    var tbody = table.tBodies[0];
    tbody.textContent = "";
    var match = [];
    for (var i = 0; i < data.findings.length; i++) if (findingMatches(data.findings[i], s)) match.push(i);
    var frag = document.createDocumentFragment();
    for (var k = 0; k < match.length && k < findingLimit; k++)
      frag.appendChild(findingRow(data.findings[match[k]], match[k]));
    tbody.appendChild(frag);
    var more = $("findings-more");
    var rest = match.length - Math.min(match.length, findingLimit);
    more.hidden = rest <= 0;
    more.textContent = "Show " + Math.min(rest, PAGE) + " more of " + rest + " remaining findings";
    return { shown: match.length, total: data.findings.length, drawn: Math.min(match.length, findingLimit) };
  }

  function describe(s) {
    var parts = [];
    if (s.tenant) parts.push("tenant " + s.tenant);
    if (s.env) parts.push("environment " + s.env);
    if (s.sev) parts.push("severity " + s.sev);
    if (s.fw) parts.push("framework " + sel.fw.options[sel.fw.selectedIndex].text);
    return parts.length ? "Filtered by " + parts.join(", ") + "." : "No filter: the whole estate.";
  }

  function apply() {
    var s = state();
    var trc = tenantRuleCounts(s);
    renderHeat(s, trc);
    renderPci(s, trc);
    findingLimit = PAGE;
    var f = renderFindings(s);
    var w = filterRows("#waivers-table tbody tr", s);
    $("findings-count").textContent =
      (f.shown === f.total
        ? f.total + " finding" + (f.total === 1 ? "" : "s")
        : f.shown + " of " + f.total + " findings match") +
      (f.drawn < f.shown ? " (first " + f.drawn + " listed)" : "");
    if (w.total)
      $("waivers-count").firstChild.textContent =
        w.shown === w.total
          ? w.total + " waiver" + (w.total === 1 ? "" : "s")
          : "Showing " + w.shown + " of " + w.total + " waivers";
    $("filter-status").textContent = describe(s);
    document.body.setAttribute("data-filtered", s.tenant || s.env || s.sev || s.fw ? "true" : "false");
  }

  function drawTrend() {
    var box = $("trend-chart");
    if (!data.history.length || typeof uPlot === "undefined") {
      box.textContent = "No run history yet.";
      return;
    }
    var xs = data.history.map(function (h) {
      return Math.round(Date.parse(h.at) / 1000);
    });
    // uPlot needs increasing x: runs in the same second are spread by one second.
    for (var i = 1; i < xs.length; i++) if (xs[i] <= xs[i - 1]) xs[i] = xs[i - 1] + 1;
    var series = [
      xs,
      data.history.map(function (h) {
        return h.v;
      }),
      data.history.map(function (h) {
        return h.w;
      }),
      data.history.map(function (h) {
        return h.s;
      }),
    ];
    var width = function () {
      return Math.max(280, Math.min(box.parentNode.clientWidth || 600, 1200));
    };
    var opts = {
      width: width(),
      height: 240,
      series: [
        {},
        { label: "violations", stroke: "#D55E00", width: 2, points: { show: true } },
        { label: "waived", stroke: "#0072B2", width: 2, dash: [6, 4], points: { show: true } },
        { label: "expiring ≤ 30 d", stroke: "#CC79A7", width: 2, dash: [2, 3], points: { show: true } },
      ],
      axes: [{}, { label: "count" }],
      scales: { y: { range: [0, null] } },
    };
    var plot = new uPlot(opts, series, box);
    window.addEventListener("resize", function () {
      plot.setSize({ width: width(), height: 240 });
    });
  }

  Object.keys(sel).forEach(function (k) {
    sel[k].addEventListener("change", apply);
  });
  $("pci-uncovered").addEventListener("change", apply);
  if ($("findings-more"))
    $("findings-more").addEventListener("click", function () {
      findingLimit += PAGE;
      renderFindings(state());
    });
  $("filter-form").addEventListener("reset", function () {
    window.setTimeout(apply, 0);
  });
  $("filter-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
  });
  apply();
  drawTrend();
  document.body.setAttribute("data-ready", "true");
})();

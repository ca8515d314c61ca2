/**
 * Import-graph rules (`npm run lint:deps`, part of `npm run lint`). Issue 14: the floors run one way.
 *  - no circular imports anywhere in lib/, stacks/, constructs/, scripts/ (type-only imports count: a type
 *    cycle is still a circle a reader has to walk);
 *  - the gate (lib/gate) is a library: it never imports the estate (stacks/) or the constructs (constructs/);
 *    the CLI wires what it needs and passes it in.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Circular imports (type-only imports included) make the floors run both ways; break the circle.",
      from: { path: "^(lib|stacks|constructs|scripts)/" },
      to: { circular: true },
    },
    {
      name: "gate-is-a-library",
      severity: "error",
      comment:
        "lib/gate must not import stacks/ or constructs/ (directly or through another module): the CLI wires " +
        "the estate, tenant loader and synth in through options.",
      from: { path: "^lib/gate/" },
      to: { path: "^(stacks|constructs)/", reachable: true },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import that does not resolve (a typo, or a computed path) is a hidden import.",
      from: { path: "^(lib|stacks|constructs|scripts)/" },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|cdktf\\.out|policies/dist|test/)" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

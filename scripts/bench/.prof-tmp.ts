import * as fs from "node:fs";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
(async () => {
  const mode = process.argv[2];
  const pol = await loadPolicy(fs.readFileSync("/work/main/policies/dist/policy.wasm"), mode === "init" ? { initial: 4000 } : mode === "max" ? { initial: 5, maximum: 65536 } : mode === "big" ? { initial: 65535 } : {});
  pol.setData(JSON.parse(fs.readFileSync("/work/main/policies/dist/data.json", "utf8")));
  if (mode === "grow") (pol as any).mem.grow(4000);
  const input = JSON.parse(fs.readFileSync("/tmp/zgbench-20289/input.json", "utf8"));
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    pol.evaluate(mode === "ab" ? new TextEncoder().encode(JSON.stringify(input)).buffer : input, "zonegate/gate/findings");
    console.log(mode, (performance.now() - t).toFixed(0), (pol as any).mem.buffer.byteLength/1048576, "rss", (process.resourceUsage().maxRSS/1024).toFixed(0));
  }
})();

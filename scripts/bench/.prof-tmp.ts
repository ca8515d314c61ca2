import * as fs from "node:fs";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
(async () => {
  const init = Number(process.argv[2]);
  let t = performance.now();
  const pol = await loadPolicy(fs.readFileSync("/work/main/policies/dist/policy.wasm"), init ? { initial: init } : {});
  pol.setData(JSON.parse(fs.readFileSync("/work/main/policies/dist/data.json", "utf8")));
  const input = JSON.parse(fs.readFileSync("/tmp/zgbench-20289/input.json", "utf8"));
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    pol.evaluate(input, "zonegate/gate/findings");
    console.log(init, (performance.now() - t).toFixed(0), (pol as any).mem.buffer.byteLength/1048576);
  }
})();

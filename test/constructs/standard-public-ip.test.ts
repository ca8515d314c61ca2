// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { standardPublicIp, type StandardPublicIpProps } from "../../constructs/standard-public-ip";
import { all, parse } from "../helpers/synth";

Testing.setupJest();

const props: StandardPublicIpProps = {
  name: "pip-t",
  resourceGroupName: "rg",
  location: "westeurope",
  zones: ["1", "2", "3"],
  tags: { tenant: "t" },
  workspaceId: "/ws",
};

describe("standardPublicIp", () => {
  it("is a static, zone-redundant Standard address", () => {
    const out = Testing.synthScope((s) => {
      standardPublicIp(s, props);
    });
    expect(out).toHaveResourceWithProperties(PublicIp, {
      name: "pip-t",
      location: "westeurope",
      allocation_method: "Static",
      sku: "Standard",
      zones: ["1", "2", "3"],
      tags: { tenant: "t" },
    });
  });

  it("sends its logs and metrics to the workspace (ZG-LOG-004), under the ids the constructs always had", () => {
    const tf = parse(
      Testing.synthScope((s) => {
        standardPublicIp(s, props);
      }),
    );
    expect(Object.keys(tf.resource.azurerm_public_ip)).toEqual(["public-ip"]);
    const settings = all(tf, "azurerm_monitor_diagnostic_setting");
    expect(settings).toHaveLength(1);
    expect(settings[0]).toEqual(
      expect.objectContaining({
        log_analytics_workspace_id: "/ws",
        target_resource_id: expect.stringMatching(/^\$\{azurerm_public_ip\.public-ip\.id\}$/),
        enabled_log: [{ category_group: "allLogs" }],
        enabled_metric: [{ category: "AllMetrics" }],
      }),
    );
    expect(Object.keys(tf.resource.azurerm_monitor_diagnostic_setting)[0]).toMatch(/^public-ip-diagnostics_/);
  });

  it("has no zones where the region has none", () => {
    const out = Testing.synthScope((s) => {
      standardPublicIp(s, { ...props, zones: [] });
    });
    const ip = all(parse(out), "azurerm_public_ip")[0];
    expect(ip.zones).toBeUndefined();
    expect(ip.sku).toBe("Standard");
    expect(out).toHaveResource(MonitorDiagnosticSetting);
  });
});

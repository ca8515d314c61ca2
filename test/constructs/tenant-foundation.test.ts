// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { LogAnalyticsWorkspace as AzWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { ManagementLock } from "@cdktf/provider-azurerm/lib/management-lock";
import { TenantFoundation, tenantTags } from "../../constructs/tenant-foundation";
import { testTenant } from "../helpers/tenants";

Testing.setupJest();

describe("TenantFoundation", () => {
  const tenant = testTenant({ frameworks: ["pci-dss-4.0", "gdpr"], environments: ["dev", "prod"] });
  const props = { tenant, region: "westeurope", resourceGroupName: "rg-t", workspaceName: "log-t" };

  it("tags the resource group with the mandatory tags and locks prod", () => {
    const out = Testing.synthScope((s) => {
      new TenantFoundation(s, "f", {
        ...props,
        env: "prod",
        costCenter: "cc-42",
        extraTags: { tenant: "evil", team: "x" },
      });
    });
    expect(out).toHaveResourceWithProperties(ResourceGroup, {
      name: "rg-t",
      location: "westeurope",
      tags: {
        tenant: "northwind-bank",
        tier: "premium",
        env: "prod",
        residency: "eu",
        compliance: "gdpr,pci-dss-4.0",
        "managed-by": "zonegate",
        "data-classification": "confidential",
        "cost-center": "cc-42",
        team: "x",
      },
    });
    expect(out).toHaveResourceWithProperties(ManagementLock, { lock_level: "CanNotDelete" });
    expect(out).toHaveResourceWithProperties(AzWorkspace, { retention_in_days: 90 });
  });

  it("does not lock dev and rejects unknown env/region", () => {
    const out = Testing.synthScope((s) => {
      new TenantFoundation(s, "f", { ...props, env: "dev" });
    });
    expect(out).not.toHaveResource(ManagementLock);
    expect(() => Testing.synthScope((s) => new TenantFoundation(s, "f", { ...props, env: "staging" }))).toThrow(
      /not an environment/,
    );
    expect(() =>
      Testing.synthScope((s) => new TenantFoundation(s, "f", { ...props, env: "dev", region: "eastus" })),
    ).toThrow(/not a region/);
  });

  it("mandatory tags cannot be overridden", () => {
    expect(tenantTags(tenant, "dev", undefined, { "managed-by": "me" })["managed-by"]).toBe("zonegate");
  });
});

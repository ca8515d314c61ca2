// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { SecurityCenterSubscriptionPricing } from "@cdktf/provider-azurerm/lib/security-center-subscription-pricing";
import { SecurityCenterContact } from "@cdktf/provider-azurerm/lib/security-center-contact";
import { DefenderForCloud, DEFENDER_PLANS } from "../../constructs/defender-for-cloud";
import { all, parse } from "../helpers/synth";

Testing.setupJest();
const oc = expect.objectContaining;

describe("DefenderForCloud", () => {
  const out = Testing.synthScope((s) => {
    new DefenderForCloud(s, "defender", { securityContactEmail: "soc@bank.example" });
  });

  it("enables every plan at tier Standard, chained so the API is not called in parallel", () => {
    const plans = all(parse(out), "azurerm_security_center_subscription_pricing");
    expect(plans.map((p) => p.resource_type).sort()).toEqual(
      ["Api", "Arm", "Containers", "KeyVaults", "StorageAccounts"].sort(),
    );
    expect(plans.every((p) => p.tier === "Standard")).toBe(true);
    expect(plans.filter((p) => p.depends_on).length).toBe(DEFENDER_PLANS.length - 1);
  });

  it("scans storage uploads for malware", () => {
    expect(out).toHaveResourceWithProperties(SecurityCenterSubscriptionPricing, {
      resource_type: "StorageAccounts",
      subplan: "DefenderForStorageV2",
      extension: expect.arrayContaining([oc({ name: "OnUploadMalwareScanning" })]),
    });
  });

  it("has a security contact with alert notifications", () => {
    expect(out).toHaveResourceWithProperties(SecurityCenterContact, {
      email: "soc@bank.example",
      alert_notifications: true,
      alerts_to_admins: true,
    });
  });

  it("rejects a malformed contact and offers no prop to weaken the plans", () => {
    expect(() =>
      Testing.synthScope((s) => new DefenderForCloud(s, "d", { securityContactEmail: "not-an-address" })),
    ).toThrow(/e-mail/);
    // @ts-expect-error the tier is not configurable
    const bad: ConstructorParameters<typeof DefenderForCloud>[2] = { securityContactEmail: "a@b.c", tier: "Free" };
    expect(bad).toBeDefined();
  });
});

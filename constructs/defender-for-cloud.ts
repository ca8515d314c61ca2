/**
 * DefenderForCloud — Microsoft Defender for Cloud on one subscription (a tenant × environment, or the platform
 * subscription of an environment): the paid (Standard) plans for every resource type the landing zone runs, and
 * the subscription's security contact with alert notifications (PCI DSS 5.2–5.3 anti-malware / threat detection,
 * 11.5.1 intrusion detection, 12.10 incident response).
 *
 * Always on (not props):
 *  - plans at tier `Standard` for Key Vault (`KeyVaults`, per-vault), Containers (AKS runtime sensor, registry
 *    vulnerability assessment, agentless discovery), APIs (`Api`, P1), Storage (`StorageAccounts`, Defender for
 *    Storage v2 with **on-upload malware scanning** and sensitive data discovery) and Resource Manager (`Arm`);
 *  - the security contact receives alert notifications (`alert_notifications = true`) and subscription owners are
 *    told as well (`alerts_to_admins = true`).
 *
 * Defender plans and the security contact are subscription singletons: build this construct once per
 * subscription (the stacks put it in the first region's security stack of a tenant × env, and in every platform
 * stack — each platform env × region is its own subscription). Pricing updates on one subscription conflict when sent in parallel, so the plans are
 * chained with `depends_on`.
 *
 * Satisfies: ZG-DEF-001, ZG-DEF-002, ZG-DEF-003, ZG-DEF-004
 */
import { Construct } from "constructs";
import { SecurityCenterSubscriptionPricing } from "@cdktf/provider-azurerm/lib/security-center-subscription-pricing";
import { SecurityCenterContact } from "@cdktf/provider-azurerm/lib/security-center-contact";

/** One Defender plan as zonegate configures it. */
export interface DefenderPlan {
  /** `resource_type` of azurerm_security_center_subscription_pricing. */
  readonly resourceType: string;
  readonly subplan?: string;
  readonly extensions?: readonly { readonly name: string; readonly properties?: Record<string, string> }[];
}

/** The plans every zonegate subscription enables (ZG-DEF-001 requires them). */
export const DEFENDER_PLANS: readonly DefenderPlan[] = [
  { resourceType: "KeyVaults", subplan: "PerKeyVault" },
  {
    resourceType: "Containers",
    extensions: [
      { name: "ContainerRegistriesVulnerabilityAssessments" },
      { name: "AgentlessDiscoveryForKubernetes" },
      { name: "ContainerSensor" },
    ],
  },
  { resourceType: "Api", subplan: "P1" },
  {
    resourceType: "StorageAccounts",
    subplan: "DefenderForStorageV2",
    extensions: [
      { name: "OnUploadMalwareScanning", properties: { CapGBPerMonthPerStorageAccount: "5000" } },
      { name: "SensitiveDataDiscovery" },
    ],
  },
  { resourceType: "Arm", subplan: "PerSubscription" },
];

export interface DefenderForCloudProps {
  /**
   * E-mail of the subscription's security contact (tenant `contacts.security`); several addresses separated by `;`
   * (the platform subscription tells every served tenant). Required.
   */
  readonly securityContactEmail: string;
  /**
   * Phone number of the security contact.
   * @default none
   */
  readonly securityContactPhone?: string;
  /**
   * Name of the security contact (azurerm 4.x requires one).
   * @default "default"
   */
  readonly contactName?: string;
}

export class DefenderForCloud extends Construct {
  /** Pricing resources by Defender resource type. */
  public readonly plans: Record<string, SecurityCenterSubscriptionPricing> = {};
  public readonly contact: SecurityCenterContact;

  constructor(scope: Construct, id: string, props: DefenderForCloudProps) {
    super(scope, id);
    if (!props.securityContactEmail.split(";").every((e) => /^[^@\s;]+@[^@\s;]+$/.test(e))) {
      throw new Error(`${this.node.path}: securityContactEmail must be an e-mail address`);
    }
    let previous: SecurityCenterSubscriptionPricing | undefined;
    for (const p of DEFENDER_PLANS) {
      const pricing: SecurityCenterSubscriptionPricing = new SecurityCenterSubscriptionPricing(
        this,
        `plan-${p.resourceType.toLowerCase()}`,
        {
          tier: "Standard",
          resourceType: p.resourceType,
          subplan: p.subplan,
          extension: p.extensions?.map((e) => ({
            name: e.name,
            additionalExtensionProperties: e.properties ? { ...e.properties } : undefined,
          })),
          dependsOn: previous ? [previous] : undefined,
        },
      );
      this.plans[p.resourceType] = pricing;
      previous = pricing;
    }
    this.contact = new SecurityCenterContact(this, "contact", {
      name: props.contactName ?? "default",
      email: props.securityContactEmail,
      phone: props.securityContactPhone,
      alertNotifications: true,
      alertsToAdmins: true,
    });
  }
}

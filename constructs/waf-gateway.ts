/**
 * WafGateway — the only internet entry to a tenant's APIs (PCI DSS 6.4.1, 6.4.2, 1.3.1, 4.2.1): an Application
 * Gateway WAF v2 with a public frontend in the landing zone's `appgw` subnet, in front of the tenant's internal
 * API Management gateway (reached over its private IP, TLS with the `*.azure-api.net` host name).
 *
 * Always on (not props):
 *  - a WAF policy in **Prevention** mode with the OWASP Core Rule Set **3.2** and the Microsoft Bot Manager rule
 *    set, request body inspection on, size limits, attached to the gateway (`firewall_policy_id`);
 *  - HTTPS only: one listener on 443 with the tenant's certificate from its Key Vault (read by a user-assigned
 *    identity with Key Vault Secrets User on that vault only), TLS policy AppGwSslPolicy20220101S (TLS 1.2+, strong
 *    ciphers), no HTTP listener; HTTPS to the backend with a health probe on APIM's status endpoint;
 *  - zone-redundant gateway and public IP where the region has zones; autoscaling 2–10 instances;
 *  - NSG rules on the appgw subnet: GatewayManager → 65200-65535 (required by v2), AzureLoadBalancer probes,
 *    Internet → 443 only; everything else from the internet stays denied by the landing zone's deny rule;
 *  - all gateway and public IP logs (WAF log included) to the tenant workspace.
 * The TLS certificate must exist as a Key Vault certificate/secret named `certificateSecretName` before deploy.
 *
 * Satisfies: ZG-WAF-001, ZG-WAF-002
 * Also configures: ZG-IAM-001, ZG-IAM-002, ZG-LOG-004
 */
import { Construct } from "constructs";
import { ApplicationGateway } from "@cdktf/provider-azurerm/lib/application-gateway";
import { WebApplicationFirewallPolicy } from "@cdktf/provider-azurerm/lib/web-application-firewall-policy";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { DiagnosticSettings } from "./diagnostic-settings";
import { standardPublicIp } from "./standard-public-ip";
import { availabilityZones } from "./aks-cluster";

/** OWASP Core Rule Set version of the WAF policy (ZG-WAF-002 requires ≥ 3.2). */
export const OWASP_CRS_VERSION = "3.2";
/** TLS policy of the listener (TLS 1.2+ with strong ciphers). */
export const APPGW_SSL_POLICY = "AppGwSslPolicy20220101S";

export interface WafGatewayProps {
  /** Name stem: `agw-<name>`, `waf-<name>`, `pip-agw-<name>`. Required. */
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** The landing zone's `appgw` subnet. Required. */
  readonly subnetId: string;
  /** NSG of the appgw subnet (the rules v2 needs and HTTPS from the internet are added to it). Required. */
  readonly nsg: { readonly name: string; readonly resourceGroupName: string };
  /** Public host name of the tenant's APIs (listener host name and certificate subject). Required. */
  readonly hostName: string;
  /** Key Vault holding the TLS certificate (the identity gets Key Vault Secrets User on it). Required. */
  readonly keyVaultId: string;
  /** Vault URI, e.g. `https://kv-x.vault.azure.net/`. Required. */
  readonly keyVaultUri: string;
  /** Name of the certificate (secret) in the vault. Required. */
  readonly certificateSecretName: string;
  /** Private IP address of the internal API Management gateway (backend). Required. */
  readonly backendIpAddress: string;
  /** Host name APIM's gateway answers to (SNI and Host header), e.g. `<apim>.azure-api.net`. Required. */
  readonly backendHostName: string;
  /** Log Analytics workspace. Required. */
  readonly workspaceId: string;
  /**
   * Availability zones.
   * @default 1, 2, 3 (none in regions without zones)
   */
  readonly zones?: readonly string[];
  /**
   * Autoscale bounds.
   * @default { min: 2, max: 10 }
   */
  readonly capacity?: { readonly min: number; readonly max: number };
  /** @default {} */
  readonly tags?: Record<string, string>;
}

export class WafGateway extends Construct {
  public readonly wafPolicy: WebApplicationFirewallPolicy;
  public readonly publicIp: PublicIp;
  public readonly identity: UserAssignedIdentity;
  public readonly secretsUser: RoleAssignment;
  public readonly gateway: ApplicationGateway;
  public readonly nsgRules: NetworkSecurityRule[];

  constructor(scope: Construct, id: string, props: WafGatewayProps) {
    super(scope, id);
    if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/.test(props.hostName)) {
      throw new Error(`${this.node.path}: hostName must be a lowercase DNS name`);
    }
    const capacity = props.capacity ?? { min: 2, max: 10 };
    if (capacity.min < 1 || capacity.max < capacity.min) throw new Error(`${this.node.path}: bad capacity`);
    const tags = props.tags ?? {};
    const zones = props.zones ? [...props.zones] : availabilityZones(props.location);

    const rule = (rid: string, name: string, priority: number, source: string, ports: string, proto = "Tcp") =>
      new NetworkSecurityRule(this, rid, {
        name,
        description: "zonegate: required by the Application Gateway WAF v2",
        networkSecurityGroupName: props.nsg.name,
        resourceGroupName: props.nsg.resourceGroupName,
        priority,
        direction: "Inbound",
        access: "Allow",
        protocol: proto,
        sourceAddressPrefix: source,
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: ports,
      });
    this.nsgRules = [
      rule("nsg-gateway-manager", "AllowGatewayManager", 100, "GatewayManager", "65200-65535"),
      rule("nsg-lb", "AllowAzureLoadBalancer", 110, "AzureLoadBalancer", "*", "*"),
      rule("nsg-https", "AllowHttpsFromInternet", 120, "Internet", "443"),
    ];

    this.wafPolicy = new WebApplicationFirewallPolicy(this, "waf-policy", {
      name: `waf-${props.name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      policySettings: {
        enabled: true,
        mode: "Prevention",
        requestBodyCheck: true,
        requestBodyEnforcement: true,
        maxRequestBodySizeInKb: 128,
        fileUploadLimitInMb: 100,
      },
      managedRules: {
        managedRuleSet: [
          { type: "OWASP", version: OWASP_CRS_VERSION },
          { type: "Microsoft_BotManagerRuleSet", version: "1.0" },
        ],
      },
      tags,
    });
    this.publicIp = standardPublicIp(this, {
      name: `pip-agw-${props.name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      zones,
      tags,
      workspaceId: props.workspaceId,
    });
    this.identity = new UserAssignedIdentity(this, "identity", {
      name: `id-agw-${props.name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tags,
    });
    this.secretsUser = new RoleAssignment(this, "kv-secrets-user", {
      scope: props.keyVaultId,
      roleDefinitionName: "Key Vault Secrets User",
      principalId: this.identity.principalId,
      principalType: "ServicePrincipal",
      description: `zonegate: Application Gateway ${props.name} reads its TLS certificate`,
    });

    const n = {
      gatewayIp: "gateway-ip",
      frontendIp: "public",
      port: "https",
      cert: "tenant-tls",
      pool: "apim",
      settings: "apim-https",
      probe: "apim-status",
      listener: "https",
      route: "apis",
    };
    const vaultUri = props.keyVaultUri.replace(/\/+$/, "");
    this.gateway = new ApplicationGateway(this, "gateway", {
      name: `agw-${props.name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      zones: zones.length ? zones : undefined,
      sku: { name: "WAF_v2", tier: "WAF_v2" },
      autoscaleConfiguration: { minCapacity: capacity.min, maxCapacity: capacity.max },
      firewallPolicyId: this.wafPolicy.id,
      forceFirewallPolicyAssociation: true,
      identity: { type: "UserAssigned", identityIds: [this.identity.id] },
      gatewayIpConfiguration: [{ name: n.gatewayIp, subnetId: props.subnetId }],
      frontendIpConfiguration: [{ name: n.frontendIp, publicIpAddressId: this.publicIp.id }],
      frontendPort: [{ name: n.port, port: 443 }],
      sslCertificate: [{ name: n.cert, keyVaultSecretId: `${vaultUri}/secrets/${props.certificateSecretName}` }],
      sslPolicy: { policyType: "Predefined", policyName: APPGW_SSL_POLICY },
      httpListener: [
        {
          name: n.listener,
          frontendIpConfigurationName: n.frontendIp,
          frontendPortName: n.port,
          protocol: "Https",
          sslCertificateName: n.cert,
          hostName: props.hostName,
          requireSni: true,
        },
      ],
      backendAddressPool: [{ name: n.pool, ipAddresses: [props.backendIpAddress] }],
      backendHttpSettings: [
        {
          name: n.settings,
          port: 443,
          protocol: "Https",
          cookieBasedAffinity: "Disabled",
          hostName: props.backendHostName,
          probeName: n.probe,
          requestTimeout: 60,
        },
      ],
      probe: [
        {
          name: n.probe,
          protocol: "Https",
          host: props.backendHostName,
          path: "/status-0123456789abcdef",
          interval: 30,
          timeout: 30,
          unhealthyThreshold: 3,
          match: { statusCode: ["200-399"] },
        },
      ],
      requestRoutingRule: [
        {
          name: n.route,
          priority: 100,
          ruleType: "Basic",
          httpListenerName: n.listener,
          backendAddressPoolName: n.pool,
          backendHttpSettingsName: n.settings,
        },
      ],
      tags,
      dependsOn: [this.secretsUser, ...this.nsgRules],
    });
    new DiagnosticSettings(this, "diagnostics", {
      targetResourceId: this.gateway.id,
      workspaceId: props.workspaceId,
    });
  }
}

/**
 * A tiny two-stack CDKTF app (no provider packages) with the zonegate context comment and a cross-stack
 * reference, synthesized into a temp dir — the shape `stacks/app.ts` produces.
 */
import { App, LocalBackend, TerraformResource, TerraformStack, TerraformDataSource } from "cdktf";
import type { Construct } from "constructs";

class Res extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    type: string,
    private readonly cfg: Record<string, unknown>,
  ) {
    super(scope, id, { terraformResourceType: type, terraformGeneratorMetadata: { providerName: "azurerm" } });
  }
  protected synthesizeAttributes(): Record<string, unknown> {
    return this.cfg;
  }
}

class Data extends TerraformDataSource {
  constructor(scope: Construct, id: string, type: string) {
    super(scope, id, { terraformResourceType: type, terraformGeneratorMetadata: { providerName: "azurerm" } });
  }
}

const tenant = { id: "acme", tier: "premium", residency: "eu", compliance: ["pci-dss-4.0", "gdpr"], env: "prod" };

export function synthTinyApp(outdir: string): void {
  const app = new App({ outdir, skipValidation: true });
  const a = new TerraformStack(app, "acme-prod-westeurope-foundation");
  new LocalBackend(a, { path: "state/tenants/acme/prod/westeurope/foundation.tfstate" });
  a.addOverride("//.zonegate", {
    stack: "acme-prod-westeurope-foundation",
    layer: "foundation",
    env: "prod",
    region: "westeurope",
    backendKey: "tenants/acme/prod/westeurope/foundation.tfstate",
    tenant,
  });
  const kv = new Res(a, "kv", "azurerm_key_vault", {
    name: "acme-kv",
    location: "westeurope",
    purge_protection_enabled: true,
    network_acls: { default_action: "Deny", bypass: "AzureServices" },
    tags: { tenant: "acme" },
  });
  const cfg = new Data(a, "client", "azurerm_client_config");
  kv.addOverride("tenant_id", `\${data.azurerm_client_config.${cfg.friendlyUniqueId}.tenant_id}`);

  const b = new TerraformStack(app, "acme-prod-westeurope-security");
  new LocalBackend(b, { path: "state/tenants/acme/prod/westeurope/security.tfstate" });
  b.addOverride("//.zonegate", {
    stack: "acme-prod-westeurope-security",
    layer: "security",
    env: "prod",
    region: "westeurope",
    backendKey: "tenants/acme/prod/westeurope/security.tfstate",
    tenant,
  });
  new Res(b, "key", "azurerm_key_vault_key", {
    name: "cmk",
    key_vault_id: kv.getStringAttribute("id"),
    key_opts: ["wrapKey", "unwrapKey"],
    rotation_policy: { automatic: { time_before_expiry: "P30D" } },
    expiration_date: '${timeadd(timestamp(), "8760h")}',
  });
  const sa = new Res(b, "sa", "azurerm_storage_account", {
    name: "acmesa",
    min_tls_version: "TLS1_0",
    network_rules: [{ default_action: "Deny", ip_rules: [] }],
  });
  void sa;
  b.addDependency(a);

  const p = new TerraformStack(app, "platform-prod-westeurope-compute");
  new LocalBackend(p, { path: "state/platform/prod/westeurope/compute.tfstate" });
  p.addOverride("//.zonegate", {
    stack: "platform-prod-westeurope-compute",
    layer: "compute",
    env: "prod",
    region: "westeurope",
    backendKey: "platform/prod/westeurope/compute.tfstate",
    tenant: null,
    platform: true,
    tenants: ["acme"],
  });
  new Res(p, "vnet", "azurerm_virtual_network", { name: "plat", address_space: ["10.0.0.0/16"] });
  app.synth();
}

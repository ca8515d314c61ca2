/**
 * Log Analytics tables whose total retention zonegate raises to the framework minimum (PCI DSS 10.5.1,
 * SOX). They exist in every workspace (Azure-defined schemas) and hold the audit trail zonegate produces:
 * activity log, diagnostics of Key Vault/NSG/VNet (AzureDiagnostics), storage, AKS, API Management and
 * traffic analytics. Used by constructs/log-analytics-workspace.ts (the bench plan takes the tables from its
 * synthesized output); the rule ZG-LOG-002
 * (policies/zonegate/rules/log/total_retention/total_retention.rego) requires the same list.
 */
export const AUDIT_TABLES: readonly string[] = [
  "AzureActivity",
  "AzureDiagnostics",
  "AzureMetrics",
  "StorageBlobLogs",
  "AKSAudit",
  "AKSAuditAdmin",
  "AKSControlPlane",
  "ApiManagementGatewayLogs",
  "NTANetAnalytics",
];

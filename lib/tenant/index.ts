/** The tenant model: load + validate `tenants/*.yaml` into `Tenant` objects. */
export * from "./types";
export {
  loadTenants,
  loadTenantFile,
  loadTenantFiles,
  MAX_TENANT_FILE_BYTES,
  type LoadOptions,
  type LoadResult,
} from "./load";
export { formatProblem, formatProblems, summarizeProblems, type Problem } from "./problems";
export { applyDefaults, minNodesFor, RETENTION_REQUIREMENTS, TIER_DEFAULTS } from "./defaults";

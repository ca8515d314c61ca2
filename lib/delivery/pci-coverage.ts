/**
 * PCI DSS v4.0 requirements that a pre-deployment IaC gate cannot decide, each with the reason. Rendered by
 * lib/delivery/policies-doc.ts into docs/policies.md under the coverage table, so an assessor sees both what the
 * gate checks (requirement → rules → constructs, from the rules' METADATA) and what must be evidenced elsewhere.
 * A requirement that a rule starts to check is left out of the rendered list automatically.
 */
export interface NotCheckable {
  /** Requirement id (or a range of sub-requirements written as the first id plus a note in `scope`). */
  readonly id: string;
  /** What the requirement asks, in a few words. */
  readonly scope: string;
  /** Why infrastructure code cannot show it. */
  readonly reason: string;
}

const POLICY_DOCS =
  "documented policies, procedures and assigned roles are organisational evidence, not infrastructure";

export const PCI_NOT_CHECKABLE: readonly NotCheckable[] = [
  { id: "1.1.1", scope: "network security policies and procedures documented and known", reason: POLICY_DOCS },
  { id: "1.1.2", scope: "roles for network security controls assigned", reason: POLICY_DOCS },
  {
    id: "1.2.3",
    scope: "accurate network diagram maintained",
    reason:
      "a reviewed diagram is a document; the synthesized estate can feed it but not prove it is current and approved",
  },
  {
    id: "1.2.4",
    scope: "accurate data-flow diagrams maintained",
    reason: "data flows depend on application behaviour, which IaC does not describe",
  },
  {
    id: "1.2.6",
    scope: "security features defined for insecure services and protocols in use",
    reason: "needs the business justification of each service, a review process",
  },
  {
    id: "1.2.7",
    scope: "NSC configurations reviewed every six months",
    reason: "periodic human review; the gate checks each change, not the review cadence",
  },
  {
    id: "1.5.1",
    scope: "controls on computing devices that connect to untrusted networks and the CDE",
    reason: "end-user devices (laptops, phones) are outside the landing zone's infrastructure code",
  },
  {
    id: "2.2.2",
    scope: "vendor default accounts managed",
    reason: "default accounts live inside images and applications, not in the Terraform plan",
  },
  {
    id: "2.2.4",
    scope: "only necessary services, protocols, daemons enabled",
    reason:
      "what runs inside containers and VMs is decided at build/run time, not in the plan (Kyverno admission covers part of it at runtime)",
  },
  {
    id: "3.2.1",
    scope: "account data retention and disposal",
    reason: "retention of cardholder data is application/data lifecycle behaviour",
  },
  {
    id: "3.3.2",
    scope: "sensitive authentication data stored before authorization is encrypted",
    reason: "what an application writes where is not visible in IaC",
  },
  {
    id: "3.5.1.1",
    scope: "keyed cryptographic hashes of PAN",
    reason: "application cryptography; the gate checks the keys' storage (Key Vault, HSM), not their use",
  },
  {
    id: "3.6.1.2",
    scope: "secret and private keys stored in the fewest possible locations and forms",
    reason: "key copies held by applications are runtime facts",
  },
  {
    id: "4.2.1.1",
    scope: "inventory of trusted keys and certificates",
    reason: "an inventory is a maintained record; certificates are uploaded to Key Vault outside the plan",
  },
  {
    id: "4.2.2",
    scope: "PAN secured when sent by end-user messaging",
    reason: "e-mail, chat and messaging are outside the infrastructure",
  },
  {
    id: "5.3.3",
    scope: "anti-malware for removable electronic media",
    reason: "removable media are an end-user device concern",
  },
  {
    id: "5.3.5",
    scope: "anti-malware cannot be disabled by users",
    reason: "an operational permission question for the endpoints; the gate enforces the plans are on in code",
  },
  {
    id: "5.4.1",
    scope: "protection against phishing",
    reason: "mail and user-awareness controls, not landing-zone infrastructure",
  },
  {
    id: "6.2.1",
    scope: "bespoke software developed securely",
    reason: "secure SDLC is a process; the gate covers the infrastructure code only",
  },
  {
    id: "6.2.3",
    scope: "bespoke software reviewed before release",
    reason: "code review evidence lives in the source-control history of the applications",
  },
  {
    id: "6.3.1",
    scope: "security vulnerabilities identified and ranked",
    reason: "vulnerability management runs against live systems and advisories",
  },
  {
    id: "6.3.2",
    scope: "inventory of bespoke and third-party software",
    reason: "software inventories (SBOMs) come from the application build pipelines",
  },
  {
    id: "6.4.3",
    scope: "payment-page scripts authorised and their integrity assured",
    reason: "browser-side content, not infrastructure",
  },
  {
    id: "6.5.1",
    scope: "changes to system components follow change control",
    reason:
      "approval records are process evidence; zonegate's change windows and gate support it but cannot prove approval",
  },
  {
    id: "7.2.4",
    scope: "user accounts and access privileges reviewed every six months",
    reason: "periodic access review of identities held in Entra ID",
  },
  {
    id: "8.2.6",
    scope: "inactive user accounts removed or disabled within 90 days",
    reason: "identity-provider runtime state",
  },
  {
    id: "8.3.6",
    scope: "password complexity",
    reason: "Entra ID tenant settings, not managed by the landing-zone code",
  },
  {
    id: "8.4.2",
    scope: "MFA for all access into the CDE",
    reason: "Conditional Access policies of the Entra ID tenant are outside the azurerm plans",
  },
  {
    id: "8.5.1",
    scope: "MFA systems configured against misuse",
    reason: "identity-provider configuration outside the landing zone",
  },
  {
    id: "9.1.1",
    scope: "physical access controls (requirement 9)",
    reason:
      "physical security of the data centres is Microsoft's responsibility under the shared-responsibility model (Azure PCI DSS AOC)",
  },
  {
    id: "10.4.3",
    scope: "exceptions and anomalies identified during review are addressed",
    reason: "follow-up of alerts is an operational process (the gate ensures the alerts exist)",
  },
  {
    id: "10.6.1",
    scope: "system clocks synchronised",
    reason: "time synchronisation of Azure hosts is provided by the platform (shared responsibility)",
  },
  {
    id: "11.2.1",
    scope: "authorised and unauthorised wireless access points managed",
    reason: "wireless networks are on-premises/physical, not in the cloud landing zone",
  },
  {
    id: "11.3.1",
    scope: "internal vulnerability scans quarterly",
    reason: "scans run against deployed systems on a schedule",
  },
  {
    id: "11.3.2",
    scope: "external vulnerability scans quarterly by an ASV",
    reason: "ASV scans are an external service against live endpoints",
  },
  {
    id: "11.4.1",
    scope: "penetration testing methodology and tests",
    reason: "penetration tests are performed against running systems",
  },
  {
    id: "11.6.1",
    scope: "change- and tamper-detection on payment pages",
    reason: "browser-side payment pages are outside the infrastructure",
  },
  { id: "12.1.1", scope: "overall information security policy", reason: POLICY_DOCS },
  { id: "12.3.1", scope: "targeted risk analyses", reason: "risk analyses are documents owned by the entity" },
  { id: "12.6.1", scope: "security awareness programme", reason: "people and training, not infrastructure" },
  {
    id: "12.8.1",
    scope: "third-party service providers managed",
    reason: "contracts and TPSP monitoring are organisational",
  },
  {
    id: "12.10.2",
    scope: "incident response plan reviewed and tested annually",
    reason: "exercise records; the gate ensures contacts and alerts exist",
  },
  { id: "12.10.4", scope: "incident response personnel trained", reason: "people and training" },
];

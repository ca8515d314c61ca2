/**
 * A small evaluator of Kubernetes NetworkPolicy semantics (networking.k8s.io/v1), enough to decide whether a
 * connection from one pod to another is admitted: a pod selected by no policy of a direction is open in that
 * direction; a pod selected by at least one is open only to what some selecting policy's rules allow; a connection
 * needs the source's egress AND the destination's ingress to allow it.
 */
export interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
export interface Peer {
  namespaceSelector?: Selector;
  podSelector?: Selector;
  ipBlock?: { cidr: string };
}
export interface Port {
  port?: string | number;
  protocol?: string;
}
export interface NetworkPolicy {
  namespace: string;
  spec: {
    podSelector: Selector;
    policyTypes: string[];
    ingress?: { from?: Peer[]; ports?: Port[] }[];
    egress?: { to?: Peer[]; ports?: Port[] }[];
  };
}
export interface Pod {
  namespace: string;
  labels: Record<string, string>;
}
export interface Cluster {
  /** namespace → labels (kubernetes.io/metadata.name is added automatically, as the API server does). */
  namespaces: Record<string, Record<string, string>>;
  policies: NetworkPolicy[];
}

export function selects(sel: Selector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const vals = e.values ?? [];
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
    if (e.operator === "In" && !(has && vals.includes(labels[e.key]))) return false;
    if (e.operator === "NotIn" && has && vals.includes(labels[e.key])) return false;
  }
  return true;
}

function nsLabels(c: Cluster, ns: string): Record<string, string> {
  return { ...(c.namespaces[ns] ?? {}), "kubernetes.io/metadata.name": ns };
}

/** Whether `peer` (in a rule of a policy living in `policyNs`) matches `pod`. */
function peerMatches(c: Cluster, policyNs: string, peer: Peer, pod: Pod): boolean {
  if (peer.ipBlock) return false; // pod-to-pod traffic is matched by selectors only
  if (peer.namespaceSelector) {
    if (!selects(peer.namespaceSelector, nsLabels(c, pod.namespace))) return false;
    return selects(peer.podSelector, pod.labels);
  }
  // podSelector alone: pods in the policy's own namespace
  return pod.namespace === policyNs && selects(peer.podSelector, pod.labels);
}

function portMatches(ports: Port[] | undefined, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some(
    (p) => (p.protocol ?? "TCP") === protocol && (p.port === undefined || String(p.port) === String(port)),
  );
}

function direction(c: Cluster, subject: Pod, other: Pod, kind: "Ingress" | "Egress", port: number, protocol: string) {
  const selecting = c.policies.filter(
    (p) =>
      p.namespace === subject.namespace &&
      p.spec.policyTypes.includes(kind) &&
      selects(p.spec.podSelector, subject.labels),
  );
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    (kind === "Ingress" ? (p.spec.ingress ?? []) : (p.spec.egress ?? [])).some((rule) => {
      const peers = kind === "Ingress" ? (rule as { from?: Peer[] }).from : (rule as { to?: Peer[] }).to;
      const peerOk = !peers || peers.length === 0 || peers.some((peer) => peerMatches(c, p.namespace, peer, other));
      return peerOk && portMatches(rule.ports, port, protocol);
    }),
  );
}

/** Whether a connection from `src` to `dst` on port/protocol is admitted by the cluster's NetworkPolicies. */
export function allowed(c: Cluster, src: Pod, dst: Pod, port = 8080, protocol = "TCP"): boolean {
  return direction(c, src, dst, "Egress", port, protocol) && direction(c, dst, src, "Ingress", port, protocol);
}

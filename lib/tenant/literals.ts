/**
 * Checks on tenant values that end up inside API Management policy documents (lib/gateway/policies.ts):
 *
 * - **policy-expression syntax** where a literal is expected: `@(` / `@{` (a C# policy expression), a leading
 *   `@`, and `{{` (named-value substitution) would be evaluated by APIM instead of taken literally;
 * - **DLP regexes** (`gateway.dlpPatterns[].regex`), run by the gateway's .NET regex engine on every response:
 *   only the common subset of .NET and ECMAScript syntax with the same meaning in both is accepted (so what
 *   is checked here is what runs there), and the pattern must be free of catastrophic backtracking
 *   (exponential or polynomial ReDoS, checked with `recheck`; a pattern recheck cannot prove safe is refused).
 */
import { checkSync } from "recheck";

export interface LiteralProblem {
  readonly message: string;
  readonly expected: string;
}

const EXPR_EXPECTED = "a literal value without APIM policy-expression syntax (@( … ), @{ … }, a leading @, {{ … }})";

/** A value APIM would not take literally, or undefined. */
export function policyExpressionProblem(value: string): LiteralProblem | undefined {
  if (/@[({]/.test(value))
    return {
      message: "contains policy-expression syntax (@( or @{), which APIM would evaluate",
      expected: EXPR_EXPECTED,
    };
  if (/^\s*@/.test(value))
    return { message: "starts with @, which APIM would evaluate as a policy expression", expected: EXPR_EXPECTED };
  if (value.includes("{{"))
    return { message: "contains {{, which APIM would substitute as a named value", expected: EXPR_EXPECTED };
  return undefined;
}

const REGEX_EXPECTED =
  "a .NET regular expression in the subset shared with ECMAScript (classes, groups, quantifiers, \\d \\w \\s \\b, lookarounds), without catastrophic backtracking";

/** Escapes with the same meaning in .NET and ECMAScript (outside \\u, \\x, \\c and backreferences). */
const COMMON_ESCAPES = new Set([..."dDwWsSbBnrtfv0", ..."\\^$.*+?()[]{}|/-"]);

/** Syntax problems for the gateway's dialect (scan of the pattern text; `null` when fine). */
function dialectProblem(src: string): string | null {
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") {
      const n = src[i + 1];
      if (n === undefined) return "ends with a lone backslash";
      if (/[1-9]/.test(n)) {
        i++;
        continue; // backreference (validated by compiling)
      }
      if (n === "u") {
        if (!/^[0-9A-Fa-f]{4}$/.test(src.slice(i + 2, i + 6)))
          return "\\u must be followed by exactly four hex digits (\\u{…} is not .NET syntax)";
        i += 5;
        continue;
      }
      if (n === "x") {
        if (!/^[0-9A-Fa-f]{2}$/.test(src.slice(i + 2, i + 4))) return "\\x must be followed by exactly two hex digits";
        i += 3;
        continue;
      }
      if (n === "c") {
        if (!/^[A-Za-z]$/.test(src[i + 2] ?? "")) return "\\c must be followed by a letter";
        i += 2;
        continue;
      }
      if (n === "k" && !inClass) {
        if (!/^<[A-Za-z_][A-Za-z0-9_]*>/.test(src.slice(i + 2))) return "\\k must name a group: \\k<name>";
        i++;
        continue;
      }
      if (n === "p" || n === "P")
        return `\\${n}{…} Unicode categories differ between .NET and ECMAScript; use an explicit class`;
      if (/[AZzG]/.test(n)) return `\\${n} is a .NET-only anchor; use ^ or $`;
      if (!COMMON_ESCAPES.has(n) && /[A-Za-z]/.test(n))
        return `\\${n} is not an escape both .NET and ECMAScript understand`;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "-" && src[i + 1] === "[") return "character-class subtraction (-[…]) is .NET-only";
      if (c === "[" && src[i + 1] === ":") return "POSIX classes ([:alpha:]) are not supported";
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
      if (src[i + 1] === "^") i++;
      if (src[i + 1] === "]") i++; // a leading ] is literal in .NET, an empty class in ECMAScript
      continue;
    }
    if (c === "(" && src[i + 1] === "?") {
      const rest = src.slice(i + 2);
      if (/^[:=!]/.test(rest) || /^<[=!]/.test(rest) || /^<[A-Za-z_][A-Za-z0-9_]*>/.test(rest)) continue;
      if (/^[imnsx-]+[:)]/.test(rest)) return "inline options such as (?i) are .NET-only; write the cases out";
      if (rest.startsWith(">")) return "atomic groups (?>…) are .NET-only";
      if (rest.startsWith("#")) return "inline comments (?#…) are .NET-only";
      if (rest.startsWith("'")) return "(?'name'…) groups are .NET-only; use (?<name>…)";
      if (rest.startsWith("(")) return "conditionals (?(…)…) are .NET-only";
      return `unsupported group syntax "(?${rest.slice(0, 2)}"`;
    }
  }
  if (inClass) return "unclosed character class";
  return null;
}

const checked = new Map<string, LiteralProblem | undefined>();

/** Problems with a DLP regex (policy syntax, dialect, compile, ReDoS), or undefined when accepted. */
export function dlpRegexProblem(src: string): LiteralProblem | undefined {
  if (checked.has(src)) return checked.get(src);
  const p = uncachedDlpRegexProblem(src);
  checked.set(src, p);
  return p;
}

function uncachedDlpRegexProblem(src: string): LiteralProblem | undefined {
  const expr = policyExpressionProblem(src);
  if (expr) return expr;
  const dialect = dialectProblem(src);
  if (dialect) return { message: `regex is not accepted: ${dialect}`, expected: REGEX_EXPECTED };
  try {
    new RegExp(src);
  } catch (e) {
    const why = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "");
    return { message: `regex does not compile: ${why}`, expected: REGEX_EXPECTED };
  }
  if (new RegExp(src).test(""))
    return {
      message: "regex matches the empty string (it would mask nothing and match everywhere)",
      expected: REGEX_EXPECTED,
    };
  let status: string;
  let detail = "";
  try {
    const r = checkSync(src, "", { timeout: 5000 });
    status = r.status;
    if (r.status === "vulnerable") detail = `${r.complexity.type} backtracking`;
    else if (r.status === "unknown") detail = `could not be proven safe (${r.error?.kind ?? "unknown"})`;
  } catch (e) {
    status = "unknown";
    detail = `could not be checked (${(e as Error).message.split("\n")[0]})`;
  }
  if (status === "vulnerable")
    return { message: `regex is vulnerable to catastrophic backtracking: ${detail}`, expected: REGEX_EXPECTED };
  if (status !== "safe") return { message: `regex ${detail}`, expected: REGEX_EXPECTED };
  return undefined;
}

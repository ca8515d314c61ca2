/**
 * Primary account number (PAN) detection for the gateway's response DLP policy (PCI DSS 4.0 req. 3.4.1:
 * PAN is masked when displayed).
 *
 * The same regular expression is used in two places:
 *  - in the APIM policy's C# expression (lib/gateway/policies.ts), where .NET's regex engine runs it on every
 *    response body and a Luhn check decides whether a candidate is masked;
 *  - in {@link findPans}/{@link maskPans} below, the TypeScript mirror of that expression, so the tests exercise
 *    the exact pattern and the exact masking rule the gateway applies.
 *
 * The pattern only uses constructs with identical semantics in .NET and ECMAScript (character classes, bounded
 * quantifiers, alternation, non-capturing groups, lookbehind and lookahead).
 *
 * What it matches (13–19 digits in total):
 *  - an unbroken run of 13–19 digits, not adjacent to other digits;
 *  - 4-4-4-(1..4) and 4-4-4-4-(1..3) digit groups, each separator one space or one hyphen (mixed separators
 *    are accepted: a DLP filter errs towards masking), the common Visa/Mastercard/Discover/19-digit layouts;
 *  - 4-6-(4..5) groups (Amex 15, Diners 14).
 * Grouped forms must not be preceded or followed by a digit, optionally across one separator, so a longer
 * number (e.g. 20 digits in groups of four) is never partially matched and masked as if it were a PAN —
 * nor, conversely, treated as one.
 */

/** The PAN candidate pattern (a .NET- and ECMAScript-compatible regular expression source). */
export const PAN_PATTERN =
  "(?<![0-9])[0-9]{13,19}(?![0-9])" +
  "|(?<![0-9][ -]?)[0-9]{4}[ -][0-9]{4}[ -][0-9]{4}[ -][0-9]{1,4}(?:[ -][0-9]{1,3})?(?![ -]?[0-9])" +
  "|(?<![0-9][ -]?)[0-9]{4}[ -][0-9]{6}[ -][0-9]{4,5}(?![ -]?[0-9])";

/** Luhn (mod 10) check over a string of digits. Non-digit input returns false. */
export function luhnValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export interface PanMatch {
  /** The matched text, separators included. */
  readonly text: string;
  readonly index: number;
  /** Digits only. */
  readonly digits: string;
}

/** Luhn-valid 13–19 digit PAN candidates in `text`, in order. */
export function findPans(input: string): PanMatch[] {
  const re = new RegExp(PAN_PATTERN, "g");
  const out: PanMatch[] = [];
  for (const m of input.matchAll(re)) {
    const digits = m[0].replace(/[^0-9]/g, "");
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) {
      out.push({ text: m[0], index: m.index ?? 0, digits });
    }
  }
  return out;
}

/** Mask every digit of a PAN except the last four, keeping separators (`**** **** **** 1111`). */
export function maskPan(match: string): string {
  const total = match.replace(/[^0-9]/g, "").length;
  let seen = 0;
  let out = "";
  for (const ch of match) {
    if (ch >= "0" && ch <= "9") {
      seen++;
      out += seen <= total - 4 ? "*" : ch;
    } else out += ch;
  }
  return out;
}

/** The gateway's masking rule, in TypeScript: every Luhn-valid candidate is masked; others are left alone. */
export function maskPans(input: string): string {
  const re = new RegExp(PAN_PATTERN, "g");
  return input.replace(re, (m) => {
    const digits = m.replace(/[^0-9]/g, "");
    return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? maskPan(m) : m;
  });
}

import { findPans, luhnValid, maskPan, maskPans, PAN_PATTERN } from "../../lib/gateway/pan";

describe("Luhn", () => {
  test.each([
    "4111111111111111",
    "5500000000000004",
    "378282246310005",
    "6011000990139424",
    "30569309025904",
    "4222222222222",
  ])("%s is valid", (d) => expect(luhnValid(d)).toBe(true));
  test.each(["4111111111111112", "5500000000000005", "1234567812345678", "", "4111 1111", "abc"])("%s is not", (d) =>
    expect(luhnValid(d)).toBe(false),
  );
});

describe("PAN detection (the regex the gateway runs, mirrored in TS)", () => {
  const positives: [string, string][] = [
    ["4111 1111 1111 1111", "Visa, spaces"],
    ["5500-0000-0000-0004", "Mastercard, hyphens"],
    ["378282246310005", "Amex, unbroken"],
    ["3782 822463 10005", "Amex, 4-6-5"],
    ["3056 930902 5904", "Diners, 4-6-4"],
    ["6011000990139424", "Discover"],
    ["4222222222222", "13 digits"],
    ["6011 0009 9013 9424", "Discover grouped"],
    ["4111-1111 1111-1111", "mixed separators"],
    ["6304000000000000018", "19 digits (Maestro layout)"],
  ];
  test.each(positives)("finds %s (%s)", (pan) => {
    const text = `{"card":"${pan}","amount":12.5}`;
    const found = findPans(text);
    expect(found.map((m) => m.text)).toEqual([pan]);
    expect(maskPans(text)).toBe(`{"card":"${maskPan(pan)}","amount":12.5}`);
    const masked = maskPan(pan);
    expect(masked.replace(/[^0-9]/g, "")).toBe(pan.replace(/[^0-9]/g, "").slice(-4));
    expect(masked.length).toBe(pan.length);
  });

  const negatives: [string, string][] = [
    ["4111111111111112", "fails Luhn"],
    ["4111 1111 1111 1112", "grouped, fails Luhn"],
    ["123456789012", "12 digits"],
    ["12345678901234567890", "20 digits"],
    ["1234 5678 9012 3456 7890", "20 digits grouped (no 16-digit slice is taken out of it)"],
    ["4111 1111 1111 1111 1111 1", "21 digits grouped"],
    ["2024-01-15", "ISO date"],
    ["15/01/2024 10:30:00", "date and time"],
    ["2024-01-15 2024-01-16", "two dates"],
    ["DE89 3704 0044 0532 0130 00", "IBAN"],
    ["GB82 WEST 1234 5698 7654 32", "IBAN with letters"],
    ["+49 30 1234567890", "phone number"],
    ["order 00000000-0000-0000-0000-000000000000", "GUID"],
  ];
  test.each(negatives)("leaves %s alone (%s)", (text) => {
    expect(findPans(text)).toEqual([]);
    expect(maskPans(text)).toBe(text);
  });

  test("masks several PANs and keeps the text between them", () => {
    expect(maskPans("a 4111111111111111 b 5500-0000-0000-0004 c 4111111111111112")).toBe(
      "a ************1111 b ****-****-****-0004 c 4111111111111112",
    );
  });

  test("the pattern is portable (.NET and ECMAScript): no named groups, no JS-only flags", () => {
    expect(PAN_PATTERN).not.toMatch(/\(\?<[A-Za-z]/);
    expect(PAN_PATTERN).not.toMatch(/\\[pPkud]/);
    expect(() => new RegExp(PAN_PATTERN)).not.toThrow();
  });
});

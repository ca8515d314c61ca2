/**
 * Reading APIM policy XML in tests with a real XML parser (fast-xml-parser), after checking well-formedness.
 * Attributes as `@name`, values as text (no type coercion, no trimming), comments as `#comment`; the elements
 * named in `arrays` are always lists.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export type XmlNode = Record<string, unknown>;

/** A parse function for policy documents: throws on XML that is not well-formed. */
export function policyXmlParser(arrays: readonly string[]): (xml: string) => XmlNode {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    preserveOrder: false,
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    commentPropName: "#comment",
    htmlEntities: true,
    isArray: (name) => arrays.includes(name),
  });
  return (xml) => {
    const v = XMLValidator.validate(xml);
    if (v !== true) throw new Error(`invalid XML: ${JSON.stringify(v)}`);
    return parser.parse(xml) as XmlNode;
  };
}

/**
 * Writing values into XML, for libvirt's domain XML. Every value from a lab file, a path or a
 * kernel command line passes through here: nothing can close an element or an attribute early.
 */
import { LibvirtError } from './libvirt-errors';

/** Characters XML 1.0 cannot carry at all, even escaped (C0 controls but tab, LF, CR; U+FFFE/U+FFFF; lone surrogates). */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what is looked for
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;

/** Throws unless `value` can be written in XML 1.0; `what` names it for the message. */
function assertXmlText(value: string, what: string): void {
  if (NOT_XML.test(value)) {
    throw new LibvirtError(`The ${what} contains a control character that libvirt's XML cannot carry: ${JSON.stringify(value)}.`, {
      hint: 'Remove the control character (libvirt cannot start a domain with it).',
    });
  }
}

/** `value` as element text: `&`, `<`, `>` and quotes escaped; tab, CR and LF kept (text keeps them). */
export function xmlText(value: string, what: string): string {
  assertXmlText(value, what);
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll("'", '&apos;').replaceAll('"', '&quot;');
}

/**
 * `value` as an attribute value: as text, and tab, CR and LF as character references (a parser
 * turns raw ones into spaces).
 */
export function xmlAttribute(value: string, what: string): string {
  return xmlText(value, what)
    .replaceAll('\t', '&#9;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\r', '&#13;');
}

/** A tiny well-formedness check for the SVG the benchmark writes (no XML parser dependency). */

const TAG = /<[^>]*>/g;
const ELEMENT = /^<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>$/;
const TEXT_OK = /^(?:[^<>&]|&(?:#\d+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);)*$/;

/** Throws unless `xml` is one well-formed element tree (after an optional XML declaration); returns its element names. */
export function checkWellFormed(xml: string): string[] {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const names: string[] = [];
  let last = 0;
  let roots = 0;
  for (const match of body.matchAll(TAG)) {
    const text = body.slice(last, match.index);
    if (!TEXT_OK.test(text)) throw new Error(`bad text ${JSON.stringify(text.slice(0, 40))}`);
    if (stack.length === 0 && text.trim() !== '') throw new Error('text outside the root element');
    last = (match.index ?? 0) + match[0].length;
    const parts = ELEMENT.exec(match[0]);
    if (!parts) throw new Error(`bad tag ${match[0].slice(0, 60)}`);
    const [, closing, name, attrs, selfClosing] = parts as unknown as [string, string, string, string, string];
    checkAttributes(attrs, match[0]);
    if (closing) {
      if (stack.pop() !== name) throw new Error(`unbalanced </${name}>`);
      continue;
    }
    if (stack.length === 0) roots++;
    names.push(name);
    if (!selfClosing) stack.push(name);
  }
  if (stack.length > 0 || roots !== 1 || body.slice(last).trim() !== '') throw new Error('not exactly one closed root');
  return names;
}

function checkAttributes(attrs: string, tag: string): void {
  const seen = new Set<string>();
  for (const [, name, value] of attrs.matchAll(/([\w:.-]+)="([^"]*)"/g)) {
    if (seen.has(name as string)) throw new Error(`duplicate attribute ${name} in ${tag.slice(0, 60)}`);
    seen.add(name as string);
    if (!TEXT_OK.test(value as string)) throw new Error(`bad attribute value in ${tag.slice(0, 60)}`);
  }
}

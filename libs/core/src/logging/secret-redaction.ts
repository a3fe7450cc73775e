import { maskPersonalData } from './personal-data-mask';

/** What a removed secret is replaced with. */
export const REDACTED = '[REDACTED]';

// Names (compared without case, dashes and underscores, namespace prefix dropped) whose value
// is a secret: passwords, tokens, API keys, client secrets, session cookies.
const SECRET_NAME =
  /(?:password|passwd|passphrase|pwd|matkhau|secret|token|apikey|authorization|credential|privatekey|cookie|sessionid|nonce)/;

/** True when a field / element / header named `name` carries a secret. */
export function isSecretName(name: string): boolean {
  const local = name.includes(':') ? name.slice(name.lastIndexOf(':') + 1) : name;
  return SECRET_NAME.test(local.toLowerCase().replace(/[-_.\s]/g, ''));
}

type Rule = { pattern: RegExp; replace: (match: string, ...groups: string[]) => string };

/** The rules that redact by the name of a field, element, attribute or header. */
const NAMED: Rule[] = [
  // JSON string / scalar values: "password": "x", "apiKey": 123, \"token\":\"x\" (embedded JSON).
  {
    pattern: /("([^"\\]{1,100})"\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false)/g,
    replace: (m, head, name) => (isSecretName(name) ? `${head}"${REDACTED}"` : m),
  },
  {
    pattern: /(\\"([^"\\]{1,100})\\"\s*:\s*)(\\"(?:[^"\\]|\\[^"])*\\")/g,
    replace: (m, head, name) => (isSecretName(name) ? `${head}\\"${REDACTED}\\"` : m),
  },
  // XML elements, WS-Security <wsse:Password Type="…">x</wsse:Password> included; CDATA too.
  {
    pattern: /(<([\w.-]+:)?([\w.-]+)(?:\s[^>]*)?>)(<!\[CDATA\[[\s\S]*?\]\]>|[^<]*)(<\/\2?\3\s*>)/g,
    replace: (m, open, _ns, name, _value, close) => (isSecretName(name) ? `${open}${REDACTED}${close}` : m),
  },
  // XML attributes: password="x".
  {
    pattern: /(\s([\w.:-]+)\s*=\s*)("[^"]*"|'[^']*')/g,
    replace: (m, head, name, value) => (isSecretName(name) ? `${head}${value[0]}${REDACTED}${value[0]}` : m),
  },
  // Header lines (HTTP dumps, YAML): "Authorization: Bearer x" — the whole rest of the line.
  {
    pattern:
      /(^|[\r\n]|[{,;]\s*)((?:proxy-)?authorization|x-api-key|api-key|cookie|set-cookie)(\s*:[ \t]*)([^\r\n]+)/gi,
    replace: (_m, lead, name, colon) => `${lead}${name}${colon}${REDACTED}`,
  },
  // Other "name: value" pairs in plain text: "password: hunter2".
  {
    pattern: /(\b([\w-]+)\s*:[ \t]*)([^\s,;"'<>[\]{}]+)/g,
    replace: (m, head, name, value) => (isSecretName(name) && value !== REDACTED ? `${head}${REDACTED}` : m),
  },
  // Form bodies and query strings: password=x&client_secret=y.
  {
    pattern: /((?:^|[?&;,\s])([\w.[\]-]+)=)([^&;,\s"'<>]+)/g,
    replace: (m, head, name) => (isSecretName(name) ? `${head}${REDACTED}` : m),
  },
];

/** The rules that redact a value by its own shape, whatever it is called. */
const SHAPED: Rule[] = [
  // Bare bearer / basic credentials and the bridge's own API keys wherever they appear.
  {
    pattern: /\b(Bearer|Basic|Digest)\s+[A-Za-z0-9\-._~+/]+=*/g,
    replace: (_m, scheme) => `${scheme} ${REDACTED}`,
  },
  { pattern: /\bpob_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}\b/g, replace: () => REDACTED },
  // Credentials in URLs: https://user:password@host.
  {
    pattern: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi,
    replace: (_m, head, _pw, at) => `${head}${REDACTED}${at}`,
  },
];

/**
 * Removes secrets from a message body before it is stored or logged — passwords, tokens,
 * `Authorization` values, WS-Security `Password` elements, `client_secret`, `apiKey`, cookies
 * and URL credentials in JSON, XML, form and header-style text — and masks citizen id numbers
 * and phone numbers ({@link maskPersonalData}). The result keeps the body's shape so that a
 * reader still sees which fields were sent.
 */
export function redactSecrets(text: string): string {
  let out = text;
  // A name is a secret's only when the text, folded the way names are, holds a secret word:
  // most bodies hold none, and skip the named rules' seven scans.
  const rules = mayNameSecret(text) ? [...NAMED, ...SHAPED] : SHAPED;
  for (const rule of rules) {
    out = out.replace(rule.pattern, rule.replace as (substring: string, ...args: unknown[]) => string);
  }
  return maskPersonalData(out);
}

/**
 * False only when no name in `text` can be a secret's: {@link isSecretName} folds a name
 * (lower case, no dashes, underscores, dots or spaces) and looks for a secret word in it, and a
 * folded name is part of the folded text. Every header name the header rule knows holds one.
 */
export function mayNameSecret(text: string): boolean {
  return SECRET_NAME.test(text.toLowerCase().replace(/[-_.\s]/g, ''));
}

/**
 * Where commands write. Results go to stdout (tables, or JSON with `--json`), diagnostics and
 * warnings to stderr, so `bridge ... --json | jq` and `bridge wsdl import ... > file` stay clean.
 */
export const out = {
  /** Writes text to stdout as it is. */
  text(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  },
  /** Writes a value as pretty JSON to stdout. */
  json(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  },
  /** Writes a line to stderr. */
  warn(text: string): void {
    process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  },
};

/**
 * One thing wrong with an agency file: the file, a JSON path inside it (`$.adapter.auth.password`,
 * `$.procedures[1].code`; `$` for the file as a whole) and what is wrong, in words a person can
 * act on.
 */
export interface AgencyProblem {
  file: string;
  path: string;
  message: string;
}

/** `file: $.path: message` — the one-line form used in logs, CLI output and error messages. */
export function formatAgencyProblem(problem: AgencyProblem): string {
  return `${problem.file}: ${problem.path}: ${problem.message}`;
}

/**
 * Thrown by `apply` when any file of the batch has a problem. Nothing was changed; `problems`
 * lists every problem of every file, not just the first.
 */
export class AgencyValidationError extends Error {
  constructor(readonly problems: readonly AgencyProblem[]) {
    const files = new Set(problems.map((p) => p.file)).size;
    super(
      `agency files not applied: ${problems.length} problem(s) in ${files} file(s); nothing was changed\n` +
        problems.map((p) => `  ${formatAgencyProblem(p)}`).join('\n'),
    );
    this.name = 'AgencyValidationError';
  }
}

/** Thrown when an agency code names no agency the bridge knows. */
export class AgencyNotFoundError extends Error {
  constructor(readonly code: string) {
    super(`agency ${code} is not registered`);
    this.name = 'AgencyNotFoundError';
  }
}

/**
 * Renders a path inside a parsed document as JSONPath: array indexes in brackets, identifier keys
 * after dots, any other key quoted (`$.adapter.statusCodes["Đang xử lý"]`).
 */
export function jsonPath(segments: readonly (string | number)[]): string {
  let out = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

import {
  createSequence,
  isArrayOfNumbers,
  isNumeric,
  isSequence,
  lookup,
  Sequence,
  toBoolean,
} from './jsonata-values';
import { CannotCompile, Compiling, Evaluator, Frame, Node, Stage } from './jsonata-evaluation';

/** `a.b[c].d`: the steps in turn over sequences, with JSONata's flattening. */
export function compilePath(c: Compiling, node: Node): Evaluator {
  const stepNodes = node.steps as Node[];
  const steps = stepNodes.map((step) => ({
    evaluate: c.compile(step, ['stages']),
    stages: ((step.stages as Node[] | undefined) ?? []).map((stage) => c.filter(stage)),
  }));
  const absolute = stepNodes[0].type === 'variable';
  const keepSingletonArray = node.keepSingletonArray === true;
  const general = (input: unknown, frame: Frame) => {
    let sequence: unknown[] = Array.isArray(input) && !absolute ? input : createSequence(input);
    let result: unknown[] = sequence;
    for (let i = 0; i < steps.length; i++) {
      result = evaluateStep(steps[i].evaluate, steps[i].stages, sequence, frame, i === steps.length - 1);
      if (result.length === 0) break;
      sequence = result;
    }
    if (keepSingletonArray) (result as Sequence).keepSingleton = true;
    return result;
  };
  const fields = fieldChain(c, node, stepNodes);
  if (!fields) return general;
  const [first, ...names] = fields;
  return (input, frame) => {
    // Through single objects a field chain is plain property access; at the first array
    // (where sequences start) the general rules take over from the start.
    let value = typeof first === 'string' ? lookup(input, first) : first(input, frame);
    for (let i = 0; value !== undefined && i < names.length; i++) {
      if (Array.isArray(value)) return general(input, frame);
      value = lookup(value, names[i]);
    }
    return Array.isArray(value) && isSequence(value) ? general(input, frame) : value;
  };
}

/**
 * The steps of `a.b.c` or `$v.b.c` (no filters, no `[]`) as field names, the first one
 * possibly a variable; null for any other path.
 */
function fieldChain(c: Compiling, node: Node, steps: Node[]): [string | Evaluator, ...string[]] | null {
  const plain = (step: Node) =>
    step.predicate === undefined && step.keepArray === undefined && step.stages === undefined;
  if (!plain(node) || node.keepSingletonArray !== undefined || !steps.every(plain)) return null;
  const [head, ...rest] = steps;
  if (!rest.every((step) => step.type === 'name')) return null;
  const names = rest.map((step) => String(step.value));
  if (head.type === 'name') return [String(head.value), ...names];
  if (head.type !== 'variable' || head.value === '' || head.value === '$') return null;
  return [c.variable(String(head.value)), ...names];
}

/** `[n]` (an index, negative from the end) or `[predicate]` (the items it holds for). */
export function compileFilter(c: Compiling, stage: Node): Stage {
  if (stage.type !== 'filter') throw new CannotCompile(`stage ${stage.type}`);
  const predicate = stage.expr as Node;
  if (predicate.type === 'number') {
    const wanted = Math.floor(predicate.value as number);
    return (input) => {
      const list: unknown[] = Array.isArray(input) ? input : createSequence(input);
      const item = list[wanted < 0 ? list.length + wanted : wanted];
      if (item === undefined) return createSequence();
      return Array.isArray(item) ? (item as unknown[]) : createSequence(item);
    };
  }
  const test = c.compile(predicate);
  return (input, frame) => {
    const list = Array.isArray(input) ? input : createSequence(input);
    const results = createSequence();
    list.forEach((item, index) => {
      let outcome = test(item, frame);
      if (isNumeric(outcome)) outcome = [outcome];
      if (isArrayOfNumbers(outcome)) {
        for (const wanted of outcome) {
          const at = Math.floor(wanted);
          if ((at < 0 ? list.length + at : at) === index) results.push(item);
        }
      } else if (toBoolean(outcome)) results.push(item);
    });
    return results;
  };
}

function evaluateStep(
  step: Evaluator,
  stages: Stage[],
  input: unknown[],
  frame: Frame,
  lastStep: boolean,
): unknown[] {
  const results = createSequence();
  for (const item of input) {
    let result = step(item, frame);
    for (const stage of stages) result = stage(result, frame);
    if (result !== undefined) results.push(result);
  }
  if (lastStep && results.length === 1 && Array.isArray(results[0]) && !isSequence(results[0])) {
    return results[0] as unknown[];
  }
  const flattened = createSequence();
  for (const result of results) {
    if (!Array.isArray(result) || (result as Sequence).cons) flattened.push(result);
    else for (const value of result) flattened.push(value);
  }
  return flattened;
}

import { BUILT_INS, Unsupported } from './jsonata-values';
import {
  applyLambda,
  CannotCompile,
  checkKeys,
  Compiling,
  Evaluator,
  Frame,
  isOwn,
  Lambda,
  Node,
} from './jsonata-evaluation';

/** `( expr; $name := value; ... )`: its own scope, the value of the last expression. */
export function compileBlock(c: Compiling, node: Node): Evaluator {
  const expressions = node.expressions as Node[];
  const compiled = expressions.map((expression, i) => blockItem(c, expression, i === expressions.length - 1));
  return (input, frame) => {
    const inner = new Frame(frame);
    let result: unknown;
    for (const expression of compiled) result = expression(input, inner);
    return result;
  };
}

/** `$name := value` (a lambda only where its value is not the block's result). */
function blockItem(c: Compiling, node: Node, last: boolean): Evaluator {
  if (node.type !== 'bind') return c.compile(node);
  checkKeys(node);
  if (node.predicate !== undefined || node.keepArray !== undefined) throw new CannotCompile('bind');
  const name = String((node.lhs as Node).value);
  if (name === '$' || isOwn(BUILT_INS, name) || isOwn(c.helpers, name)) throw new CannotCompile('rebinding');
  c.bound.add(name);
  const rhs = node.rhs as Node;
  if (rhs.type === 'lambda') {
    if (last) throw new CannotCompile('a function as a result');
    const lambda = compileLambda(c, rhs);
    return (input, frame) => frame.bind(name, lambda(input, frame));
  }
  const value = c.compile(rhs);
  return (input, frame) => {
    const result = value(input, frame);
    frame.bind(name, result);
    return result;
  };
}

function compileLambda(c: Compiling, node: Node): (input: unknown, frame: Frame) => Lambda {
  checkKeys(node);
  if (node.thunk !== undefined || node.predicate !== undefined || node.keepArray !== undefined) {
    throw new CannotCompile('lambda');
  }
  const params = (node.arguments as Node[]).map((param) => String(param.value));
  for (const name of params) {
    if (name === '$' || isOwn(BUILT_INS, name) || isOwn(c.helpers, name))
      throw new CannotCompile('rebinding');
    c.bound.add(name);
  }
  const body = c.compile(node.body as Node);
  return (input, frame) => new Lambda(params, body, input, frame);
}

/** `$name(args)`: a lambda bound in the expression, a JSONata built-in or a bridge helper. */
export function compileCall(c: Compiling, node: Node): Evaluator {
  const procedure = node.procedure as Node;
  checkKeys(node);
  if (
    procedure.type !== 'variable' ||
    procedure.predicate !== undefined ||
    procedure.keepArray !== undefined
  ) {
    throw new CannotCompile('computed function');
  }
  const name = String(procedure.value);
  const args = (node.arguments as Node[]).map((arg) => {
    if (arg.type === 'lambda') throw new CannotCompile('a function as an argument');
    return c.compile(arg);
  });
  const evaluateArgs = (input: unknown, frame: Frame) => args.map((arg) => arg(input, frame));
  if (c.bound.has(name)) {
    return (input, frame) => {
      const lambda = frame.lookup(name);
      if (!(lambda instanceof Lambda)) throw new Unsupported(`$${name} is not a lambda`);
      return applyLambda(lambda, evaluateArgs(input, frame));
    };
  }
  const native = isOwn(BUILT_INS, name) ? BUILT_INS[name] : isOwn(c.helpers, name) ? c.helpers[name] : null;
  if (!native) throw new CannotCompile(`function $${name}`);
  return (input, frame) => native(...evaluateArgs(input, frame));
}
